import OnionsCore
import OnionsCrypto

/// Undo of the last delete, and the answers of the history and Trash views.
extension App {
    /// `u` in the onion list, the cards and the tasks: brings back what this session deleted last.
    static func undoDelete(_ state: inout AppState) -> [AppEffect] {
        startWork(&state, "Bringing it back")
        return [.vault(.undoDelete)]
    }

    /// Shows what the history, the trash or an undo came to (after the snapshot was adopted).
    static func historyShown(_ state: inout AppState, _ result: VaultResult) -> [AppEffect] {
        switch result {
        case .undone(let undone):
            finishWork(&state)
            switch undone {
            case .success(let item?):
                state.notice = Notice("Brought back the \(item.kind)", subject: item)
                return select(item, &state)
            case .success(nil):
                state.notice = Notice("Nothing to bring back: nothing was deleted since the vault was opened. "
                                      + "Older deletes are in the Trash view (4).")
            case .failure(let error):
                state.notice = Notice("\(error)", isError: true)
            }
        case .historyOpened(let item, let listing):
            HistoryScreen.opened(&state, item, listing)
        case .versionOpened(let item, let text):
            HistoryScreen.versionOpened(&state, item, text)
        case .versionRestored(let item, let number, let restored):
            return HistoryScreen.restored(&state, item, number: number, restored)
        case .trashListed(let lines):
            TrashScreen.listed(&state, lines)
        case .restoredFromTrash(let restored):
            return TrashScreen.restored(&state, restored)
        case .otherSideRestored(let restored):
            return HistoryScreen.otherSideRestored(&state, restored)
        default:
            break
        }
        return []
    }

    /// Selects `item` in the view showing its kind, if that view is shown.
    static func select(_ item: ItemRef, _ state: inout AppState) -> [AppEffect] {
        switch (item, state.screen) {
        case (.onion(let id), .list(var list)):
            let effects = OnionListScreen.refresh(&list, &state, selecting: id)
            state.screen = .list(list)
            return effects
        case (.card(let id), .cards(var cards)):
            CardsScreen.refresh(&cards, state.vault, selecting: id)
            state.screen = .cards(cards)
        case (.task(let n), .tasks(var tasks)):
            TasksScreen.refresh(&tasks, state.vault, selecting: n)
            state.screen = .tasks(tasks)
        default:
            break
        }
        return []
    }

    /// A notice as drawn: its text, and the name of the item it is about (from the snapshot,
    /// made into a String only for the frame).
    static func noticeText(_ notice: Notice, _ vault: VaultSnapshot?) -> String {
        guard let subject = notice.subject else { return notice.text }
        guard let vault, let name = name(of: subject, in: vault) else { return notice.text + "." }
        return notice.text + " “" + name + "”."
    }

    /// The title, recipient or text of `item` in `vault`, nil when it is not there.
    static func name(of item: ItemRef, in vault: VaultSnapshot) -> String? {
        switch item {
        case .onion(let id): return vault.onions.first { $0.id == id }.map { vault.title($0) }
        case .card(let id): return vault.cards.first { $0.id == id }.map { vault.texts.string($0.recipient) }
        case .task(let n): return vault.tasks.first { $0.id == n }.map { vault.texts.string($0.text) }
        }
    }
}
