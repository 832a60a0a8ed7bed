import OnionsCore
import OnionsCrypto
import TerminalUI

/// The onion list: titles newest first, search as you type, a preview of the selected info.
enum OnionListScreen {
    /// The list's rows follow the snapshot (after a save, a delete, a search). A query not
    /// searched yet is asked for; its answer comes back to this function through
    /// `searchSteps`. Meanwhile the rows shown stay (those still in the vault).
    static func refresh(_ list: inout OnionListState, _ state: inout AppState, selecting id: ItemID?) -> [AppEffect] {
        guard let vault = state.vault else {
            list.wipe()
            return []
        }
        var effects: [AppEffect] = []
        let keep = id ?? list.selectedID
        let query = query(list)
        while let last = list.searchSteps.last, !query.starts(with: last.query) {
            var dropped = list.searchSteps.removeLast()
            for i in dropped.query.indices { dropped.query[i] = 0 }
        }
        if query.isEmpty {
            list.visible = vault.onions
        } else if let last = list.searchSteps.last, last.query == query {
            let found = Set(last.results.map(\.id))
            list.visible = vault.onions.filter { found.contains($0.id) }  // in the vault's order now
        } else {
            let within = list.searchSteps.last.map { Set($0.results.map(\.id)) }
            effects.append(.vault(.search(query: query, within: within)))
            let shown = Set(list.visible.map(\.id))
            list.visible = vault.onions.filter { shown.contains($0.id) }
        }
        if let folder = list.folder { list.visible = vault.onions(list.visible, under: folder) }
        list.list.setCount(list.visible.count)
        if let keep, let index = list.visible.firstIndex(where: { $0.id == keep }) { list.list.select(index) }
        return effects + loadPreview(&list, &state)
    }

    /// The search typed, folded as the search folds it (case, NFC), so that a query that
    /// extends the last one searches only its results.
    static func query(_ list: OnionListState) -> [UInt8] {
        TextSearch.foldQuery(Array(String(list.search.characters).utf8))
    }

    /// Asks for the selected onion's info for the preview pane (only when it changed).
    static func loadPreview(_ list: inout OnionListState, _ state: inout AppState) -> [AppEffect] {
        guard let id = list.selectedID else {
            list.preview?.info.wipe()
            list.preview = nil
            list.previewAsked = nil
            return []
        }
        if list.preview?.id == id || list.previewAsked == id { return [] }
        list.previewAsked = id
        return [.vault(.openInfo(id, .preview))]
    }

    static func update(_ list: inout OnionListState, _ state: inout AppState, _ key: Key) -> [AppEffect] {
        guard let vault = state.vault else { return [] }
        if list.searching {
            switch key {
            case .enter:
                list.searching = false
            case .escape:
                list.searching = false
                list.search.wipe()
                return refresh(&list, &state, selecting: nil)
            case .up, .down, .pageUp, .pageDown:
                if list.reader != nil { return ReaderScreen.update(&list, &state, key) ?? [] }
                _ = list.list.handle(key)
                return loadPreview(&list, &state)
            default:
                let result = list.search.handle(key)
                if result == .changed { return refresh(&list, &state, selecting: nil) }
            }
            return []
        }
        if list.reader != nil {
            if let effects = ReaderScreen.update(&list, &state, key) { return effects }
            // What the list does besides: search and copy; its other keys wait for Esc.
            guard key == .character("/") || key == .character("y") else { return [] }
        }
        switch key {
        case .character("y"):
            return Clipboard.copySelectedInfo(list, &state)
        case .character("/"):
            list.searching = true
        case .escape:
            if !list.search.isEmpty {
                list.search.wipe()
                return refresh(&list, &state, selecting: nil)
            }
            if list.folder != nil {
                list.forgetFolder()
                return refresh(&list, &state, selecting: nil)
            }
        case .character("f"):
            return narrowToFolder(&list, &state)
        case .character("n"):
            state.screen = .editor(EditorState(target: nil, title: [], info: []))
        case .enter, .character("e"):
            guard let id = list.selectedID, vault.onions.contains(where: { $0.id == id }) else { return [] }
            App.startWork(&state, "Opening")
            return [.vault(.openInfo(id, key == .enter ? .read : .edit))]
        case .character("d"), .delete:
            guard let id = list.selectedID else { return [] }
            state.overlay = .confirmDelete(id)
        case .character("s"):
            App.startWork(&state, "Saving")
            return [.vault(.changeSettings(.order(vault.order.next)))]
        case .character("p"):
            guard let id = list.selectedID else { return [] }
            App.startWork(&state, "Saving")
            return [.vault(.changeSettings(.pin(id, !vault.pinned.contains(id))))]
        case .character("u"):
            return App.undoDelete(&state)
        case .character("H"):
            guard let id = list.selectedID else { return [] }
            return HistoryScreen.open(.onion(id), &state)
        default:
            if list.list.handle(key, viKeys: true) { return loadPreview(&list, &state) }
        }
        return []
    }

    static func render(_ list: OnionListState, _ state: AppState, _ canvas: inout Canvas, _ theme: Theme) -> Point? {
        guard let vault = state.vault else { return nil }
        let layout = layout(list, canvas.size)
        var cursor: Point?
        if let line = layout.search {
            let label = "/ "
            canvas.put(label, x: line.x, y: line.y, style: theme.accent)
            let field = Rect(x: line.x + 2, y: line.y, width: max(0, line.width - 2), height: 1)
            let point = list.search.render(in: field, on: &canvas, style: theme.text)
            if list.searching { cursor = point }
        }
        if let reader = list.reader {
            ReaderScreen.render(list, reader, state, in: layout.main, &canvas, theme)
            return cursor
        }
        let query = query(list)
        let listArea = layout.list
        let previewArea = layout.preview
        if list.visible.isEmpty {
            let text = vault.onions.isEmpty ? "No onions yet. Press n to write one." : "Nothing matches the search."
            canvas.put(text, x: listArea.x + 1, y: listArea.y, style: theme.dim, maxWidth: listArea.width - 1)
        } else {
            var view = list.list
            view.visibleRows = listArea.height
            view.render(in: listArea, on: &canvas, style: theme.text) { index, row, selected, canvas in
                let onion = list.visible[index]
                let style = selected ? theme.selection : theme.text
                canvas.fill(row, style: style)
                canvas.put(selected ? "›" : " ", x: row.x, y: row.y, style: style)
                if vault.pinned.contains(onion.id) { canvas.put("*", x: row.x + 1, y: row.y, style: style) }
                let title = Array(vault.title(onion))
                var next = 0
                // A title wider than its column ends with "…" in the column's last cell.
                let cut = DisplayWidth.of(String(title)) > row.width - 2
                let used = TextView.drawRun(title, from: 0, x: row.x + 2, y: row.y, maxWidth: row.width - 2 - (cut ? 1 : 0),
                                            style: style, highlights: titleMatches(title, query), cursor: &next,
                                            highlightStyle: selected ? theme.selectedHighlight : theme.highlight, on: &canvas)
                if cut { canvas.put("…", x: row.x + 2 + used, y: row.y, style: style) }
                let folder = vault.folder(onion)
                let room = row.width - 2 - used - 2
                if !folder.isEmpty, !cut, room >= 4 {
                    // The folder after the title, dimmed; a long path keeps its end ("…/github.com").
                    let width = DisplayWidth.of(folder)
                    let shown = width <= room ? folder : "…" + String(folder.suffix(room - 1))
                    canvas.put(shown, x: row.x + 2 + used + 2, y: row.y, style: selected ? style : theme.dim, maxWidth: room)
                }
            }
        }
        if var preview = previewArea {
            for y in preview.y..<preview.maxY { canvas.put("│", x: preview.x, y: y, style: theme.border) }
            preview = preview.inset(horizontal: 1, vertical: 0)
            preview.x += 1
            preview.width = max(0, preview.width - 1)
            if let shown = list.preview, shown.id == list.selectedID {
                let view = TextView(App.characters(shown.info), width: max(1, preview.width), height: max(1, preview.height))
                let bytes = query.isEmpty ? [] : shown.info.withUnsafeBytes { TextSearch.matches(in: $0, of: query) }
                view.render(in: preview, on: &canvas, style: theme.text,
                            highlights: TextView.graphemeRanges(ofByteRanges: bytes, in: view.characters),
                            highlightStyle: theme.highlight)
            }
        }
        return cursor
    }

    /// Where the list screen draws at `size`: the search line at the bottom of the body while
    /// searching or filtered, the rest (`main`, the read view's place), and in it the list and,
    /// on a wide terminal, the preview beside it.
    static func layout(_ list: OnionListState, _ size: Size) -> (main: Rect, list: Rect, preview: Rect?, search: Rect?) {
        var area = Layout.body(size)
        var search: Rect?
        if list.searching || !list.search.isEmpty {
            let split = area.splitBottom(1)
            area = split.rest
            search = split.bottom
        }
        guard area.width >= 60 && !list.visible.isEmpty else { return (area, area, nil, search) }
        let split = area.splitLeft(max(24, area.width * 2 / 5))
        return (area, split.left, split.rest, search)
    }

    /// The index of the onion drawn at `point`, nil when none is.
    static func onion(at point: Point, _ list: OnionListState, _ size: Size) -> Int? {
        let area = layout(list, size).list
        guard list.reader == nil, area.contains(point) else { return nil }
        let index = list.list.visibleRange(rows: area.height).lowerBound + point.y - area.y
        return list.visible.indices.contains(index) ? index : nil
    }

    /// The search's matches in a title, as grapheme ranges.
    static func titleMatches(_ title: [Character], _ query: [UInt8]) -> [Range<Int>] {
        guard !query.isEmpty else { return [] }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(title.reduce(0) { $0 + $1.utf8.count })
        for character in title { bytes.append(contentsOf: character.utf8) }
        defer { for index in bytes.indices { bytes[index] = 0 } }
        let found = bytes.withUnsafeBytes { TextSearch.matches(in: $0, of: query) }
        return TextView.graphemeRanges(ofByteRanges: found, in: title)
    }

    /// `f`: narrows the list to the selected onion's folder, or, once narrowed, widens it to
    /// the parent folder (from a top-level folder: every onion again).
    static func narrowToFolder(_ list: inout OnionListState, _ state: inout AppState) -> [AppEffect] {
        guard let vault = state.vault else { return [] }
        if var folder = list.folder {
            let parent = Array(folder[..<(folder.lastIndex(of: UInt8(ascii: "/")) ?? 0)])
            for i in folder.indices { folder[i] = 0 }
            list.folder = parent.isEmpty ? nil : parent
        } else {
            guard let id = list.selectedID, let onion = vault.onions.first(where: { $0.id == id }) else { return [] }
            let folder = vault.folderBytes(onion)
            guard !folder.isEmpty else {
                state.notice = Notice("This onion is in no folder; f narrows the list to the selected onion's folder.")
                return []
            }
            list.folder = folder
        }
        return refresh(&list, &state, selecting: list.selectedID)
    }

    static func header(_ list: OnionListState, _ state: AppState) -> String {
        if let reader = list.reader { return ReaderScreen.header(list, reader, width: state.size.width) }
        if let folder = list.folder {
            let inFolder = state.vault.map { $0.onions($0.onions, under: folder).count } ?? 0
            let path = String(decoding: folder, as: UTF8.self)
            if !list.search.isEmpty { return "\(list.visible.count) of \(inFolder) in \(path)/ match" }
            return (inFolder == 1 ? "1 onion" : "\(inFolder) onions") + " in \(path)/"
        }
        let total = state.vault?.onions.count ?? 0
        if !list.search.isEmpty { return "\(list.visible.count) of \(total) match" }
        return (total == 1 ? "1 onion" : "\(total) onions") + App.orderSuffix(state.vault)
    }

    static func hints(_ list: OnionListState) -> [KeyHint] {
        if list.reader != nil, !list.searching { return ReaderScreen.hints(list) }
        if list.searching {
            return [KeyHint("Enter", "keep filter"), KeyHint("Esc", "clear"), KeyHint("↑↓", "move"), KeyHint("^L", "lock")]
        }
        // `f` shows where it does something: on an onion in a folder, or in a narrowed list.
        let selectedInFolder = list.list.selection.map { list.visible.indices.contains($0) && list.visible[$0].folder != nil } ?? false
        let folder = list.folder != nil ? [KeyHint("f", "up a folder")] : selectedInFolder ? [KeyHint("f", "folder")] : []
        // On a narrow line the hints at the end give way first (lock and quit stay).
        return [KeyHint("n", "new"), KeyHint("Enter", "read"), KeyHint("e", "edit"), KeyHint("d", "delete"),
                KeyHint("u", "undo"), KeyHint("/", "search")]
            + folder + [KeyHint("?", "help"), KeyHint("y", "copy"), KeyHint("H", "history"), KeyHint("v", "verify"),
                        KeyHint("^L", "lock"), KeyHint("q", "quit")]
    }
}
