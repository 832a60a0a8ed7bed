import OnionsCore
import OnionsCrypto
import TerminalUI

/// The form for a new card (To, Description, Password, Repeat) or an open card's edit.
enum CardFormScreen {
    static func update(_ cards: inout CardsState, _ state: inout AppState, _ key: Key) -> [AppEffect] {
        guard var form = cards.form else { return [] }
        defer { if cards.form != nil { cards.form = form } }
        switch key {
        case .escape:
            if form.dirty {
                state.overlay = .confirmDiscard
            } else {
                form.wipe()
                cards.form = nil
            }
            return []
        case .tab, .backTab:
            let all = CardForm.Focus.allCases
            let index = all.firstIndex(of: form.focus)!
            form.focus = all[(index + (key == .tab ? 1 : all.count - 1)) % all.count]
            return []
        case .ctrl("s"):
            return save(&form, &cards, &state, confirmed: false)
        case .enter where form.focus != .description:
            if form.focus == .repeatPassword {
                return save(&form, &cards, &state, confirmed: false)
            } else {
                form.focus = CardForm.Focus.allCases[CardForm.Focus.allCases.firstIndex(of: form.focus)! + 1]
            }
            return []
        default:
            break
        }
        let result: EditResult
        switch form.focus {
        case .recipient:
            result = form.recipient.handle(key)
            if result == .refused {
                state.notice = Notice(FieldLimit.cardRecipient.refusal(characters: form.recipient.count), isError: true)
            }
        case .description:
            result = form.description.handle(key)
            if result == .refused {
                state.notice = Notice(FieldLimit.cardDescription.refusal(characters: form.description.count),
                                      isError: true)
            }
        case .password:
            result = form.password.handle(key) ? .changed : .unchanged
            if result == .changed { form.gate.changed(form.password) }
        case .repeatPassword: result = form.repeatPassword.handle(key) ? .changed : .unchanged
        }
        if result == .changed { form.dirty = true }
        return []
    }

    /// Asks to save the form; `confirmed` once the person agreed to reuse the vault password.
    /// The runner compares the password with the vault's (a key derivation) and answers with
    /// `.cardPasswordIsVaultPassword` or the save's result (to `saved`).
    static func save(_ form: inout CardForm, _ cards: inout CardsState, _ state: inout AppState,
                     confirmed: Bool) -> [AppEffect] {
        let keepsPassword = form.password.isEmpty && form.target != nil && form.keptPassword != nil
        if !keepsPassword {
            guard !form.password.isEmpty else {
                state.notice = Notice("Give the card a password of its own.", isError: true)
                form.focus = .password
                return []
            }
            guard form.password.bytes.constantTimeEquals(form.repeatPassword.bytes) else {
                form.repeatPassword.wipe()
                form.focus = .repeatPassword
                state.notice = Notice("The passwords differ. Repeat the card password.", isError: true)
                return []
            }
            guard form.gate.passes(form.password, &state) else {
                if form.gate.refusedShort { form.focus = .password }
                return []
            }
        }
        let password = keepsPassword ? form.keptPassword!.copy() : form.password.copy()
        let card = CardDraft(id: form.target, recipient: App.secretText(form.recipient.characters),
                             description: App.secretText(form.description.characters), password: password)
        App.startWork(&state, "Saving the card")
        return [.vault(.saveCard(card, confirmed: confirmed || keepsPassword, base: form.base))]
    }

    /// The save's answer: the card face down and selected, or the form stays with the reason.
    static func saved(_ cards: inout CardsState, _ state: inout AppState, _ result: Result<ItemID, any Error>,
                      _ outcome: PeerSaveOutcome) {
        switch result {
        case .success(let id):
            cards.form?.wipe()
            cards.form = nil
            cards.closeCard()
            CardsScreen.refresh(&cards, state.vault, selecting: id)
            switch outcome {
            case .saved, .merged: state.notice = Notice("Card saved, face down.")
            case .keptAsCopy:
                state.notice = Notice("Another program had changed this card too; its version stays and yours is "
                                      + "saved as a conflict copy, face down.")
            case .restored: state.notice = Notice("Another program had deleted this card; yours is saved as a new one, face down.")
            }
        case .failure(VaultError.limit(let limit)):
            state.notice = Notice("\(limit)", isError: true)
        case .failure(let error):
            state.notice = Notice("\(error)", isError: true)
        }
    }

    /// To on top, the description below it, the two password fields at the bottom: the order
    /// Tab goes in.
    static func render(_ form: CardForm, _ area: Rect, _ canvas: inout Canvas, _ theme: Theme) -> Point? {
        var cursor: Point?
        let labelWidth = 10
        func field(_ row: Int, _ text: String, _ focused: Bool) -> Rect? {
            guard row >= 0, row < area.height else { return nil }
            let line = area.row(row)
            canvas.put(text, x: line.x, y: line.y, style: focused ? theme.title : theme.dim, maxWidth: labelWidth)
            return Rect(x: line.x + labelWidth, y: line.y, width: max(0, line.width - labelWidth), height: 1)
        }
        if let rect = field(0, "To", form.focus == .recipient) {
            let point = form.recipient.render(in: rect, on: &canvas, style: theme.text.underlined())
            if form.focus == .recipient { cursor = point }
        }
        if let rect = field(area.height - 3, "", false) {
            let width = rect.width + labelWidth
            canvas.put(form.gate.line(width: width), x: rect.x - labelWidth, y: rect.y, style: form.gate.style(theme),
                       maxWidth: width)
        }
        if let rect = field(area.height - 2, "Password", form.focus == .password) {
            let point = form.password.render(in: rect, on: &canvas, style: theme.text.underlined())
            if form.focus == .password { cursor = point }
        }
        if let rect = field(area.height - 1, "Repeat", form.focus == .repeatPassword) {
            let point = form.repeatPassword.render(in: rect, on: &canvas, style: theme.text.underlined())
            if form.focus == .repeatPassword { cursor = point }
        }
        if area.height >= 5 {
            let rule = area.row(1)
            canvas.fill(rule, with: "─", style: theme.border)
            let counter = FieldLimit.cardDescription.counter(characters: form.description.count,
                                                             bytes: form.description.byteCount)
            canvas.put(" Description \(counter) ",
                       x: rule.x + 1, y: rule.y, style: form.focus == .description ? theme.title : theme.dim)
            let text = Rect(x: area.x, y: area.y + 2, width: area.width, height: area.height - 5)
            let point = form.description.render(in: text, on: &canvas, style: theme.text)
            if form.focus == .description { cursor = point }
        }
        return cursor
    }

    static func hints(_ form: CardForm) -> [KeyHint] {
        let field = form.focus == .password ? form.password : form.focus == .repeatPassword ? form.repeatPassword : nil
        return [KeyHint("^S", "save"), KeyHint("Tab", "next field"), KeyHint("Esc", "cancel")]
            + (field.map { [KeyHint("^T", $0.revealed ? "hide" : "show")] } ?? []) + [KeyHint("^L", "lock")]
    }
}
