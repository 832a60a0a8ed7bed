import OnionsCore
import OnionsCrypto
import TerminalUI

/// The checklist: tasks done or not done, added and edited on one input line.
enum TasksScreen {
    static func refresh(_ tasks: inout TasksState, _ vault: VaultSnapshot?, selecting id: UInt16?) {
        guard let vault else { return }
        let keep = id ?? tasks.selectedID
        let needle = TextSearch.foldQuery(Array(String(tasks.filter.characters).utf8))
        tasks.visible = vault.tasks.filter { task in
            (!tasks.hideDone || !task.done)
                && (needle.isEmpty || vault.texts.withBytes(task.text) { TextSearch.contains($0, needle) })
        }
        tasks.list.setCount(tasks.visible.count)
        if let keep, let index = tasks.visible.firstIndex(where: { $0.id == keep }) { tasks.list.select(index) }
    }

    static func update(_ tasks: inout TasksState, _ state: inout AppState, _ key: Key) -> [AppEffect] {
        guard let vault = state.vault else { return [] }
        if var input = tasks.input {
            switch key {
            case .escape:
                input.wipe()
                tasks.input = nil
                tasks.base?.wipe()
                tasks.base = nil
            case .enter:
                App.startWork(&state, "Saving")
                return [.vault(.saveTask(editing: tasks.base?.copy(), text: App.secretText(input.characters)))]
            default:
                if input.handle(key) == .refused {
                    state.notice = Notice(FieldLimit.taskDescription.refusal(characters: input.count), isError: true)
                }
                tasks.input = input
            }
            return []
        }
        if tasks.filtering {
            switch key {
            case .enter: tasks.filtering = false
            case .escape:
                tasks.filtering = false
                tasks.filter.wipe()
                refresh(&tasks, vault, selecting: nil)
            default:
                if tasks.filter.handle(key) == .changed { refresh(&tasks, vault, selecting: nil) }
            }
            return []
        }
        switch key {
        case .character("/"):
            tasks.filtering = true
        case .escape:
            guard !tasks.filter.isEmpty else { return [] }
            tasks.filter.wipe()
            refresh(&tasks, vault, selecting: nil)
        case .character("n"), .character("a"):
            tasks.input = TextField(limit: FieldLimit.taskDescription.maxCharacters,
                                    byteLimit: FieldLimit.taskDescription.maxBytes)
            tasks.base?.wipe()
            tasks.base = nil
        case .character("e"):
            guard let id = tasks.selectedID, let task = vault.tasks.first(where: { $0.id == id }) else { return [] }
            let text = vault.texts.withBytes(task.text) { Array(String(decoding: $0, as: UTF8.self)) }
            tasks.input = TextField(text, limit: FieldLimit.taskDescription.maxCharacters,
                                    byteLimit: FieldLimit.taskDescription.maxBytes)
            tasks.base?.wipe()
            tasks.base = base(of: id, in: vault)
        case .character(" "), .character("x"):
            guard let id = tasks.selectedID, let base = base(of: id, in: vault) else { return [] }
            App.startWork(&state, "Saving")
            return [.vault(.setTask(base, done: !base.done))]
        case .character("h"):
            tasks.hideDone.toggle()
            refresh(&tasks, vault, selecting: nil)
            state.notice = Notice(tasks.hideDone ? "Done tasks hidden (h shows them)." : "Done tasks shown.")
        case .character("d"), .delete:
            guard let id = tasks.selectedID else { return [] }
            state.overlay = .confirmDeleteTask(id)
        case .character("u"):
            return App.undoDelete(&state)
        case .character("H"):
            guard let id = tasks.selectedID else { return [] }
            return HistoryScreen.open(.task(id), &state)
        case .character("K"), .shiftUp, .character("J"), .shiftDown:
            guard let id = tasks.selectedID else { return [] }
            let up = key == .character("K") || key == .shiftUp
            App.startWork(&state, "Saving")
            return [.vault(.changeSettings(.moveTask(id, by: up ? -1 : 1, among: Set(tasks.visible.map(\.id)))))]
        default:
            _ = tasks.list.handle(key, viKeys: true)
        }
        return []
    }

    /// The answer to a new, edited or ticked task: the input line closes and the task is
    /// selected; a refused text keeps the line open with the reason.
    static func saved(_ tasks: inout TasksState, _ state: inout AppState, _ result: Result<UInt16, any Error>,
                      _ outcome: PeerSaveOutcome) {
        switch result {
        case .success(let id):
            tasks.input?.wipe()
            tasks.input = nil
            tasks.base?.wipe()
            tasks.base = nil
            refresh(&tasks, state.vault, selecting: id)
            switch outcome {
            case .saved: break
            case .merged: state.notice = Notice("Saved; another program had changed this task too, and both changes are kept.")
            case .keptAsCopy:
                state.notice = Notice("Another program had changed this task's text too; its version stays and yours is "
                                      + "task \(id).")
            case .restored: state.notice = Notice("Another program had deleted this task; your change brings it back.")
            }
        case .failure(VaultError.limit(let limit)):
            state.notice = Notice("\(limit)", isError: true)
        case .failure(let error):
            state.notice = Notice("\(error)", isError: true)
        }
    }

    /// Task `id` as `vault` shows it: what a change to it starts from.
    static func base(of id: UInt16, in vault: VaultSnapshot) -> TaskBase? {
        guard let task = vault.tasks.first(where: { $0.id == id }) else { return nil }
        return TaskBase(id: id, text: vault.texts.withBytes(task.text) { SecretBytes(copying: $0) }, done: task.done)
    }

    static func render(_ tasks: TasksState, _ state: AppState, _ canvas: inout Canvas, _ theme: Theme) -> Point? {
        guard let vault = state.vault else { return nil }
        var area = Layout.body(canvas)
        var cursor: Point?
        if let input = tasks.input {
            let split = area.splitBottom(1)
            area = split.rest
            let label = tasks.editing == nil ? "New: " : "Edit: "
            canvas.put(label, x: split.bottom.x, y: split.bottom.y, style: theme.accent)
            let field = Rect(x: split.bottom.x + label.count, y: split.bottom.y,
                             width: max(0, split.bottom.width - label.count), height: 1)
            cursor = input.render(in: field, on: &canvas, style: theme.text.underlined())
        } else if tasks.filtering || !tasks.filter.isEmpty {
            let split = area.splitBottom(1)
            area = split.rest
            canvas.put("/ ", x: split.bottom.x, y: split.bottom.y, style: theme.accent)
            let field = Rect(x: split.bottom.x + 2, y: split.bottom.y, width: max(0, split.bottom.width - 2), height: 1)
            let point = tasks.filter.render(in: field, on: &canvas, style: theme.text)
            if tasks.filtering { cursor = point }
        }
        if tasks.visible.isEmpty {
            let text = vault.tasks.isEmpty ? "No tasks yet. Press n to add one."
                : !tasks.filter.isEmpty ? "No task matches the search (Esc clears it)." : "Every task is done (h shows them)."
            canvas.put(text, x: area.x + 1, y: area.y, style: theme.dim, maxWidth: area.width - 1)
            return cursor
        }
        // A long task wraps over several rows; the selected one is kept whole on screen when it fits.
        // Each task shows its number (the one `onions task done N` takes), right-aligned.
        let numberWidth = String(tasks.visible.map(\.id).max() ?? 0).count
        let indent = numberWidth + 6
        let width = max(1, area.width - indent)
        let rows = tasks.visible.map { WrappedText.rows(Array(vault.texts.string($0.text)), width: width) }
        let selected = tasks.list.selection ?? 0
        var top = min(tasks.list.scroll, selected)
        while top < selected, rows[top...selected].reduce(0, { $0 + $1.count }) > area.height { top += 1 }
        canvas.fill(area, style: theme.text)
        var y = area.y
        for index in top..<tasks.visible.count where y < area.maxY {
            let task = tasks.visible[index]
            let isSelected = index == selected
            let style = isSelected ? theme.selection : theme.text
            let textStyle = task.done ? style.dim() : style
            for (line, text) in rows[index].enumerated() where y < area.maxY {
                let row = area.row(y - area.y)
                canvas.fill(row, style: style)
                if line == 0 {
                    let number = String(task.id)
                    canvas.put(number, x: row.x + 1 + numberWidth - number.count, y: row.y, style: style.dim(),
                               maxWidth: max(0, row.width - 1))
                    canvas.put(task.done ? "[x] " : "[ ] ", x: row.x + 2 + numberWidth, y: row.y, style: textStyle,
                               maxWidth: max(0, row.width - 2 - numberWidth))
                }
                canvas.put(String(text), x: row.x + indent, y: row.y, style: textStyle, maxWidth: row.width - indent)
                y += 1
            }
        }
        return cursor
    }

    /// The index of the task drawn at `point` while no input line shows, nil when none is.
    static func task(at point: Point, _ tasks: TasksState, _ size: Size) -> Int? {
        let area = Layout.body(size)
        guard tasks.input == nil, area.contains(point) else { return nil }
        let index = tasks.list.visibleRange(rows: area.height).lowerBound + point.y - area.y
        return tasks.visible.indices.contains(index) ? index : nil
    }

    static func hints(_ tasks: TasksState) -> [KeyHint] {
        if tasks.input != nil { return [KeyHint("Enter", "save"), KeyHint("Esc", "cancel"), KeyHint("^L", "lock")] }
        if tasks.filtering { return [KeyHint("Enter", "keep search"), KeyHint("Esc", "clear"), KeyHint("^L", "lock")] }
        return [KeyHint("n", "new"), KeyHint("Space", "done"), KeyHint("e", "edit"), KeyHint("d", "delete"),
                KeyHint("/", "search"), KeyHint("h", "hide done"), KeyHint("u", "undo"), KeyHint("H", "history"),
                KeyHint("Tab", "onions"), KeyHint("?", "help"), KeyHint("^L", "lock"),
                KeyHint("q", "quit")]
    }

    static func header(_ tasks: TasksState, _ state: AppState) -> String {
        let all = state.vault?.tasks ?? []
        let done = all.filter(\.done).count
        if !tasks.filter.isEmpty { return "\(tasks.visible.count) of \(all.count) tasks match" }
        return "\(done) of \(all.count) done"
    }
}
