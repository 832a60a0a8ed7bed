/// A width × height grid of cells that screens and widgets draw into.
///
/// Drawing never reaches outside the grid: text is clipped by display width, and a wide
/// grapheme that does not fit whole is not drawn at all. Overwriting either half of a wide
/// grapheme blanks the other half, so the grid never holds half a character.
/// The terminal backends diff consecutive canvases (`changes(from:)`) and send only the cells
/// that changed.
public struct Canvas: Hashable, Sendable {
    public let width: Int
    public let height: Int
    private var cells: [Cell]

    /// A blank canvas. Negative sizes count as zero.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public init(size: Size) {
        self.init(width: size.width, height: size.height)
    }

    public var size: Size { Size(width: width, height: height) }
    /// The whole canvas as a rectangle at (0, 0).
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at (x, y); a blank cell outside the grid.
    public subscript(x x: Int, y y: Int) -> Cell {
        guard x >= 0, x < width, y >= 0, y < height else { return .blank }
        return cells[y * width + x]
    }

    /// Puts one grapheme at (x, y) and returns the cells it took (0, 1 or 2).
    ///
    /// A control character, TAB, LF or bidirectional override (`TerminalText.isRefusedInCell`)
    /// is drawn as U+FFFD. An emoji sequence is stored in the form every
    /// terminal draws alike (`DisplayWidth.agreed`). A zero-width cluster takes nothing. A wide
    /// grapheme that would cross the right edge (or `limitX`) takes nothing either.
    @discardableResult
    public mutating func put(_ character: Character, x: Int, y: Int, style: Style = .plain) -> Int {
        put(character, x: x, y: y, style: style, limitX: width)
    }

    /// Draws text from (x, y) to the right and returns the cells used.
    ///
    /// Stops at the canvas edge or after `maxWidth` cells, whichever comes first; a wide
    /// grapheme that does not fit whole ends the text there, so it is never half drawn. Text
    /// does not wrap and newlines are drawn as U+FFFD: lay out lines first (see `TextArea`).
    ///
    /// With `tabStopsFrom`, a tab is drawn as spaces to the next tab stop (every
    /// `WordWrap.tabWidth` columns from that column, the start of the row); without it, a tab
    /// is a control character like any other.
    @discardableResult
    public mutating func put<S: Sequence>(_ text: S, x: Int, y: Int, style: Style = .plain,
                                          maxWidth: Int? = nil, tabStopsFrom origin: Int? = nil) -> Int
    where S.Element == Character {
        guard y >= 0, y < height else { return 0 }
        let limitX = min(width, maxWidth.map { x + max(0, $0) } ?? width)
        var column = x
        for character in text {
            guard column < limitX else { break }
            if character == "\t", let origin {
                let w = WordWrap.tabWidth - (column - origin) % WordWrap.tabWidth
                for cell in column..<min(column + w, limitX) { put(" ", x: cell, y: y, style: style, limitX: limitX) }
                column = min(column + w, limitX)
                continue
            }
            let w = DisplayWidth.of(character)
            if column + w > limitX { break }
            put(character, x: column, y: y, style: style, limitX: limitX)
            column += w
        }
        return column - x
    }

    /// Sets every cell of `rect` (clipped to the canvas) to `character` in `style`.
    ///
    /// `character` should be one cell wide; anything else fills with spaces.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .plain) {
        let area = rect.intersection(bounds)
        let fillCharacter = DisplayWidth.of(character) == 1 && !DisplayWidth.isControl(character) ? character : " "
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX { store(Cell(fillCharacter, style: style), x: x, y: y) }
        }
    }

    /// Changes the style of every cell in `rect` and keeps the text (for example to highlight a row).
    public mutating func restyle(_ rect: Rect, style: Style) {
        let area = rect.intersection(bounds)
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX { cells[y * width + x].style = style }
        }
    }

    /// Blanks every cell in place, overwriting the text the grid held.
    ///
    /// Call it on canvases that showed plaintext before they are dropped (on lock).
    public mutating func clear() {
        for index in cells.indices { cells[index] = .blank }
    }

    /// The text of each row, for tests and the headless backend.
    ///
    /// Continuation cells contribute nothing, so a row reads as the text a person sees.
    public func lines(trimmingTrailingSpaces: Bool = true) -> [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width {
                let cell = cells[y * width + x]
                if !cell.isContinuation { line.append(cell.character) }
            }
            if trimmingTrailingSpaces {
                while line.last == " " { line.removeLast() }
            }
            return line
        }
    }

    /// The cells of this canvas that differ from `old`, row by row, left to right.
    ///
    /// When the sizes differ every cell is reported. A changed wide grapheme is reported with
    /// its continuation cell; backends draw the grapheme once and skip the continuation.
    public func changes(from old: Canvas) -> [CellChange] {
        var result: [CellChange] = []
        let sameSize = old.width == width && old.height == height
        for y in 0..<height {
            for x in 0..<width {
                let cell = cells[y * width + x]
                if !sameSize || old.cells[y * width + x] != cell {
                    result.append(CellChange(x: x, y: y, cell: cell))
                }
            }
        }
        return result
    }

    // MARK: - Cell storage

    @discardableResult
    private mutating func put(_ character: Character, x: Int, y: Int, style: Style, limitX: Int) -> Int {
        guard y >= 0, y < height, x >= 0 else { return 0 }
        if TerminalText.isRefusedInCell(character) {
            guard x < limitX else { return 0 }
            store(Cell("\u{FFFD}", style: style), x: x, y: y)
            return 1
        }
        let w = DisplayWidth.of(character)
        guard w > 0, x + w <= limitX else { return 0 }
        switch DisplayWidth.agreed(character) {
        case .asIs:
            store(Cell(character, style: style), x: x, y: y)
        case .scalar(let scalar):
            store(Cell(Character(scalar), style: style), x: x, y: y)
        case .letters(let first, let second):
            store(Cell(first, style: style), x: x, y: y)
            store(Cell(second, style: style), x: x + 1, y: y)
            return w
        }
        if w == 2 { store(Cell(" ", style: style, isContinuation: true), x: x + 1, y: y) }
        return w
    }

    /// Writes one cell, blanking the other half of any wide grapheme it cuts through.
    private mutating func store(_ cell: Cell, x: Int, y: Int) {
        let index = y * width + x
        let old = cells[index]
        if old.isContinuation, x > 0, !cell.isContinuation {
            cells[index - 1] = Cell(" ", style: cells[index - 1].style)
        }
        if !old.isContinuation, x + 1 < width, cells[index + 1].isContinuation {
            cells[index + 1] = Cell(" ", style: cells[index + 1].style)
        }
        cells[index] = cell
    }
}
