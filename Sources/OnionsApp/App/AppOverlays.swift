import OnionsCore
import OnionsCrypto
import TerminalUI

/// Keys while a dialog or the help is drawn over the screen.
extension App {
    static func overlayKey(_ state: inout AppState, _ overlay: Overlay, _ key: Key) -> [AppEffect] {
        switch overlay {
        case .help, .messages, .account:
            switch key {
            case .down, .character("j"): state.helpScroll += 1
            case .up, .character("k"): state.helpScroll = max(0, state.helpScroll - 1)
            case .pageDown, .character(" "): state.helpScroll += 10
            case .pageUp: state.helpScroll = max(0, state.helpScroll - 10)
            default:
                state.overlay = nil
                state.helpScroll = 0
            }
            let rows = overlay == .help ? HelpOverlay.rowCount(state.size)
                : overlay == .account ? AccountOverlay.rows(state).count : MessagesOverlay.rows(state).count
            state.helpScroll = min(state.helpScroll, rows)
            return []
        case .confirmQuitLosingDraft:
            state.overlay = nil
            guard isYes(key) else { return [] }
            state.heldDraft = nil
            return quit(&state)
        case .confirmDiscard:
            state.overlay = nil
            guard isYes(key) else { return [] }
            if case .editor(var editor) = state.screen {
                editor.wipe()
                let effects = openList(&state, selecting: editor.target)
                state.notice = Notice("Changes discarded.")
                return [.vault(.clearDraft)] + effects
            } else if case .cards(var cards) = state.screen, cards.form != nil {
                cards.form?.wipe()
                cards.form = nil
                state.screen = .cards(cards)
                state.notice = Notice("Changes discarded.")
                return [.vault(.clearDraft)]
            }
            return []
        case .confirmDelete(let id):
            state.overlay = nil
            guard isYes(key), state.vault != nil else { return [] }
            startWork(&state, "Deleting")
            return [.vault(.deleteOnion(id))]
        case .confirmDeleteCard(let id):
            state.overlay = nil
            guard isYes(key), state.vault != nil, case .cards = state.screen else { return [] }
            startWork(&state, "Deleting")
            return [.vault(.deleteCard(id))]
        case .confirmDeleteTask(let id):
            state.overlay = nil
            guard isYes(key), let vault = state.vault, case .tasks = state.screen,
                  let base = TasksScreen.base(of: id, in: vault) else { return [] }
            startWork(&state, "Deleting")
            return [.vault(.deleteTask(base))]
        case .offerPasteRest(let count):
            return pasteRestKey(&state, count: count, key)
        case .confirmCardPasswordIsVaultPassword:
            state.overlay = nil
            guard case .cards(var cards) = state.screen, var form = cards.form, state.vault != nil else { return [] }
            var effects: [AppEffect] = []
            if isYes(key) {
                effects = CardFormScreen.save(&form, &cards, &state, confirmed: true)
            } else {
                form.password.wipe()
                form.repeatPassword.wipe()
                form.focus = .password
                state.notice = Notice("Choose a card password other than the vault's.")
            }
            cards.form = form
            state.screen = .cards(cards)
            return effects
        }
    }

    /// `n` saves the rest of a paste as a new onion titled after the one being edited, Esc
    /// drops it; other keys leave the question up (nothing is dropped unasked).
    static func pasteRestKey(_ state: inout AppState, count: Int, _ key: Key) -> [AppEffect] {
        guard key == .character("n") || key == .escape else { return [] }
        state.overlay = nil
        guard let rest = state.pasteRest else { return [] }
        state.pasteRest = nil
        guard key == .character("n"), case .editor(let editor) = state.screen, state.vault != nil else {
            rest.wipe()
            state.notice = Notice("The \(count) character\(count == 1 ? "" : "s") that did not fit were dropped.")
            return []
        }
        let base = editor.title.characters.isEmpty ? Array("Pasted") : editor.title.characters
        let suffix = Array(" (rest)")
        let title = Array(base.prefix(FieldLimit.onionTitle.maxCharacters - suffix.count)) + suffix
        startWork(&state, "Saving")
        return [.vault(.addOnion(title: secretText(title), info: rest))]
    }

    /// The answer yes to a (y/n) question.
    static func isYes(_ key: Key) -> Bool { key == .character("y") || key == .character("Y") }
}
