import OnionsCore
import OnionsCrypto
import TerminalUI

extension App {
    // MARK: Shared helpers

    /// Work on the vault the person waits for: keys wait in `AppState.queued` until its answer.
    static func startWork(_ state: inout AppState, _ label: String) {
        state.busy = Busy(label: label, since: state.now, shown: false)
    }

    /// ", by title" in a list's header when the vault's order is not the default one.
    static func orderSuffix(_ vault: VaultSnapshot?) -> String {
        guard let order = vault?.order, order != .newestChange else { return "" }
        return ", by \(order.name)"
    }

    /// The answer came: the keys that waited for it go on (see `update`).
    static func finishWork(_ state: inout AppState) {
        state.busy = nil
    }

    /// Wipes what the current view holds (texts typed or opened) before it is left.
    static func wipeScreen(_ state: inout AppState) {
        switch state.screen {
        case .list(var list): list.wipe(); state.screen = .list(list)
        case .cards(var cards): cards.wipe(); state.screen = .cards(cards)
        case .tasks(var tasks): tasks.wipe(); state.screen = .tasks(tasks)
        case .history(var history): history.wipe(); state.screen = .history(history)
        case .trash(var trash): trash.wipe(); state.screen = .trash(trash)
        case .editor(var editor): editor.wipe(); state.screen = .editor(editor)
        default: break
        }
    }

    /// Shows the onion list, selecting `id` when it is there.
    static func openList(_ state: inout AppState, selecting id: ItemID?) -> [AppEffect] {
        var list = OnionListState()
        let effects = OnionListScreen.refresh(&list, &state, selecting: id)
        state.screen = .list(list)
        return effects
    }

    /// Graphemes of secret UTF-8 (for the editor's fields).
    static func characters(_ text: SecretBytes) -> [Character] {
        text.withUnsafeBytes { Array(String(decoding: $0, as: UTF8.self)) }
    }

    /// Secret UTF-8 of the editor's graphemes.
    static func secretText(_ characters: [Character]) -> SecretBytes {
        var size = 0
        for c in characters { for s in c.unicodeScalars { size += UTF8.width(s) } }
        let out = SecretBytes(count: 0, capacity: max(size, 1))
        for c in characters { for s in c.unicodeScalars { for b in s.utf8 { out.append(byte: b) } } }
        return out
    }
}
