import OnionsCore
import TerminalUI

/// Where things go on every screen: a header row, the body, and the status line.
enum Layout {
    static func body(_ canvas: Canvas) -> Rect { body(canvas.size) }

    static func body(_ size: Size) -> Rect {
        Rect(x: 1, y: 2, width: max(0, size.width - 2), height: max(0, size.height - 4))
    }

    /// The editor's info area for a terminal of `size` (below the title and the rule).
    static func infoArea(_ size: Size) -> Size {
        Size(width: max(1, size.width - 2), height: max(1, size.height - 6))
    }
}

extension App {
    /// Draws the whole screen for `state` and returns where the cursor goes (nil: hidden).
    public static func render(_ state: AppState, into canvas: inout Canvas, theme: Theme = .standard) -> Point? {
        canvas.clear()
        guard canvas.size.fits(minimumSize) else {
            TooSmallMessage.render(on: &canvas, minimum: minimumSize, style: theme.text)
            return nil
        }
        var cursor: Point?
        let hints: [KeyHint]
        let headerRight: String
        switch state.screen {
        case .login(let form):
            cursor = LoginScreen.render(form, state, &canvas, theme)
            hints = LoginScreen.hints(form)
            headerRight = ""
        case .locked(let lockState):
            cursor = LockScreen.render(lockState, state, &canvas, theme)
            hints = LockScreen.hints
            headerRight = "locked"
        case .list(let list):
            cursor = OnionListScreen.render(list, state, &canvas, theme)
            hints = OnionListScreen.hints(list)
            headerRight = OnionListScreen.header(list, state)
        case .editor(let editor):
            cursor = EditorScreen.render(editor, state, &canvas, theme)
            hints = EditorScreen.hints(editor)
            headerRight = editor.target == nil ? "new onion" : "editing"
        case .cards(let cards):
            cursor = CardsScreen.render(cards, state, &canvas, theme)
            hints = CardsScreen.hints(cards)
            headerRight = CardsScreen.header(cards, state)
        case .tasks(let tasks):
            cursor = TasksScreen.render(tasks, state, &canvas, theme)
            hints = TasksScreen.hints(tasks)
            headerRight = TasksScreen.header(tasks, state)
        case .history(let history):
            HistoryScreen.render(history, state, &canvas, theme)
            hints = HistoryScreen.hints(history)
            headerRight = HistoryScreen.header(history)
        case .trash(let trash):
            TrashScreen.render(trash, state, &canvas, theme)
            hints = TrashScreen.hints(trash)
            headerRight = TrashScreen.header(trash)
        }
        drawHeader(state, right: headerRight, &canvas, theme)
        if let view = currentView(state) {
            ViewBar.render(current: view, counts: ViewBar.counts(state.vault), in: canvas.bounds.row(1), on: &canvas,
                           theme: theme)
        }
        if let overlay = state.overlay {
            cursor = nil
            drawOverlay(overlay, state, &canvas, theme)
        }
        if let busy = state.busy, busy.shown {
            cursor = nil
            let text = "\(Spinner.dots.frame(at: state.tickCount)) \(busy.label)…"
            Dialog(message: text).render(in: canvas.bounds, on: &canvas, style: theme.text, keyStyle: theme.keyHint)
        }
        if let notice = state.notice, state.overlay != .messages {
            // A notice longer than the row wraps upwards over the body's last rows, up to half
            // the body; when even that is short, its last row says where the rest is.
            var lines = TextArea(Array(noticeText(notice, state.vault)), width: max(1, canvas.width - 2), height: 1).wrappedLines
            let room = max(1, min(8, (canvas.height - 6) / 2))
            if lines.count > room {
                lines = Array(lines.prefix(room))
                // `m` opens the messages view in the views of the vault; elsewhere "…" alone.
                let more = Array(currentView(state) != nil ? "… m: all of it" : "…")
                var last = Array(lines[room - 1])
                let width = max(1, canvas.width - 2)
                while !last.isEmpty, DisplayWidth.of(String(last)) + more.count + 1 > width { last.removeLast() }
                lines[room - 1] = String(last) + " " + String(more)
            }
            let shown = lines
            for (index, line) in shown.enumerated() {
                let row = canvas.bounds.row(canvas.height - 1 - shown.count + index)
                canvas.fill(row, style: theme.text)
                canvas.put(line, x: row.x + 1, y: row.y, style: notice.isError ? theme.error : theme.accent,
                           maxWidth: row.width - 2)
            }
        }
        StatusLine((overlayHints(state.overlay) ?? hints).map(markingEssential)).render(in: canvas.bounds.row(canvas.height - 1), on: &canvas, style: theme.text,
                                 keyStyle: theme.keyHint)
        return cursor
    }

    /// The view of the vault the screen shows (nil on the log-in, lock and editor screens).
    static func currentView(_ state: AppState) -> VaultView? {
        switch state.screen {
        case .list: return .onions
        case .cards: return .cards
        case .tasks: return .tasks
        case .trash: return .trash
        case .login, .locked, .editor, .history: return nil
        }
    }

    /// Locking and quitting stay on the status line however narrow it is.
    private static func markingEssential(_ hint: KeyHint) -> KeyHint {
        KeyHint(hint.key, hint.label, essential: hint.isEssential || hint.label == "lock" || hint.label == "quit")
    }

    /// The part of the header that changes with time alone: a turning spinner while a sync
    /// takes longer than a moment, and the seconds left in the last 30 before the idle lock.
    /// Empty when neither shows (the loop redraws on a tick only when this changed).
    static func clockFace(_ state: AppState) -> String {
        guard state.vault != nil else { return "" }
        var parts: [String] = []
        if state.syncing, state.now - state.lastSyncCheck >= Busy.showAfter {
            parts.append("\(Spinner.dots.frame(at: state.tickCount)) syncing")
        }
        let left = state.lockAfter - (state.now - state.lastActivity)
        if left <= lockWarning {
            parts.append("locks in \(max(0, Int(left.rounded(.up)))) s")
        }
        return parts.joined(separator: " · ")
    }

    /// Seconds before the idle lock from which the header counts down.
    static let lockWarning = 30.0

    private static func drawHeader(_ state: AppState, right: String, _ canvas: inout Canvas, _ theme: Theme) {
        let row = canvas.bounds.row(0)
        var left = " onions"
        if state.vault != nil || !state.username.isEmpty, case .login = state.screen {} else if !state.username.isEmpty {
            left += " · " + state.username
        }
        canvas.put(left, x: row.x, y: row.y, style: theme.title, maxWidth: row.width)
        var right = right
        if state.vault != nil, state.remote.configured {
            let sync = state.remote.refusedReason != nil ? "sync refused" : state.remote.offlineReason != nil ? "offline" : "synced"
            right = sync + " · " + right
        }
        // The countdown and the sync spinner come first, and stay when the rest does not fit.
        let face = clockFace(state)
        if !face.isEmpty { right = right.isEmpty ? face : face + " · " + right }
        for text in [right, face] where !text.isEmpty {
            let width = DisplayWidth.of(text)
            if width + DisplayWidth.of(left) + 2 <= row.width {
                canvas.put(text, x: row.maxX - width - 1, y: row.y, style: theme.dim)
                break
            }
        }
        canvas.fill(canvas.bounds.row(1), with: "─", style: theme.border)
    }

    /// The keys a dialog or the help answers to, for the status line while it is shown.
    private static func overlayHints(_ overlay: Overlay?) -> [KeyHint]? {
        switch overlay {
        case nil: return nil
        case .help?, .messages?, .account?: return [KeyHint("↑↓", "scroll"), KeyHint("any other key", "close")]
        case .offerPasteRest?: return [KeyHint("n", "new onion"), KeyHint("Esc", "drop them"), KeyHint("^L", "lock")]
        default: return [KeyHint("y", "yes"), KeyHint("n", "no"), KeyHint("^L", "lock")]
        }
    }

    private static func drawOverlay(_ overlay: Overlay, _ state: AppState, _ canvas: inout Canvas, _ theme: Theme) {
        switch overlay {
        case .help:
            HelpOverlay.render(&canvas, theme, scroll: state.helpScroll)
        case .messages:
            MessagesOverlay.render(state, &canvas, theme)
        case .account:
            AccountOverlay.render(state, &canvas, theme)
        case .confirmQuitLosingDraft:
            Dialog(message: "Your draft is held only in memory: the store would not take it. Quitting now loses it; "
                       + "unlock and save it (or copy it) first. Quit anyway? (y/n)",
                   hints: [KeyHint("y", "quit and lose it"), KeyHint("n", "stay")])
                .render(in: canvas.bounds, on: &canvas, style: theme.text, keyStyle: theme.keyHint)
        case .confirmDiscard:
            Dialog(message: "Discard changes? (y/n)", hints: [KeyHint("y", "discard"), KeyHint("n", "keep editing")])
                .render(in: canvas.bounds, on: &canvas, style: theme.text, keyStyle: theme.keyHint)
        case .confirmDelete(let id):
            let title = state.vault?.onions.first { $0.id == id }.map { "the onion “\(state.vault!.title($0))”" }
            Dialog(message: "Delete \(title ?? "this onion")? It goes to the trash; u brings it back. (y/n)",
                   hints: [KeyHint("y", "delete"), KeyHint("n", "keep")])
                .render(in: canvas.bounds, on: &canvas, style: theme.text, keyStyle: theme.keyHint)
        case .confirmDeleteCard(let id):
            let card = state.vault?.cards.first { $0.id == id }.map { "the card to “\(state.vault!.texts.string($0.recipient))”" }
            Dialog(message: "Delete \(card ?? "this card")? It goes to the trash; u brings it back. (y/n)",
                   hints: [KeyHint("y", "delete"), KeyHint("n", "keep")])
                .render(in: canvas.bounds, on: &canvas, style: theme.text, keyStyle: theme.keyHint)
        case .confirmDeleteTask(let id):
            let task = state.vault?.tasks.first { $0.id == id }.map { "task \(id) “\(state.vault!.texts.string($0.text))”" }
            Dialog(message: "Delete \(task ?? "this task")? (y/n)", hints: [KeyHint("y", "delete"), KeyHint("n", "keep")])
                .render(in: canvas.bounds, on: &canvas, style: theme.text, keyStyle: theme.keyHint)
        case .offerPasteRest(let count):
            Dialog(message: "\(count) character\(count == 1 ? "" : "s") did not fit in the info: put them in a new "
                       + "onion, or drop them?",
                   hints: [KeyHint("n", "a new onion"), KeyHint("Esc", "drop them")])
                .render(in: canvas.bounds, on: &canvas, style: theme.text, keyStyle: theme.keyHint)
        case .confirmCardPasswordIsVaultPassword:
            Dialog(message: "This card password is your vault password. A card's own password should differ. "
                   + "Use it anyway? (y/n)", hints: [KeyHint("y", "use it"), KeyHint("n", "choose another")])
                .render(in: canvas.bounds, on: &canvas, style: theme.text, keyStyle: theme.keyHint)
        }
    }
}
