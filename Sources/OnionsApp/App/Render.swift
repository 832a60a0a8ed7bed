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
        if let notice = state.notice {
            // A notice longer than the row wraps upwards over the body's last rows: up to three
            // on a tall terminal, one on a short one (where the body has no rows to spare).
            let lines = TextArea(Array(notice.text), width: max(1, canvas.width - 2), height: 1).wrappedLines
            let shown = lines.prefix(min(3, max(1, (canvas.height - 6) / 2)))
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
        case .login, .locked, .editor: return nil
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
        case .help?: return [KeyHint("↑↓", "scroll"), KeyHint("any other key", "close")]
        default: return [KeyHint("y", "yes"), KeyHint("n", "no"), KeyHint("^L", "lock")]
        }
    }

    private static func drawOverlay(_ overlay: Overlay, _ state: AppState, _ canvas: inout Canvas, _ theme: Theme) {
        switch overlay {
        case .help:
            HelpOverlay.render(&canvas, theme, scroll: state.helpScroll)
        case .confirmQuitLosingDraft:
            Dialog(message: "Your draft is held only in memory: the store would not take it. Quitting now loses it; "
                       + "unlock and save it (or copy it) first. Quit anyway? (y/n)",
                   hints: [KeyHint("y", "quit and lose it"), KeyHint("n", "stay")])
                .render(in: canvas.bounds, on: &canvas, style: theme.text, keyStyle: theme.keyHint)
        case .confirmDiscard:
            Dialog(message: "Discard changes? (y/n)", hints: [KeyHint("y", "discard"), KeyHint("n", "keep editing")])
                .render(in: canvas.bounds, on: &canvas, style: theme.text, keyStyle: theme.keyHint)
        case .confirmDelete:
            Dialog(message: "Delete this onion? It cannot be undone. (y/n)",
                   hints: [KeyHint("y", "delete"), KeyHint("n", "keep")])
                .render(in: canvas.bounds, on: &canvas, style: theme.text, keyStyle: theme.keyHint)
        case .confirmDeleteCard:
            Dialog(message: "Delete this card? It cannot be undone. (y/n)",
                   hints: [KeyHint("y", "delete"), KeyHint("n", "keep")])
                .render(in: canvas.bounds, on: &canvas, style: theme.text, keyStyle: theme.keyHint)
        case .confirmDeleteTask:
            Dialog(message: "Delete this task? (y/n)", hints: [KeyHint("y", "delete"), KeyHint("n", "keep")])
                .render(in: canvas.bounds, on: &canvas, style: theme.text, keyStyle: theme.keyHint)
        case .confirmCardPasswordIsVaultPassword:
            Dialog(message: "This card password is your vault password. A card's own password should differ. "
                   + "Use it anyway? (y/n)", hints: [KeyHint("y", "use it"), KeyHint("n", "choose another")])
                .render(in: canvas.bounds, on: &canvas, style: theme.text, keyStyle: theme.keyHint)
        }
    }
}

/// Every key of every screen (`?` or F1).
enum HelpOverlay {
    /// The screens help opens from come first, so their keys show on a 24-row terminal.
    static let sections: [(String, [KeyHint])] = [
        ("Everywhere", [KeyHint("Ctrl-L", "lock now (an unsaved draft is sealed first)"),
                        KeyHint("Ctrl-Z", "lock and suspend; fg shows the lock screen"),
                        KeyHint("Ctrl-R", "draw the whole screen again"),
                        KeyHint("Ctrl-C", "says how to quit (quits on the log-in and lock screens)"),
                        KeyHint("? / F1", "this help (↑ ↓ scroll, other keys close)")]),
        ("Onion list", [KeyHint("↑ ↓ / j k", "move"), KeyHint("PgUp PgDn / g G", "page, first, last"),
                        KeyHint("Enter", "read"), KeyHint("e", "edit"), KeyHint("n", "new onion"),
                        KeyHint("d", "delete (asks)"),
                        KeyHint("/", "search titles and infos; Enter keeps, Esc clears"),
                        KeyHint("y", "copy the info (OSC 52; cleared after a while)"),
                        KeyHint("s", "order: newest change, title, created"),
                        KeyHint("p", "pin to the top or unpin"), KeyHint("q", "quit")]),
        ("Editor", [KeyHint("Tab", "title ⇄ info"), KeyHint("Enter", "next line (in the info)"),
                    KeyHint("Ctrl-T", "type a tab in the info (shown to the next 8-column stop)"),
                    KeyHint("Ctrl-S", "save"), KeyHint("Esc", "back (asks before discarding)"),
                    KeyHint("Ctrl-Y", "copy the info"),
                    KeyHint("Home End PgUp PgDn", "move (Home End: the line)"),
                    KeyHint("Ctrl-Home Ctrl-End", "start, end of the text"),
                    KeyHint("Alt-b/f Ctrl-←/→", "word left, right"),
                    KeyHint("Ctrl-W / Alt-Bksp", "delete the word before"), KeyHint("Alt-d", "delete the word after"),
                    KeyHint("Ctrl-K Ctrl-U", "delete to the line's end, start"),
                    KeyHint("Ctrl-_ / Alt-u", "undo (Ctrl-/ too in most terminals)"), KeyHint("Alt-r", "redo")]),
        ("Reading", [KeyHint("↑ ↓ PgUp PgDn", "scroll (also j k, Space b)"), KeyHint("Home End / g G", "top, end"),
                     KeyHint("n N", "next, previous match (past the last: next onion)"), KeyHint("e", "edit (Enter scrolls a line)"),
                     KeyHint("q / Esc", "close the read view, back to the list")]),
        ("Cards", [KeyHint("← → / h l", "move (the open card closes)"), KeyHint("↑ ↓ / j k", "move, or scroll the open card"),
                   KeyHint("Enter", "open with the card's password"), KeyHint("n", "new card"),
                   KeyHint("e", "edit the open card"), KeyHint("y", "copy the open card"),
                   KeyHint("d", "delete (asks)"), KeyHint("/", "filter by recipient"),
                   KeyHint("s / p", "order / pin, as in the list"),
                   KeyHint("↑ ↓ PgUp PgDn", "scroll an open card (Home End: top, end)"),
                   KeyHint("← →", "next card (the open one closes)"), KeyHint("q / Esc", "close the card")]),
        ("Tasks", [KeyHint("n", "new task (Enter saves)"), KeyHint("Space / x", "done / not done"),
                   KeyHint("e", "edit"), KeyHint("d", "delete (asks)"), KeyHint("h", "hide or show done tasks"),
                   KeyHint("K J / Shift-↑ ↓", "move the task up or down")]),
        ("Views", [KeyHint("Tab / 1 2 3", "onions, cards, tasks"), KeyHint("q", "quit (closes a read view or card first)")]),
        ("Mouse", [KeyHint("click", "select; twice opens"), KeyHint("wheel", "scroll"),
                   KeyHint("Shift+drag", "select text in the terminal (--no-mouse: no reports)")]),
        ("Locked", [KeyHint("Enter", "unlock with the password")]),
        ("Log in", [KeyHint("Tab / Enter", "next field; Enter on Password logs in"),
                    KeyHint("Ctrl-N", "create a new vault (a server never says a username is new)"),
                    KeyHint("Ctrl-T", "show or hide the password typed (here, the lock and card forms)"),
                    KeyHint("Esc", "back to the username"), KeyHint("Ctrl-C", "quit")]),
    ]

    /// The help as lines: (key or section, label, is a section heading).
    static let lines: [(String, String, Bool)] = {
        var lines: [(String, String, Bool)] = []
        for (index, (section, keys)) in sections.enumerated() {
            if index > 0 { lines.append(("", "", false)) }
            lines.append((section, "", true))
            for hint in keys { lines.append((hint.key, hint.label, false)) }
        }
        return lines
    }()

    static var lineCount: Int { lines.count }

    /// The line where `section` begins (0 when there is none): help opened from a screen starts
    /// at that screen's keys.
    static func firstLine(of section: String) -> Int {
        lines.firstIndex { $0.2 && $0.0 == section } ?? 0
    }

    /// Draws the help box from line `scroll`; "↓ more" marks lines below the box.
    static func render(_ canvas: inout Canvas, _ theme: Theme, scroll: Int) {
        let keyWidth = 19
        let width = min(canvas.width - 2, 72)
        let height = min(canvas.height - 2, lines.count + 2)
        let box = canvas.bounds.centered(width: width, height: height)
        canvas.fill(box, style: theme.text)
        let inner = canvas.drawBox(box, border: .rounded, style: theme.border, title: "help", titleStyle: theme.title)
            .inset(horizontal: 1, vertical: 0)
        let first = min(max(0, scroll), max(0, lines.count - inner.height))
        for (row, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
            if line.2 {
                canvas.put(line.0, x: inner.x, y: inner.y + row, style: theme.accent, maxWidth: inner.width)
            } else {
                canvas.put(line.0, x: inner.x + 1, y: inner.y + row, style: theme.keyHint, maxWidth: keyWidth)
                canvas.put(line.1, x: inner.x + 1 + keyWidth, y: inner.y + row, style: theme.text,
                           maxWidth: max(0, inner.width - keyWidth - 1))
            }
        }
        if first + inner.height < lines.count, box.height >= 2 {
            canvas.put(" ↓ more (j/↓) ", x: box.maxX - 16, y: box.maxY - 1, style: theme.dim)
        }
    }
}
