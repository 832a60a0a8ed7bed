import OnionsCore
import TerminalUI

/// The history of a conflict copy: `o` restores the other side of the conflict in one step
/// (the item the copy came from takes its text as a new version, the copy goes to the trash).
extension HistoryScreen {
    static func restoreOtherSide(_ history: HistoryState, _ state: inout AppState) -> [AppEffect] {
        guard let origin = history.origin else {
            state.notice = Notice("This \(history.item.kind) is not a conflict copy; o works in the history of one.")
            return []
        }
        guard origin.restorable else {
            state.notice = Notice("What this copy came from is not in the vault; the copy is all there is.", isError: true)
            return []
        }
        App.startWork(&state, "Restoring the other side")
        return [.vault(.restoreOtherSide(history.item))]
    }

    /// The answer to `o`: back to the view, the original selected.
    static func otherSideRestored(_ state: inout AppState, _ result: Result<ItemRef, any Error>) -> [AppEffect] {
        App.finishWork(&state)
        switch result {
        case .success(let original):
            var effects: [AppEffect] = []
            if case .history(let history) = state.screen { effects = leave(history, &state, selecting: original) }
            state.notice = Notice("Moved the copy to the trash and its text into the \(original.kind)", subject: original)
            return effects
        case .failure(let error):
            state.notice = Notice("\(error)", isError: true)
            return []
        }
    }
}
