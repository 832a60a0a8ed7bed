import OnionsCore
import OnionsCrypto
import TerminalUI

/// What the program put on the terminal's clipboard and when it takes it back.
///
/// The terminal's clipboard cannot be read, so only our own copies are tracked: each copy
/// (re)starts the deadline, and when it passes the clipboard is overwritten. Something the
/// person copied elsewhere after our copy is overwritten too at that moment; the README says so.
public struct ClipboardState: Equatable {
    /// Seconds a copy stays on the clipboard.
    public var seconds: Double
    /// False when standard output is not a terminal: nothing is copied then.
    public var available: Bool
    /// BootClock seconds at which our last copy is cleared; nil when nothing of ours is there.
    public var clearAt: Double?
    /// What our last copy holds (as an HMAC), to find it in tmux's paste buffers at the clear.
    public var copied: CopiedText?

    public init(seconds: Double = 45, available: Bool = true) {
        self.seconds = seconds
        self.available = available
    }
}

/// Copying over ssh with OSC 52, and clearing it again.
///
/// The sequence is built in secret memory and handed to the loop as `.writeTerminal`, which
/// writes it with `TerminalBackend.writeRaw` and wipes it. tmux passes it on with
/// `set-clipboard on`; terminals without OSC 52 ignore it.
public enum Clipboard {
    /// Copies `text` (UTF-8; the caller keeps and wipes it), says so in the status line, and
    /// starts the clearing deadline at the time of the latest message.
    /// Returns the effect to run, or none when there is no terminal to copy to.
    public static func copy(_ text: SecretBytes, _ state: inout AppState) -> [AppEffect] {
        copy(text, &state, now: state.now)
    }

    /// Copies `text` as above, the deadline counted from `now` (`BootClock` seconds).
    public static func copy(_ text: SecretBytes, _ state: inout AppState, now: Double) -> [AppEffect] {
        guard state.clipboard.available else {
            state.notice = Notice("Nothing copied: the output is not a terminal.", isError: true)
            return []
        }
        let sequence = text.withUnsafeBytes { sequenceFor($0) }
        let earlier = state.clipboard.copied
        state.clipboard.copied = text.withUnsafeBytes { CopiedText($0) }
        state.clipboard.clearAt = now + state.clipboard.seconds
        state.notice = Notice("Copied; the clipboard clears in \(Int(state.clipboard.seconds)) s.")
        // A copy replaced before its clear leaves tmux's list now (before the new one is there).
        return (earlier.map { [AppEffect.deleteTmuxCopies($0)] } ?? []) + [.writeTerminal(sequence)]
    }

    /// On a tick: once our copy's time is up, overwrite the clipboard.
    static func tick(_ state: inout AppState, now: Double) -> [AppEffect] {
        guard let clearAt = state.clipboard.clearAt, now >= clearAt else { return [] }
        return clear(&state)
    }

    /// Overwrites our copy now (its deadline passed, or the program is leaving). Nothing
    /// when no copy of ours is pending.
    public static func clear(_ state: inout AppState) -> [AppEffect] {
        guard state.clipboard.clearAt != nil else { return [] }
        state.clipboard.clearAt = nil
        let copied = state.clipboard.copied
        state.clipboard.copied = nil
        return [.writeTerminal(SecretBytes(copying: OSC52.clearSequence))] + (copied.map { [AppEffect.deleteTmuxCopies($0)] } ?? [])
    }

    /// The OSC 52 sequence that puts `payload` on the clipboard, in secret memory.
    static func sequenceFor(_ payload: UnsafeRawBufferPointer) -> SecretBytes {
        let out = SecretBytes(count: OSC52.sequenceLength(payloadCount: payload.count))
        let written = out.withUnsafeMutableBytes { OSC52.encode(payload, into: $0) }
        out.truncate(to: written ?? 0)
        return out
    }
}

extension Clipboard {
    /// `y` on the onion list: asks for the selected onion's info; its answer is copied.
    static func copySelectedInfo(_ list: OnionListState, _ state: inout AppState) -> [AppEffect] {
        guard state.vault != nil, let id = list.selectedID else { return [] }
        App.startWork(&state, "Opening")
        return [.vault(.openInfo(id, .copy))]
    }
}
