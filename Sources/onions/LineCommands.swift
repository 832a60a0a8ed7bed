import Glibc
import OnionsCore
import OnionsCrypto
import TerminalUI

/// One line of an info: `onions show TITLE --line N|--first-line` prints it and `onions copy`
/// puts it (or the TOTP code of an `otpauth://` line) on the clipboard with OSC 52 and takes it
/// back after the clipboard time, as `pass -c` does.
enum LineCommands {
    static let line = OptionDeclaration("--line", .number(1...10_000), "N", help: "only line N of the info (1 is the first)")
    static let firstLine = OptionDeclaration("--first-line", help: "only the first line of the info")
    static let otp = OptionDeclaration("--otp", help: "the current TOTP code of the otpauth:// line (the first one, or line N)")

    static let copy = CommandDeclaration(
        "copy", summary: "put one line of an onion's info on the clipboard (OSC 52), cleared after a while",
        details: "  the first line unless --line N; standard output must be a terminal (the copy is an escape\n"
            + "  sequence to it, which works over ssh and in tmux with set-clipboard on); the clipboard\n"
            + "  is cleared after --clipboard-seconds (default 45) by a process left in the background\n"
            + secretArgumentHint,
        options: [line, otp], positionals: [OnionCommands.title],
        action: .vault(VaultAction(readsOnly: true, agentRuns: { _ in true },
                                   beforehand: { _ in noteTmuxBuffers() },
                                   afterward: { _, options in scheduleClear(options) }) { arguments, session, _ in
            guard isatty(1) != 0 else {
                throw CommandFailure("copy needs a terminal on standard output: the copy is an escape sequence (OSC 52) "
                    + "written to it; use 'onions show TITLE --line N' to print the line instead")
            }
            let onion = try OnionCommands.find(session, title: arguments.positionals[0])
            let info = try session.info(of: onion.id)
            defer { info.wipe() }
            let text = try arguments.flag("--otp") ? otpCode(info, line: arguments.number("--line"))
                : one(info, line: arguments.number("--line") ?? 1)
            defer { text.wipe() }
            // The one control sequence this command means to send, rendered by the terminal
            // gate with the text base64 inside it, so nothing of the info can steer the terminal.
            let sequence = SecretBytes(count: OSC52.sequenceLength(payloadCount: text.count))
            defer { sequence.wipe() }
            text.withUnsafeBytes { payload in
                sequence.withUnsafeMutableBytes { _ = writeClipboardStdout(payload, using: $0) }
            }
            return 0
        }))

    /// Line `number` (1 is the first) of `info`, without its line break, in secret memory.
    static func one(_ info: SecretBytes, line number: Int) throws -> SecretBytes {
        let lines = info.withUnsafeBytes { lineRanges($0) }
        guard number >= 1, number <= lines.count else {
            throw CommandFailure("the info has \(lines.count) line\(lines.count == 1 ? "" : "s"); there is no line \(number)")
        }
        return info.withUnsafeBytes { SecretBytes(copying: UnsafeRawBufferPointer(rebasing: $0[lines[number - 1]])) }
    }

    /// The byte ranges of the lines of `text` (a last line without a line break counts; an empty text has none).
    static func lineRanges(_ text: UnsafeRawBufferPointer) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for i in 0..<text.count where text[i] == 0x0a {
            ranges.append(start..<i)
            start = i + 1
        }
        if start < text.count { ranges.append(start..<text.count) }
        return ranges
    }

    /// The current code of the TOTP the info's line `number` describes, or its first line that
    /// starts with `otpauth://` when `number` is nil.
    static func otpCode(_ info: SecretBytes, line number: Int?) throws -> SecretBytes {
        let prefix = Array("otpauth://".utf8)
        let wanted: SecretBytes
        if let number {
            wanted = try one(info, line: number)
        } else {
            let ranges = info.withUnsafeBytes { lineRanges($0) }
            guard let index = info.withUnsafeBytes({ all in
                ranges.firstIndex { all[$0].starts(with: prefix) }
            }) else { throw CommandFailure("the info has no otpauth:// line") }
            wanted = try one(info, line: index + 1)
        }
        defer { wanted.wipe() }
        let totp: TOTP
        do { totp = try wanted.withUnsafeBytes { try TOTP(uri: $0) } } catch {
            throw CommandFailure("that line is no usable otpauth:// URI: \(error)")
        }
        return totp.code(at: Int64(time(nil)))
    }

    /// The clipboard time in seconds.
    static func clearSeconds(_ options: GlobalOptions) -> Int {
        options.clipboardSeconds ?? ConfigFile.defaultClipboardSeconds
    }

    /// tmux's paste buffers before the copy (inside tmux), to tell the one the copy adds.
    nonisolated(unsafe) private static var buffersBefore: Set<String>?

    static func noteTmuxBuffers() {
        buffersBefore = TmuxBuffers.names(environment: ProcessEnvironment.current).map(Set.init)
    }

    /// Leaves a process that writes OSC 52's clearing sequence to the terminal after the
    /// clipboard time (it holds no secret: it was forked after the copy's memory was wiped)
    /// and, inside tmux, deletes the paste buffers that hold the copy.
    static func scheduleClear(_ options: GlobalOptions) {
        let seconds = UInt32(clearSeconds(options))
        printError("onions: copied; the clipboard clears in \(seconds) s")
        let before = buffersBefore
        let child = fork()
        guard child == 0 else { return }
        _ = setsid()
        _ = close(0)
        _ = close(2)
        // Inside tmux: the buffer the copy added is known by its text (kept as an HMAC only),
        // so that the clear can delete it and any other buffer holding the same text.
        let started = time(nil)
        let copied = before.flatMap { TmuxBuffers.newCopy(since: $0, environment: ProcessEnvironment.current) }
        let spent = max(0, Int(time(nil) - started))
        if spent < Int(seconds) { sleep(seconds - UInt32(spent)) }
        writeStdout(.clearClipboard)
        if let copied { TmuxBuffers.delete(copied, environment: ProcessEnvironment.current) }
        _exit(0)
    }
}
