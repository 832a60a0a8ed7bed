import TerminalUI

/// What a click or the wheel does: a click selects the onion, card, task, version (history) or
/// deleted item (trash) under it (a second click on it within `doubleClickSeconds` acts as
/// Enter does: opens it, restores the version, brings the item back), a click in the editor
/// puts the cursor there, and the wheel scrolls the list, the grid, the editor's info, the
/// read view and the help.
///
/// A report is never a key: it acts only on what is drawn under it, and does nothing while a
/// dialog asks a question, or on screens without such things.
enum MouseInput {
    static let doubleClickSeconds = 0.4
    /// Rows one turn of the wheel scrolls.
    static let wheelRows = 3

    /// `key` hands a key to the screens (for a double click, which acts as Enter does).
    static func handle(_ state: inout AppState, _ mouse: MouseEvent,
                       key: (inout AppState, Key) -> [AppEffect]) -> [AppEffect] {
        guard state.vault != nil else { return [] }
        state.lastActivity = max(state.lastActivity, state.now)
        let point = Point(x: mouse.x, y: mouse.y)
        switch mouse.kind {
        case .wheelUp, .wheelDown:
            return wheel(&state, down: mouse.kind == .wheelDown, key: key)
        case .press(.left):
            guard state.overlay == nil else { return [] }
            let double = state.lastClick.map { $0.x == mouse.x && $0.y == mouse.y
                && state.now - $0.at <= doubleClickSeconds } ?? false
            state.lastClick = double ? nil : (mouse.x, mouse.y, state.now)
            if point.y == 1, let view = viewBarView(at: point, state) {
                return key(&state, .character(view == .onions ? "1" : view == .cards ? "2" : view == .tasks ? "3" : "4"))
            }
            return click(&state, at: point, double: double, key: key)
        case .press, .release:
            return []
        }
    }

    /// The view whose name in the view bar (the row under the header) is at `point`; nil where
    /// no view is named, or when no vault view is showing.
    static func viewBarView(at point: Point, _ state: AppState) -> VaultView? {
        guard let current = App.currentView(state) else { return nil }
        return ViewBar.view(atColumn: point.x, current: current, counts: ViewBar.counts(state.vault),
                            width: state.size.width)
    }

    private static func click(_ state: inout AppState, at point: Point, double: Bool,
                              key: (inout AppState, Key) -> [AppEffect]) -> [AppEffect] {
        switch state.screen {
        case .list(var list):
            guard let index = OnionListScreen.onion(at: point, list, state.size) else { return [] }
            let moved = list.list.selection != index
            list.list.select(index)
            let preview = OnionListScreen.loadPreview(&list, &state)
            // A double click opens even while the search is typed (Enter would only keep it).
            if double && !moved { list.searching = false }
            state.screen = .list(list)
            return preview + (double && !moved ? key(&state, .enter) : [])
        case .tasks(var tasks):
            guard let index = TasksScreen.task(at: point, tasks, state.size) else { return [] }
            let moved = tasks.list.selection != index
            tasks.list.select(index)
            state.screen = .tasks(tasks)
            return double && !moved ? key(&state, .character("e")) : []
        case .cards(var cards):
            guard let index = CardsScreen.card(at: point, cards, state.size) else { return [] }
            let moved = cards.selection != index
            CardsScreen.move(&cards, to: index)
            state.screen = .cards(cards)
            return double && !moved ? key(&state, .enter) : []
        case .editor(var editor):
            EditorScreen.click(&editor, at: point, state.size)
            state.screen = .editor(editor)
            return []
        case .history(var history):
            guard let index = HistoryScreen.version(at: point, history, state.size) else { return [] }
            let moved = history.list.selection != index
            history.list.select(index)
            let opened = HistoryScreen.openSelected(&history)
            state.screen = .history(history)
            return opened + (double && !moved ? key(&state, .enter) : [])
        case .trash(var trash):
            guard let index = TrashScreen.line(at: point, trash, state.size) else { return [] }
            let moved = trash.list.selection != index
            trash.list.select(index)
            state.screen = .trash(trash)
            return double && !moved ? key(&state, .enter) : []
        case .login, .locked:
            return []
        }
    }

    private static func wheel(_ state: inout AppState, down: Bool,
                              key: (inout AppState, Key) -> [AppEffect]) -> [AppEffect] {
        let rows = down ? wheelRows : -wheelRows
        var effects: [AppEffect] = []
        if state.overlay == .help {
            for _ in 0..<wheelRows { effects += key(&state, down ? .down : .up) }
            return effects
        }
        guard state.overlay == nil else { return [] }
        switch state.screen {
        case .list(var list):
            if var reader = list.reader {
                ReaderScreen.fit(&list, state.size)
                reader = list.reader!
                reader.view.scroll(by: rows)
                list.reader = reader
            } else {
                for _ in 0..<wheelRows { _ = list.list.handle(down ? .down : .up) }
                effects += OnionListScreen.loadPreview(&list, &state)
            }
            state.screen = .list(list)
        case .tasks(var tasks):
            guard !tasks.isTyping else { return [] }
            for _ in 0..<wheelRows { _ = tasks.list.handle(down ? .down : .up) }
            state.screen = .tasks(tasks)
        case .cards(let cards):
            guard !cards.isTyping else { return [] }
            effects += key(&state, down ? .down : .up)
        case .editor(var editor):
            EditorScreen.fit(&editor, state.size)
            _ = editor.info.scroll(by: rows)
            state.screen = .editor(editor)
        case .history, .trash:
            effects += key(&state, down ? .down : .up)
        case .login, .locked:
            break
        }
        return effects
    }
}
