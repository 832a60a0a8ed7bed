/// The state of a multi-line text editor: graphemes with "\n" breaks, a cursor, soft wrapping
/// by display width, and vertical scroll that follows the cursor.
///
/// A value owned by the app's state; `render` draws it and never changes it. Call
/// `resize(width:height:)` with the size it is drawn at, so Up/Down move by visual row and
/// PageUp/PageDown by a screenful. Edits that would pass `limit` graphemes or `byteLimit`
/// UTF-8 bytes are refused (`.refused`), never cut; a newline counts as one grapheme. Wrapping is cached and patched
/// per edit, so a key plus a render on a few thousand graphemes stays far below a millisecond.
public struct TextArea: GraphemeEditing, Hashable, Sendable {
    private var buffer: GraphemeBuffer
    /// One wrapping byte per grapheme (see `WordWrap`), kept in step with `buffer`.
    private var info: [UInt8]
    private var layout: [VisualLine]
    /// Wrapping width in cells.
    public private(set) var width: Int
    /// Visible rows.
    public private(set) var height: Int
    /// First visible visual row.
    public private(set) var scroll: Int = 0
    /// Column Up/Down aim for, kept across a run of vertical moves.
    private var goalColumn: Int?

    /// An editor holding `text` (carriage returns become "\n") with the cursor at the start.
    public init<S: Sequence>(_ text: S = [Character](), limit: Int? = nil, byteLimit: Int? = nil, width: Int = 80,
                             height: Int = 10)
    where S.Element == Character {
        buffer = GraphemeBuffer(text.lazy.map { $0.isNewline ? "\n" : $0 }, limit: limit, byteLimit: byteLimit)
        buffer.cursor = 0
        info = WordWrap.info(for: buffer.characters)
        self.width = max(1, width)
        self.height = max(1, height)
        layout = WordWrap.lines(info, width: self.width)
    }

    public var characters: [Character] { buffer.characters }
    public var count: Int { buffer.characters.count }
    public var limit: Int? { buffer.limit }
    /// UTF-8 bytes of the text, and the most it may take.
    public var byteCount: Int { buffer.byteCount }
    public var byteLimit: Int? { buffer.byteLimit }
    public var isEmpty: Bool { buffer.characters.isEmpty }
    /// Cursor as a grapheme index, 0...count.
    public var cursor: Int { buffer.cursor }
    /// Number of visual rows the text wraps to at `width`.
    public var visualLineCount: Int { layout.count }

    /// The cursor in wrapped-text coordinates: column in cells, row counted from the first
    /// visual row (not from `scroll`).
    public var cursorLocation: Point {
        let row = WordWrap.lineIndex(of: buffer.cursor, in: layout)
        return Point(x: column(of: buffer.cursor, in: layout[row]), y: row)
    }

    /// The visual rows as text, for tests and previews.
    public var wrappedLines: [String] {
        layout.map { String(buffer.characters[$0.start..<$0.end]) }
    }

    /// Sets the size the editor is drawn at; re-wraps and keeps the cursor in view.
    public mutating func resize(width: Int, height: Int) {
        let width = max(1, width), height = max(1, height)
        guard width != self.width || height != self.height else { return }
        self.width = width
        self.height = height
        layout = WordWrap.lines(info, width: width)
        followCursor()
    }

    /// Shows the text from visual row `row` (clamped); a later cursor move scrolls as little as
    /// it needs to from there.
    public mutating func setScroll(_ row: Int) {
        scroll = max(0, min(row, layout.count - height))
    }

    /// Moves the cursor to a grapheme index (clamped).
    public mutating func setCursor(_ index: Int) {
        buffer.cursor = index
        goalColumn = nil
        followCursor()
    }

    // MARK: - Editing

    /// Inserts one grapheme at the cursor. Any newline becomes "\n"; a tab is kept (it shows
    /// as spaces to the next tab stop); other controls are not accepted. A combining mark
    /// joins the grapheme before the cursor without counting.
    public mutating func insert(_ character: Character) -> EditResult {
        let character: Character = character.isNewline ? "\n" : character
        if character != "\n", character != "\t", DisplayWidth.isControl(character) { return .unchanged }
        return finish(buffer.insert(character))
    }

    public mutating func backspace() -> EditResult { finish(buffer.backspace()) }
    public mutating func deleteForward() -> EditResult { finish(buffer.deleteForward()) }
    public mutating func moveLeft() -> EditResult { moveCursor(to: buffer.cursor - 1) }
    public mutating func moveRight() -> EditResult { moveCursor(to: buffer.cursor + 1) }
    public mutating func moveToStart() -> EditResult { moveCursor(to: 0) }
    public mutating func moveToEnd() -> EditResult { moveCursor(to: buffer.characters.count) }
    public mutating func moveUp() -> EditResult { moveVertically(by: -1) }
    public mutating func moveDown() -> EditResult { moveVertically(by: 1) }
    public mutating func pageUp() -> EditResult { moveVertically(by: -max(1, height - 1)) }
    public mutating func pageDown() -> EditResult { moveVertically(by: max(1, height - 1)) }

    /// Moves to the start of the current line (the text after the previous "\n").
    public mutating func moveToLineStart() -> EditResult {
        var index = buffer.cursor
        while index > 0, info[index - 1] & WordWrap.newlineFlag == 0 { index -= 1 }
        return moveCursor(to: index)
    }

    /// Moves to the end of the current line (before the next "\n").
    public mutating func moveToLineEnd() -> EditResult {
        var index = buffer.cursor
        while index < info.count, info[index] & WordWrap.newlineFlag == 0 { index += 1 }
        return moveCursor(to: index)
    }

    /// Moves to the start of the word before the cursor (Alt-b, Ctrl-←).
    public mutating func moveWordLeft() -> EditResult { moveCursor(to: buffer.wordStart(before: buffer.cursor)) }
    /// Moves to the end of the word after the cursor (Alt-f, Ctrl-→).
    public mutating func moveWordRight() -> EditResult { moveCursor(to: buffer.wordEnd(after: buffer.cursor)) }
    /// Deletes from the start of the word before the cursor up to the cursor (Ctrl-W, Alt-Backspace).
    public mutating func deleteWordBefore() -> EditResult {
        finish(buffer.remove(buffer.wordStart(before: buffer.cursor)..<buffer.cursor))
    }
    /// Deletes from the cursor to the end of the word after it (Alt-d).
    public mutating func deleteWordAfter() -> EditResult {
        finish(buffer.remove(buffer.cursor..<buffer.wordEnd(after: buffer.cursor)))
    }

    /// Deletes from the cursor to the end of its line (Ctrl-K); at the end of a line, deletes
    /// the line break so the next line joins it.
    public mutating func deleteToLineEnd() -> EditResult {
        var end = buffer.cursor
        while end < info.count, info[end] & WordWrap.newlineFlag == 0 { end += 1 }
        if end == buffer.cursor, end < info.count { end += 1 }
        return finish(buffer.remove(buffer.cursor..<end))
    }

    /// Deletes from the start of the cursor's line up to the cursor (Ctrl-U).
    public mutating func deleteToLineStart() -> EditResult {
        var start = buffer.cursor
        while start > 0, info[start - 1] & WordWrap.newlineFlag == 0 { start -= 1 }
        return finish(buffer.remove(start..<buffer.cursor))
    }

    /// Takes back the last edit step (see `EditHistory`).
    public mutating func undo() -> EditResult { finish(buffer.undo()) }
    /// Makes the last undone step again.
    public mutating func redo() -> EditResult { finish(buffer.redo()) }

    /// Applies an editing key: characters, Enter, Backspace, Delete, arrows, Home/End (line),
    /// Ctrl-Home/Ctrl-End (text), PageUp/PageDown, ^A/^E (line), ^K/^U (delete to the line's
    /// end or start), ^T (a tab: Tab itself moves between fields) and the keys of
    /// `EditingKeys`. Returns `.ignored` for other keys (Tab included).
    public mutating func handle(_ key: Key) -> EditResult {
        switch key {
        case .character(let character): return insert(character)
        case .enter: return insert("\n")
        case .backspace, .ctrl("h"): return backspace()
        case .delete, .ctrl("d"): return deleteForward()
        case .left: return moveLeft()
        case .right: return moveRight()
        case .up: return moveUp()
        case .down: return moveDown()
        case .home, .ctrl("a"): return moveToLineStart()
        case .end, .ctrl("e"): return moveToLineEnd()
        case .ctrlHome: return moveToStart()
        case .ctrlEnd: return moveToEnd()
        case .pageUp: return pageUp()
        case .pageDown: return pageDown()
        case .ctrl("k"): return deleteToLineEnd()
        case .ctrl("u"): return deleteToLineStart()
        case .ctrl("t"): return insert("\t")
        default: break
        }
        switch EditingKeys.action(for: key) {
        case .wordLeft?: return moveWordLeft()
        case .wordRight?: return moveWordRight()
        case .deleteWordBefore?: return deleteWordBefore()
        case .deleteWordAfter?: return deleteWordAfter()
        case .undo?: return undo()
        case .redo?: return redo()
        case nil: return .ignored
        }
    }

    /// Scrolls the view by `rows` visual rows without moving the text (the mouse wheel); the
    /// cursor is carried along when it would leave the view.
    public mutating func scroll(by rows: Int) -> EditResult {
        let before = scroll
        setScroll(scroll + rows)
        guard scroll != before else { return .unchanged }
        let row = WordWrap.lineIndex(of: buffer.cursor, in: layout)
        if row < scroll {
            buffer.cursor = layout[scroll].start
        } else if row >= scroll + height {
            buffer.cursor = layout[min(layout.count - 1, scroll + height - 1)].start
        }
        goalColumn = nil
        return .moved
    }

    /// Overwrites the text in place and empties the editor (on lock).
    public mutating func wipe() {
        buffer.wipe()
        for index in info.indices { info[index] = 0 }
        info.removeAll(keepingCapacity: true)
        layout = WordWrap.lines(info, width: width)
        scroll = 0
        goalColumn = nil
    }

    // MARK: - Drawing

    /// Draws the visible rows into `area` (filled with `style` first) and returns where the
    /// cursor goes (nil only when `area` is empty).
    ///
    /// When `area` differs from the size given to `resize`, the text is wrapped to `area`'s
    /// width for this frame and scrolled so the cursor shows.
    @discardableResult
    public func render(in area: Rect, on canvas: inout Canvas, style: Style = .plain) -> Point? {
        canvas.fill(area, style: style)
        guard !area.isEmpty else { return nil }
        let lines = area.width == width ? layout : WordWrap.lines(info, width: area.width)
        let cursorRow = WordWrap.lineIndex(of: buffer.cursor, in: lines)
        var top = min(scroll, max(0, lines.count - area.height))
        if cursorRow < top { top = cursorRow }
        if cursorRow >= top + area.height { top = cursorRow - area.height + 1 }
        for row in 0..<area.height {
            let index = top + row
            guard index < lines.count else { break }
            let line = lines[index]
            canvas.put(buffer.characters[line.start..<line.end], x: area.x, y: area.y + row,
                       style: style, maxWidth: area.width, tabStopsFrom: area.x)
        }
        let x = min(column(of: buffer.cursor, in: lines[cursorRow]), area.width - 1)
        return Point(x: area.x + x, y: area.y + cursorRow - top)
    }

    /// The grapheme index a click at `column` of visible row `row` (0 is the row at `scroll`)
    /// puts the cursor at: the grapheme under it, or the row's end when the click is past it.
    public func index(atVisibleRow row: Int, column: Int) -> Int {
        let line = layout[min(max(0, scroll + row), layout.count - 1)]
        let softWrapped = line.end < buffer.characters.count && info[line.end] & WordWrap.newlineFlag == 0
            && line.end > line.start
        let last = softWrapped ? line.end - 1 : line.end
        var index = line.start, x = 0
        while index < last {
            let w = WordWrap.cells(info[index], at: x)
            if x + w > column { break }
            x += w
            index += 1
        }
        return index
    }

    // MARK: - Internals

    private func column(of position: Int, in line: VisualLine) -> Int {
        var x = 0
        for index in line.start..<min(position, line.end) { x += WordWrap.cells(info[index], at: x) }
        return x
    }

    private mutating func moveVertically(by delta: Int) -> EditResult {
        let row = WordWrap.lineIndex(of: buffer.cursor, in: layout)
        let goal = goalColumn ?? column(of: buffer.cursor, in: layout[row])
        let target = min(max(0, row + delta), layout.count - 1)
        if target == row {
            // Already on the first or last row: go to the very start or end instead.
            let result = moveCursor(to: delta < 0 ? 0 : buffer.characters.count)
            goalColumn = result == .moved ? nil : goal
            return result
        }
        let line = layout[target]
        let softWrapped = target + 1 < layout.count && layout[target + 1].start == line.end && line.end > line.start
        let last = softWrapped ? line.end - 1 : line.end
        var index = line.start, x = 0
        while index < last {
            let w = WordWrap.cells(info[index], at: x)
            if x + w > goal { break }
            x += w
            index += 1
        }
        buffer.cursor = index
        goalColumn = goal
        followCursor()
        return .moved
    }

    private mutating func moveCursor(to index: Int) -> EditResult {
        let target = min(max(0, index), buffer.characters.count)
        goalColumn = nil
        guard target != buffer.cursor else { return .unchanged }
        buffer.cursor = target
        followCursor()
        return .moved
    }

    private mutating func finish(_ change: GraphemeBuffer.Change) -> EditResult {
        switch change {
        case .none: return .unchanged
        case .refused: return .refused
        case .inserted(let index): info.insert(WordWrap.info(for: buffer.characters[index]), at: index)
        case .merged(let index): info[index] = WordWrap.info(for: buffer.characters[index])
        case .removed(let index): info.remove(at: index)
        case .replaced(let range, let count):
            info.replaceSubrange(range, with: WordWrap.info(for: buffer.characters[range.lowerBound..<range.lowerBound + count]))
        }
        goalColumn = nil
        layout = WordWrap.lines(info, width: width)
        followCursor()
        return .changed
    }

    private mutating func followCursor() {
        let row = WordWrap.lineIndex(of: buffer.cursor, in: layout)
        if row < scroll { scroll = row }
        if row >= scroll + height { scroll = row - height + 1 }
        scroll = max(0, min(scroll, layout.count - height))
    }
}
