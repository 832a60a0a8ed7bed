import Glibc
import OnionsCore

/// The progress of a sync's long copy on standard error, rewritten in place and cleared at its
/// end: only when standard error is a terminal, and only once the copy has taken a second
/// (`SyncProgressGate`); written as the import's progress is (`writeProgress`).
final class SyncProgressLine {
    private var gate = SyncProgressGate()
    private var shown = false
    private let enabled = isatty(2) == 1

    func update(_ progress: SyncProgress) {
        guard enabled else { return }
        let now = monotonicSeconds()
        if let sentence = gate.sentence(progress, now: now) {
            writeProgress(sentence)
            shown = true
        }
        if progress.done >= progress.total && shown {
            writeProgress("")
            shown = false
        }
    }
}
