import OnionsCore
import OnionsCrypto
import TerminalUI

/// The Trash view (the view bar's fourth, `4`): deleted onions, cards and tasks with the time
/// of their delete, the latest first; Enter brings the selected one back.
enum TrashScreen {
    /// Shows the view and asks what is in the trash (keys typed meanwhile wait for the list).
    static func show(_ state: inout AppState) -> [AppEffect] {
        state.screen = .trash(TrashState())
        App.startWork(&state, "Reading the trash")
        return [.vault(.trash)]
    }

    static func update(_ trash: inout TrashState, _ state: inout AppState, _ key: Key) -> [AppEffect] {
        switch key {
        case .enter:
            guard let line = trash.selected else { return [] }
            App.startWork(&state, "Restoring")
            return [.vault(.restoreFromTrash(line.entry))]
        default:
            _ = trash.list.handle(key, viKeys: true)
        }
        return []
    }

    // MARK: Answers

    static func listed(_ state: inout AppState, _ result: Result<[TrashLine], any Error>) {
        App.finishWork(&state)
        switch result {
        case .success(let lines):
            guard case .trash(var trash) = state.screen else {
                lines.forEach { $0.wipe() }
                return
            }
            let selection = trash.list.selection ?? 0
            trash.wipe()
            trash.lines = lines
            trash.loaded = true
            trash.list.setCount(lines.count)
            trash.list.select(min(selection, max(0, lines.count - 1)))
            state.screen = .trash(trash)
        case .failure(let error):
            state.notice = Notice("\(error)", isError: true)
        }
    }

    static func restored(_ state: inout AppState, _ result: Result<ItemRef, any Error>) -> [AppEffect] {
        App.finishWork(&state)
        switch result {
        case .success(let item):
            state.notice = Notice("Brought back the \(item.kind)", subject: item)
            guard case .trash = state.screen else { return [] }
            App.startWork(&state, "Reading the trash")
            return [.vault(.trash)]
        case .failure(let error):
            state.notice = Notice("\(error)", isError: true)
            return []
        }
    }

    // MARK: Drawing

    static func render(_ trash: TrashState, _ state: AppState, _ canvas: inout Canvas, _ theme: Theme) {
        let area = Layout.body(canvas)
        guard trash.loaded else { return }
        if trash.lines.isEmpty {
            canvas.put("The trash is empty. Deleted onions, cards and tasks wait here until the vault's trash days are over.",
                       x: area.x + 1, y: area.y, style: theme.dim, maxWidth: area.width - 1)
            return
        }
        var list = trash.list
        list.visibleRows = area.height
        list.render(in: area, on: &canvas, style: theme.text) { index, row, selected, canvas in
            let line = trash.lines[index]
            let style = selected ? theme.selection : theme.text
            canvas.fill(row, style: style)
            let kind = line.entry.item.kind
            var x = row.x
            x += canvas.put((selected ? "› " : "  ") + kind + String(repeating: " ", count: 7 - kind.count), x: x, y: row.y,
                            style: style, maxWidth: row.maxX - x)
            // The time of the delete ("11-26 16:30" on a narrow terminal), then the name.
            let when = row.width >= 60 ? line.when : String(line.when.dropFirst(5).prefix(11))
            x += canvas.put(when + "  ", x: x, y: row.y, style: selected ? style : theme.dim, maxWidth: row.maxX - x)
            let name = line.name.withUnsafeBytes { Array(String(decoding: $0, as: UTF8.self)) }
            canvas.put(name, x: x, y: row.y, style: style, maxWidth: row.maxX - x)
        }
    }

    /// The index of the deleted item listed at `point`, nil when none is.
    static func line(at point: Point, _ trash: TrashState, _ size: Size) -> Int? {
        let area = Layout.body(size)
        guard trash.loaded, area.contains(point) else { return nil }
        let index = trash.list.visibleRange(rows: area.height).lowerBound + point.y - area.y
        return trash.lines.indices.contains(index) ? index : nil
    }

    static func header(_ trash: TrashState) -> String {
        guard trash.loaded else { return "trash" }
        return trash.lines.count == 1 ? "1 in the trash" : "\(trash.lines.count) in the trash"
    }

    static func hints(_ trash: TrashState) -> [KeyHint] {
        [KeyHint("Enter", "restore"), KeyHint("↑↓", "move"), KeyHint("Tab", "onions"), KeyHint("?", "help"),
         KeyHint("^L", "lock"), KeyHint("q", "quit")]
    }
}
