import Glibc
import OnionsCore
import TerminalUI

/// The progress of a sync's long copy on standard error, rewritten in place and cleared at its
/// end: only when standard error is a terminal, and only once the copy has taken a second
/// (`SyncProgressGate`). Every byte but the gate's own erase goes through `TerminalText`.
final class SyncProgressLine {
    private var gate = SyncProgressGate()
    private var shown = false
    private let enabled = isatty(2) == 1

    func update(_ progress: SyncProgress) {
        guard enabled else { return }
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        let now = Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        if let sentence = gate.sentence(progress, now: now) {
            Self.write(sentence)
            shown = true
        }
        if progress.done >= progress.total && shown {
            Self.write("")
            shown = false
        }
    }

    /// Erases the line and writes `text` (no newline).
    private static func write(_ text: String) {
        var bytes: [UInt8] = []
        TerminalText.write(.eraseLine) { bytes.append(contentsOf: $0) }
        var copy = text
        copy.withUTF8 { TerminalText.write(UnsafeRawBufferPointer($0)) { bytes.append(contentsOf: $0) } }
        bytes.withUnsafeBytes { buf in _ = Glibc.write(2, buf.baseAddress, buf.count) }
    }
}
