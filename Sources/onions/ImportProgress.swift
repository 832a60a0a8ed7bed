import Glibc
import Synchronization
import TerminalUI

/// Progress of a long import on standard error: "decrypted 120 of 1000 (85/s)", rewritten in
/// place. Shown only when standard error is a terminal and only once the work has taken more
/// than a second; `finish` clears the line. Nothing is written otherwise.
final class ImportProgress: Sendable {
    private struct State {
        var shown = false
        var lastDraw = 0.0
    }

    private let verb: String
    private let start: Double
    private let enabled: Bool
    private let state = Mutex(State())

    init(verb: String) {
        self.verb = verb
        start = monotonicSeconds()
        enabled = isatty(2) == 1
    }

    /// `done` of `total` items are finished (any thread).
    func update(_ done: Int, of total: Int) {
        guard enabled else { return }
        let now = monotonicSeconds()
        let elapsed = now - start
        guard elapsed >= 1 else { return }
        state.withLock { s in
            guard done == total || now - s.lastDraw >= 0.1 else { return }
            s.lastDraw = now
            s.shown = true
            let rate = Int((Double(done) / elapsed).rounded())
            writeProgress("\(verb) \(done) of \(total) (\(rate)/s)")
        }
    }

    /// Clears the progress line, if one was shown.
    func finish() {
        state.withLock { s in
            if s.shown { writeProgress("") }
            s.shown = false
        }
    }
}

/// Seconds on the monotonic clock, for the progress lines' pacing.
func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Erases the line on standard error and writes `text` there (no newline added): the erase
/// is the gate's own control sequence, the text goes through the gate (the import's and the
/// sync's progress lines, `SyncProgressLine`).
func writeProgress(_ text: String) {
    var bytes: [UInt8] = []
    TerminalText.write(.eraseLine) { bytes.append(contentsOf: $0) }
    var copy = text
    copy.withUTF8 { TerminalText.write(UnsafeRawBufferPointer($0)) { bytes.append(contentsOf: $0) } }
    bytes.withUnsafeBytes { buf in _ = write(2, buf.baseAddress, buf.count) }
}
