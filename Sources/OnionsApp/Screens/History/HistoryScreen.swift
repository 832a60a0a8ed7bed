import OnionsCore
import OnionsCrypto
import TerminalUI

/// An item's versions (`H` on an onion, a card or a task): listed with number, time and machine,
/// the selected one beside the current one with the changed lines marked; Enter saves the
/// selected one again as the newest version (nothing is overwritten), Esc goes back. A conflict
/// copy's history says what it was copied from, and `o` gives that item the copy's text.
/// A click selects a version, a second click on it restores it (`MouseInput`).
enum HistoryScreen {
    /// `H` in a view of the vault: asks for the versions of `item` (a card's with its password).
    static func open(_ item: ItemRef, _ state: inout AppState, password: SecretBytes? = nil) -> [AppEffect] {
        App.startWork(&state, "Opening the history")
        return [.vault(.history(item, password: password))]
    }

    static func update(_ history: inout HistoryState, _ state: inout AppState, _ key: Key) -> [AppEffect] {
        switch key {
        case .escape, .character("q"):
            return leave(history, &state)
        case .enter:
            guard let line = history.selected else { return [] }
            if line.version.number == history.current.number {
                state.notice = Notice("Version \(line.version.number) is the current one; choose an older one to restore.")
                return []
            }
            App.startWork(&state, "Restoring")
            return [.vault(.restoreVersion(history.item, line.version))]
        case .character("o"):
            return restoreOtherSide(history, &state)
        case .pageDown, .character(" "):
            history.scroll += max(1, compareRows(state.size) - 1)
        case .pageUp, .character("b"):
            history.scroll = max(0, history.scroll - max(1, compareRows(state.size) - 1))
        case .character("?"), .function(1):
            state.overlay = .help
            state.helpScroll = HelpOverlay.firstLine(of: "History", state.size)
        case .character("m"):
            state.overlay = .messages
            state.helpScroll = Int.max / 2
        default:
            if history.list.handle(key, viKeys: true) { return openSelected(&history) }
        }
        return []
    }

    /// Asks for the selected version's text (the current one is at hand already).
    static func openSelected(_ history: inout HistoryState) -> [AppEffect] {
        guard let line = history.selected, history.asked != line.version.number else { return [] }
        history.shown?.wipe()
        history.shown = nil
        history.diff.removeAll()
        history.scroll = 0
        history.asked = line.version.number
        if line.version.number == history.current.number {
            let same = VersionText(number: history.current.number, text: history.current.text.copy())
            history.shown = same
            history.diff = LineDiff.diff(old: same.text, new: history.current.text)
            return []
        }
        return [.vault(.openVersion(history.item, line.version, password: history.password?.copy()))]
    }

    /// Esc: back to the view the history was opened from, the item (or `selecting`) selected;
    /// its texts are wiped.
    static func leave(_ history: HistoryState, _ state: inout AppState, selecting: ItemRef? = nil) -> [AppEffect] {
        var history = history
        history.wipe()
        switch selecting ?? history.item {
        case .onion(let id): return App.openList(&state, selecting: id)
        case .card(let id): return App.show(.cards, &state, selectingCard: id)
        case .task(let n): return App.show(.tasks, &state, selectingTask: n)
        }
    }

    // MARK: Answers

    static func opened(_ state: inout AppState, _ item: ItemRef, _ result: Result<HistoryListing, any Error>) {
        App.finishWork(&state)
        switch result {
        case .success(let listing):
            let back: VaultView
            switch state.screen {
            case .history(let shown): back = shown.back
            default: back = App.currentView(state) ?? .onions
            }
            guard App.currentView(state) != nil || isHistory(state) else {
                listing.wipe()
                return
            }
            App.wipeScreen(&state)
            state.screen = .history(HistoryState(item: item, back: back, listing: listing))
        case .failure(VaultError.cardWrongPassword):
            state.notice = Notice("wrong password", isError: true)
        case .failure(let error):
            state.notice = Notice("\(error)", isError: true)
        }
    }

    private static func isHistory(_ state: AppState) -> Bool {
        if case .history = state.screen { return true }
        return false
    }

    static func versionOpened(_ state: inout AppState, _ item: ItemRef, _ result: Result<VersionText, any Error>) {
        switch result {
        case .success(let text):
            guard case .history(var history) = state.screen, history.item == item, history.asked == text.number else {
                text.wipe()
                return
            }
            history.shown?.wipe()
            history.shown = text
            history.diff = LineDiff.diff(old: text.text, new: history.current.text)
            state.screen = .history(history)
        case .failure(let error):
            state.notice = Notice("\(error)", isError: true)
        }
    }

    static func restored(_ state: inout AppState, _ item: ItemRef, number: Int, _ result: Result<Void, any Error>) -> [AppEffect] {
        App.finishWork(&state)
        switch result {
        case .success:
            state.notice = Notice("Version \(number) restored as the newest version; the one it replaced is kept.")
            guard case .history(let history) = state.screen, history.item == item else { return [] }
            return open(item, &state, password: history.password?.copy())
        case .failure(let error):
            state.notice = Notice("\(error)", isError: true)
            return []
        }
    }

    // MARK: Drawing

    /// Where the history draws: the versions, the comparison, and whether the two versions
    /// stand side by side there (else one column, `-` and `+` lines in turn). Wide: the
    /// versions on the left; otherwise above the comparison, a rule between them.
    /// `origin`: a conflict copy's history, whose first row says what it came from.
    static func layout(_ size: Size, count: Int, origin: Bool = false) -> (list: Rect, rule: Rect?, compare: Rect, sideBySide: Bool) {
        var body = Layout.body(size)
        if origin && body.height > 2 { body = body.splitTop(1).rest }
        if body.width >= 120 {
            let split = body.splitLeft(54)
            let rest = split.rest.splitLeft(2)
            return (split.left, Rect(x: rest.left.x, y: rest.left.y, width: 1, height: rest.left.height), rest.rest, true)
        }
        let rows = min(max(1, count), max(2, body.height / 3))
        let top = body.splitTop(rows)
        let rule = top.rest.splitTop(1)
        return (top.top, rule.top, rule.rest, body.width >= 60)
    }

    /// The index of the version listed at `point`, nil when none is.
    static func version(at point: Point, _ history: HistoryState, _ size: Size) -> Int? {
        let area = layout(size, count: history.lines.count, origin: history.origin != nil).list
        guard area.contains(point) else { return nil }
        let index = history.list.visibleRange(rows: area.height).lowerBound + point.y - area.y
        return history.lines.indices.contains(index) ? index : nil
    }

    /// Rows of the comparison's text at `size` (below its titles).
    static func compareRows(_ size: Size) -> Int { max(1, layout(size, count: 0).compare.height - 1) }

    static func render(_ history: HistoryState, _ state: AppState, _ canvas: inout Canvas, _ theme: Theme) {
        let place = layout(canvas.size, count: history.lines.count, origin: history.origin != nil)
        if let origin = history.origin {
            let row = Layout.body(canvas.size)
            // "o: ..." only where it fits whole (the key bar names o too).
            let hint = origin.restorable ? "; o: the \(history.item.kind) takes this text" : ""
            let text = DisplayWidth.of(origin.text + hint) <= row.width ? origin.text + hint : origin.text
            canvas.put(text, x: row.x, y: row.y, style: theme.accent, maxWidth: row.width)
        }
        var list = history.list
        list.visibleRows = place.list.height
        list.render(in: place.list, on: &canvas, style: theme.text) { index, row, selected, canvas in
            let line = history.lines[index]
            let style = selected ? theme.selection : theme.text
            canvas.fill(row, style: style)
            let number = String(line.version.number)
            // "11-26 16:30" on a narrow terminal, so that the machine shows too.
            let when = row.width >= 50 ? line.when : String(line.when.dropFirst(5).prefix(11))
            let text = (selected ? "›" : " ") + String(repeating: " ", count: max(1, 4 - number.count)) + number + "  "
                + when + "  " + line.machine + (line.version.isCurrent ? "  (current)" : "")
            canvas.put(text, x: row.x, y: row.y, style: style, maxWidth: row.width)
        }
        if let rule = place.rule {
            if rule.height == 1 {
                canvas.fill(rule, with: "─", style: theme.border)
            } else {
                for y in rule.y..<rule.maxY { canvas.put("│", x: rule.x, y: y, style: theme.border) }
            }
        }
        HistoryCompare.render(history, place.compare, sideBySide: place.sideBySide, &canvas, theme)
    }

    static func header(_ history: HistoryState) -> String {
        let count = history.lines.count == 1 ? "1 version" : "\(history.lines.count) versions"
        switch history.item {
        case .onion: return "\(count) of the onion"
        case .card: return "\(count) of the card"
        case .task(let n): return "\(count) of task \(n)"
        }
    }

    static func hints(_ history: HistoryState) -> [KeyHint] {
        [KeyHint("↑↓", "version"), KeyHint("Enter", "restore")]
            + (history.origin?.restorable == true ? [KeyHint("o", "other side")] : [])
            + [KeyHint("PgDn", "scroll"), KeyHint("Esc", "back"), KeyHint("?", "help"), KeyHint("^L", "lock")]
    }
}
