/// The state of a one-line text input: graphemes, cursor, horizontal scroll, optional limit.
///
/// A value owned by the app's state; `render` draws it and never changes it. Edits that would
/// pass `limit` graphemes or `byteLimit` UTF-8 bytes are refused (`.refused`), never cut. Control characters (newline,
/// tab) are not accepted. Set `visibleWidth` to the width it is drawn at so that the stored
/// scroll follows the cursor; `render` keeps the cursor in view either way.
/// For a password kept in secret memory rather than in this value, see `drawMasked`.
public struct TextField: GraphemeEditing, Hashable, Sendable {
    private var buffer: GraphemeBuffer
    /// Index of the first grapheme shown.
    public private(set) var scroll: Int = 0
    /// Cells the field is drawn in; 0 when not known yet.
    public var visibleWidth: Int = 0 {
        didSet { followCursor() }
    }
    /// When set, every grapheme is drawn as this one-cell character ("•" or "*").
    public var mask: Character?

    /// A field holding `text` with the cursor at its end. `text` may exceed `limit`; further
    /// inserts are then refused until it is short enough.
    public init<S: Sequence>(_ text: S = [Character](), limit: Int? = nil, byteLimit: Int? = nil,
                             mask: Character? = nil)
    where S.Element == Character {
        buffer = GraphemeBuffer(text, limit: limit, byteLimit: byteLimit)
        self.mask = mask
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

    // MARK: - Editing

    public mutating func insert(_ character: Character) -> EditResult {
        guard !DisplayWidth.isControl(character), !character.isNewline else { return .unchanged }
        return finish(buffer.insert(character))
    }

    public mutating func backspace() -> EditResult { finish(buffer.backspace()) }
    public mutating func deleteForward() -> EditResult { finish(buffer.deleteForward()) }
    public mutating func moveLeft() -> EditResult { moveCursor(to: buffer.cursor - 1) }
    public mutating func moveRight() -> EditResult { moveCursor(to: buffer.cursor + 1) }
    public mutating func moveToStart() -> EditResult { moveCursor(to: 0) }
    public mutating func moveToEnd() -> EditResult { moveCursor(to: buffer.characters.count) }

    /// Moves the cursor to a grapheme index (clamped to the text).
    public mutating func setCursor(_ index: Int) { _ = moveCursor(to: index) }

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
    /// Deletes from the cursor to the end of the text (Ctrl-K).
    public mutating func deleteToEnd() -> EditResult { finish(buffer.remove(buffer.cursor..<buffer.characters.count)) }
    /// Deletes from the start of the text up to the cursor (Ctrl-U).
    public mutating func deleteToStart() -> EditResult { finish(buffer.remove(0..<buffer.cursor)) }
    /// Takes back the last edit step (see `EditHistory`).
    public mutating func undo() -> EditResult { finish(buffer.undo()) }
    /// Makes the last undone step again.
    public mutating func redo() -> EditResult { finish(buffer.redo()) }

    /// Applies an editing key: characters, Backspace, Delete, arrows, Home/End, ^A/^E, and
    /// the keys of `EditingKeys`. Returns `.ignored` for any other key.
    public mutating func handle(_ key: Key) -> EditResult {
        switch key {
        case .character(let character): return insert(character)
        case .backspace, .ctrl("h"): return backspace()
        case .delete, .ctrl("d"): return deleteForward()
        case .left, .ctrl("b"): return moveLeft()
        case .right, .ctrl("f"): return moveRight()
        case .home, .ctrl("a"), .ctrlHome: return moveToStart()
        case .end, .ctrl("e"), .ctrlEnd: return moveToEnd()
        case .ctrl("u"): return deleteToStart()
        case .ctrl("k"): return deleteToEnd()
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

    /// Overwrites the text in place and empties the field (on lock, after a password is used).
    public mutating func wipe() {
        buffer.wipe()
        scroll = 0
    }

    // MARK: - Drawing

    /// Draws the field in the first row of `area` and returns where the cursor goes
    /// (nil when `area` is empty). Cells after the text are filled with spaces in `style`.
    @discardableResult
    public func render(in area: Rect, on canvas: inout Canvas, style: Style = .plain) -> Point? {
        guard !area.isEmpty else { return nil }
        let row = area.row(0)
        canvas.fill(row, style: style)
        let start = firstVisible(width: row.width)
        let x: Int
        if let mask {
            canvas.put(repeatElement(mask, count: buffer.characters.count - start),
                       x: row.x, y: row.y, style: style, maxWidth: row.width)
            x = row.x + buffer.cursor - start
        } else {
            canvas.put(buffer.characters[start...], x: row.x, y: row.y, style: style, maxWidth: row.width)
            x = row.x + DisplayWidth.of(buffer.characters[start..<buffer.cursor])
        }
        return Point(x: min(x, row.maxX - 1), y: row.y)
    }

    /// Draws a masked field of `count` graphemes with the cursor at `cursor`, for secrets that
    /// live outside any `TextField` (a password read into secret memory). Returns the cursor.
    @discardableResult
    public static func drawMasked(count: Int, cursor: Int, in area: Rect, on canvas: inout Canvas,
                                  style: Style = .plain, mask: Character = "•") -> Point? {
        guard !area.isEmpty else { return nil }
        let row = area.row(0)
        canvas.fill(row, style: style)
        let cursor = min(max(0, cursor), count)
        let start = max(0, cursor - (row.width - 1))
        canvas.put(repeatElement(mask, count: count - start), x: row.x, y: row.y, style: style, maxWidth: row.width)
        return Point(x: row.x + cursor - start, y: row.y)
    }

    /// The grapheme index a click at `column` of the field drawn `width` cells wide puts the
    /// cursor at (the end when the click is past the text).
    public func index(atColumn column: Int, width: Int) -> Int {
        var index = firstVisible(width: width), x = 0
        while index < buffer.characters.count {
            let w = cellWidth(index)
            if x + w > column { break }
            x += w
            index += 1
        }
        return index
    }

    // MARK: - Scrolling

    private func cellWidth(_ index: Int) -> Int {
        mask == nil ? DisplayWidth.of(buffer.characters[index]) : 1
    }

    /// First grapheme to show so that the cursor has a cell inside `width`, moving the stored
    /// scroll as little as possible.
    private func firstVisible(width: Int) -> Int {
        var start = min(scroll, buffer.cursor)
        guard width > 0 else { return start }
        var used = 0
        for index in start..<buffer.cursor { used += cellWidth(index) }
        let cursorCell = buffer.cursor < buffer.characters.count ? cellWidth(buffer.cursor) : 1
        while start < buffer.cursor, used + cursorCell > width {
            used -= cellWidth(start)
            start += 1
        }
        // After deleting near the end, bring back text on the left while all of it fits.
        var tail = 0
        for index in start..<buffer.characters.count { tail += cellWidth(index) }
        if buffer.cursor == buffer.characters.count { tail += 1 }
        while start > 0, tail + cellWidth(start - 1) <= width {
            start -= 1
            tail += cellWidth(start)
        }
        return start
    }

    private mutating func followCursor() {
        if visibleWidth > 0 { scroll = firstVisible(width: visibleWidth) } else { scroll = min(scroll, buffer.cursor) }
    }

    private mutating func moveCursor(to index: Int) -> EditResult {
        let target = min(max(0, index), buffer.characters.count)
        guard target != buffer.cursor else { return .unchanged }
        buffer.cursor = target
        followCursor()
        return .moved
    }

    private mutating func finish(_ change: GraphemeBuffer.Change) -> EditResult {
        switch change {
        case .none: return .unchanged
        case .refused: return .refused
        case .inserted, .merged, .removed, .replaced:
            followCursor()
            return .changed
        }
    }
}
