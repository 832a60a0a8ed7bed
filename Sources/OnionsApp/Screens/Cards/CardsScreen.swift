import OnionsCore
import OnionsCrypto
import TerminalUI

/// The card grid: whom each card is for is visible; what it says opens only with its own password.
enum CardsScreen {
    /// Cards per grid row at a body width.
    static func columns(_ width: Int) -> Int { max(1, (width + 1) / (CardArt.width + 1)) }

    /// Grid rows that fit in a body height.
    static func visibleRows(_ height: Int) -> Int { max(1, height / CardArt.height) }

    static func refresh(_ cards: inout CardsState, _ vault: VaultSnapshot?, selecting id: ItemID?) {
        guard let vault else { return }
        let keep = id ?? cards.selectedID
        let needle = TextSearch.foldQuery(Array(String(cards.filter.characters).utf8))
        cards.visible = vault.cards.filter { card in
            needle.isEmpty || vault.texts.withBytes(card.recipient) { TextSearch.contains($0, needle) }
        }
        if let keep, let index = cards.visible.firstIndex(where: { $0.id == keep }) {
            cards.selection = index
        } else {
            cards.selection = min(cards.selection, max(0, cards.visible.count - 1))
        }
    }

    static func update(_ cards: inout CardsState, _ state: inout AppState, _ key: Key) -> [AppEffect] {
        guard let vault = state.vault else { return [] }
        if cards.form != nil { return CardFormScreen.update(&cards, &state, key) }
        if var prompt = cards.passwordPrompt {
            switch key {
            case .escape:
                prompt.wipe()
                cards.passwordPrompt = nil
                cards.promptForHistory = false
            case .enter:
                cards.passwordPrompt = nil
                if cards.promptForHistory, let id = cards.selectedID {
                    cards.promptForHistory = false
                    defer { prompt.wipe() }
                    return HistoryScreen.open(.card(id), &state, password: prompt.copy())
                }
                let effects = open(&cards, &state, password: prompt.copy())
                prompt.wipe()
                return effects
            default:
                _ = prompt.handle(key)
                cards.passwordPrompt = prompt
            }
            return []
        }
        if cards.filtering {
            switch key {
            case .enter: cards.filtering = false
            case .escape:
                cards.filtering = false
                cards.filter.wipe()
                cards.closeCard()
                refresh(&cards, vault, selecting: nil)
            default:
                if cards.filter.handle(key) == .changed {
                    cards.closeCard()
                    refresh(&cards, vault, selecting: nil)
                }
            }
            return []
        }
        let area = Layout.body(Canvas(size: state.size))
        if let open = cards.open, cards.animation == nil,
           let scroll = CardReader.scrolled(open.scroll, by: key, description: App.characters(open.description),
                                            area: area) {
            cards.open?.scroll = scroll
            return []
        }
        let perRow = columns(area.width)
        switch key {
        case .left, .character("h"): move(&cards, to: cards.selection - 1)
        case .right, .character("l"): move(&cards, to: cards.selection + 1)
        case .up, .character("k"): move(&cards, to: cards.selection - perRow)
        case .down, .character("j"): move(&cards, to: cards.selection + perRow)
        case .home, .character("g"): move(&cards, to: 0)
        case .end, .character("G"): move(&cards, to: cards.visible.count - 1)
        case .pageDown: move(&cards, to: cards.selection + perRow * visibleRows(area.height))
        case .pageUp: move(&cards, to: cards.selection - perRow * visibleRows(area.height))
        case .enter:
            guard cards.selectedID != nil, cards.open?.id != cards.selectedID else { return [] }
            cards.passwordPrompt = SecretField()
        case .character("n"):
            cards.closeCard()
            cards.form = CardForm(target: nil)
        case .character("e"):
            guard let open = cards.open, let card = vault.cards.first(where: { $0.id == open.id }) else {
                state.notice = Notice("Open the card first (Enter and its password); then e edits it.")
                return []
            }
            var form = CardForm(target: open.id)
            form.keptPassword = open.password.copy()
            form.base = open.base
            form.recipient = TextField(vault.texts.withBytes(card.recipient) { Array(String(decoding: $0, as: UTF8.self)) },
                                       limit: FieldLimit.cardRecipient.maxCharacters,
                                       byteLimit: FieldLimit.cardRecipient.maxBytes)
            form.description = TextArea(App.characters(open.description), limit: FieldLimit.cardDescription.maxCharacters,
                                        byteLimit: FieldLimit.cardDescription.maxBytes, width: 40, height: 6)
            form.focus = .description
            cards.form = form
        case .character("d"), .delete:
            guard let id = cards.selectedID else { return [] }
            state.overlay = .confirmDeleteCard(id)
        case .character("u"):
            return App.undoDelete(&state)
        case .character("H"):
            // A card's versions open with its own password, as the card does.
            guard let id = cards.selectedID else { return [] }
            if let open = cards.open, open.id == id {
                return HistoryScreen.open(.card(id), &state, password: open.password.copy())
            }
            cards.passwordPrompt = SecretField()
            cards.promptForHistory = true
        case .character("/"):
            cards.filtering = true
        case .character("s"):
            App.startWork(&state, "Saving")
            return [.vault(.changeSettings(.order(vault.order.next)))]
        case .character("p"):
            guard let id = cards.selectedID else { return [] }
            App.startWork(&state, "Saving")
            return [.vault(.changeSettings(.pin(id, !vault.pinned.contains(id))))]
        case .escape:
            if cards.open != nil {
                cards.closeCard()
            } else if !cards.filter.isEmpty {
                cards.filter.wipe()
                refresh(&cards, vault, selecting: nil)
            }
        case .character("y"):
            guard let open = cards.open else {
                state.notice = Notice("Open the card first (Enter and its password); then y copies it.")
                return []
            }
            return Clipboard.copy(open.description, &state)
        default:
            break
        }
        return []
    }

    /// The first grid row shown in `area`: the selected card's row stays in view.
    static func topRow(_ cards: CardsState, _ area: Rect) -> Int {
        let perRow = columns(area.width), rows = visibleRows(area.height)
        let selectedRow = cards.selection / perRow
        var top = min(cards.scrollRow, selectedRow)
        if selectedRow >= top + rows { top = selectedRow - rows + 1 }
        return top
    }

    /// The index of the card drawn at `point` on the grid, nil when none is (or while a
    /// password, the filter or a form is typed).
    static func card(at point: Point, _ cards: CardsState, _ size: Size) -> Int? {
        var area = Layout.body(size)
        if cards.filtering || !cards.filter.isEmpty { area = area.splitBottom(1).rest }
        guard !cards.isTyping, area.contains(point) else { return nil }
        let column = (point.x - area.x) / (CardArt.width + 1), row = (point.y - area.y) / CardArt.height
        guard (point.x - area.x) % (CardArt.width + 1) < CardArt.width, column < columns(area.width),
              row < visibleRows(area.height) else { return nil }
        let index = (topRow(cards, area) + row) * columns(area.width) + column
        return cards.visible.indices.contains(index) ? index : nil
    }

    /// Moving to another card closes the open one (its text and key are wiped).
    static func move(_ cards: inout CardsState, to index: Int) {
        guard !cards.visible.isEmpty else { return }
        let target = min(max(0, index), cards.visible.count - 1)
        if target != cards.selection { cards.closeCard() }
        cards.selection = target
    }

    /// Asks to try the password on the selected card (a key derivation); the answer comes to
    /// `opened`.
    private static func open(_ cards: inout CardsState, _ state: inout AppState, password: SecretBytes) -> [AppEffect] {
        guard let id = cards.selectedID else {
            password.wipe()
            return []
        }
        App.startWork(&state, "Opening the card")
        return [.vault(.openCard(id, password: password))]
    }

    /// The password's answer: the right one starts the flip, a wrong one shakes.
    static func opened(_ cards: inout CardsState, _ state: inout AppState, _ id: ItemID,
                       _ result: Result<(description: SecretBytes, password: SecretBytes, base: CardBase?), any Error>) {
        switch result {
        case .success(let card):
            cards.closeCard()
            cards.open = OpenCard(id: id, description: card.description, password: card.password, base: card.base)
            cards.animation = CardAnimation(kind: .flip, id: id)
        case .failure(VaultError.cardWrongPassword):
            cards.animation = CardAnimation(kind: .shake, id: id)
            state.notice = Notice("wrong password", isError: true)
        case .failure(let error):
            state.notice = Notice("\(error)", isError: true)
        }
    }

    /// Advances a running flip or shake by one frame.
    static func tick(_ cards: inout CardsState) {
        guard var animation = cards.animation else { return }
        animation.frame += 1
        cards.animation = animation.frame >= animation.frameCount ? nil : animation
    }

    // MARK: Drawing

    /// The description of the card open and read (not while it flips), for its one-time code.
    static func openText(_ cards: CardsState) -> SecretBytes? {
        cards.animation == nil && cards.form == nil ? cards.open?.description : nil
    }

    static func render(_ cards: CardsState, _ state: AppState, _ canvas: inout Canvas, _ theme: Theme) -> Point? {
        guard let vault = state.vault else { return nil }
        var area = Layout.body(canvas)
        var cursor: Point?
        if cards.filtering || !cards.filter.isEmpty {
            let split = area.splitBottom(1)
            area = split.rest
            canvas.put("/ ", x: split.bottom.x, y: split.bottom.y, style: theme.accent)
            let field = Rect(x: split.bottom.x + 2, y: split.bottom.y, width: max(0, split.bottom.width - 2), height: 1)
            let point = cards.filter.render(in: field, on: &canvas, style: theme.text)
            if cards.filtering { cursor = point }
        }
        if let form = cards.form { return CardFormScreen.render(form, area, &canvas, theme) }
        if cards.visible.isEmpty {
            let text = vault.cards.isEmpty ? "No cards yet. Press n for a new one." : "No card for that name."
            canvas.put(text, x: area.x + 1, y: area.y, style: theme.dim, maxWidth: area.width - 1)
            return cursor
        }
        // The open card is read large; the grid shows while nothing is open and during the flip.
        if let open = cards.open, cards.animation == nil, let card = vault.cards.first(where: { $0.id == open.id }) {
            CardReader.render(recipient: vault.texts.string(card.recipient), description: App.characters(open.description),
                              scroll: open.scroll, in: area, on: &canvas, theme: theme,
                              code: OneTimeCode.current(in: open.description, at: state.wallTime).map(OneTimeCode.label))
        } else {
            drawGrid(cards, vault, area, &canvas, theme)
        }
        if let prompt = cards.passwordPrompt {
            let title = cards.selectedID.flatMap { id in vault.cards.first { $0.id == id } }
                .map { (cards.promptForHistory ? "Password for the versions of the card to " : "Password for the card to ")
                    + vault.texts.string($0.recipient) } ?? "Card password"
            let width = min(area.width, max(40, min(60, DisplayWidth.of(title) + 6)))
            let box = area.centered(width: width, height: min(area.height, 4))
            canvas.fill(box, style: theme.text)
            let inner = canvas.drawBox(box, border: .rounded, style: theme.border, title: title,
                                       titleStyle: theme.title).inset(horizontal: 1, vertical: 0)
            if inner.height >= 1 {
                cursor = prompt.render(in: inner.row(0), on: &canvas, style: theme.text.underlined())
            }
        }
        return cursor
    }

    private static func drawGrid(_ cards: CardsState, _ vault: VaultSnapshot, _ area: Rect, _ canvas: inout Canvas,
                                 _ theme: Theme) {
        let perRow = columns(area.width)
        let rows = visibleRows(area.height)
        let selectedRow = cards.selection / perRow
        let top = topRow(cards, area)
        // The selected card is drawn last, so a shake slides it over its neighbours, not under them.
        var slots = Array(0..<(rows * perRow))
        if let selectedSlot = slots.firstIndex(of: (selectedRow - top) * perRow + cards.selection % perRow) {
            slots.append(slots.remove(at: selectedSlot))
        }
        for slot in slots {
            let index = (top + slot / perRow) * perRow + slot % perRow
            guard index < cards.visible.count else { continue }
            let card = cards.visible[index]
            let box = Rect(x: area.x + (slot % perRow) * (CardArt.width + 1), y: area.y + (slot / perRow) * CardArt.height,
                           width: min(CardArt.width, area.width), height: min(CardArt.height, area.height))
            drawCard(card, cards, vault, box, &canvas, theme, selected: index == cards.selection)
            if vault.pinned.contains(card.id), box.width > 2 {
                canvas.put("*", x: box.x + 1, y: box.y, style: theme.accent)
            }
        }
    }

    private static func drawCard(_ card: CardSummary, _ cards: CardsState, _ vault: VaultSnapshot, _ box: Rect,
                                 _ canvas: inout Canvas, _ theme: Theme, selected: Bool) {
        let recipient = vault.texts.string(card.recipient)
        var showsFace = cards.open?.id == card.id
        var drawn = box
        if let animation = cards.animation, animation.id == card.id {
            switch animation.kind {
            case .flip:
                let frame = CardArt.flipFrames[min(animation.frame, CardArt.flipFrames.count - 1)]
                let width = min(frame.width, box.width)
                drawn = Rect(x: box.x + (box.width - width) / 2, y: box.y, width: width, height: box.height)
                showsFace = showsFace && frame.showsFace
            case .shake:
                let offset = CardArt.shakeOffsets[min(animation.frame, CardArt.shakeOffsets.count - 1)]
                drawn = Rect(x: max(0, box.x + offset), y: box.y, width: box.width, height: box.height)
            }
        }
        if showsFace, let open = cards.open {
            CardArt.drawFace(recipient: recipient, description: App.characters(open.description), scroll: 0,
                             in: drawn, on: &canvas, theme: theme, selected: selected)
        } else {
            CardArt.drawBack(recipient: recipient, in: drawn, on: &canvas, theme: theme, selected: selected)
        }
    }

    static func hints(_ cards: CardsState) -> [KeyHint] {
        if let form = cards.form { return CardFormScreen.hints(form) }
        if cards.open != nil, cards.animation == nil, !cards.isTyping {
            return [KeyHint("q Esc", "close card"), KeyHint("↑↓", "scroll"), KeyHint("e", "edit"), KeyHint("y", "copy"),
                    KeyHint("← →", "next card"), KeyHint("?", "help"), KeyHint("^L", "lock")]
        }
        if cards.passwordPrompt != nil { return [KeyHint("Enter", "open"), KeyHint("Esc", "cancel"), KeyHint("^L", "lock")] }
        if cards.filtering { return [KeyHint("Enter", "keep filter"), KeyHint("Esc", "clear"), KeyHint("^L", "lock")] }
        return [KeyHint("Enter", "open"), KeyHint("n", "new"), KeyHint("e", "edit"), KeyHint("y", "copy"),
                KeyHint("d", "delete"), KeyHint("/", "filter"), KeyHint("u", "undo"), KeyHint("H", "history"),
                KeyHint("Tab", "tasks"), KeyHint("?", "help"), KeyHint("^L", "lock"),
                KeyHint("q", "quit")]
    }

    static func header(_ cards: CardsState, _ state: AppState) -> String {
        let total = state.vault?.cards.count ?? 0
        if !cards.filter.isEmpty { return "\(cards.visible.count) of \(total) cards" }
        return (total == 1 ? "1 card" : "\(total) cards") + App.orderSuffix(state.vault)
    }
}
