/// Read-only text, word-wrapped like `TextArea`, scrolled by rows, with ranges of graphemes
/// drawn highlighted (search matches).
///
/// A value owned by the app's state; `render` draws it and never changes it. Call
/// `resize(width:height:)` with the size it is drawn at so that scrolling and the position
/// (`top`, `lineCount`) follow what is shown. It holds the text as graphemes: `wipe()`
/// overwrites them.
public struct TextView: Hashable, Sendable {
    public private(set) var characters: [Character]
    private var info: [UInt8]
    private var layout: [VisualLine]
    public private(set) var width: Int
    public private(set) var height: Int
    /// The first visual row shown.
    public private(set) var top = 0

    /// A view of `text` ("\r" and other line breaks become "\n") from its first row.
    public init<S: Sequence>(_ text: S, width: Int = 80, height: Int = 10) where S.Element == Character {
        characters = text.map { $0.isNewline ? "\n" : $0 }
        info = WordWrap.info(for: characters)
        self.width = max(1, width)
        self.height = max(1, height)
        layout = WordWrap.lines(info, width: self.width)
    }

    /// Visual rows the text wraps to.
    public var lineCount: Int { layout.count }

    /// The line of the text (counted from 0 at line breaks, not at wraps) whose part shows on
    /// the top row.
    public var topTextLine: Int {
        let start = layout[min(top, maximumTop)].start
        var count = 0
        for index in 0..<start where characters[index] == "\n" { count += 1 }
        return count
    }

    /// The last row `top` can be (the text's end on the view's last row).
    public var maximumTop: Int { max(0, layout.count - height) }

    /// The visual rows as text, for tests.
    public var wrappedLines: [String] { layout.map { String(characters[$0.start..<$0.end]) } }

    /// Sets the size it is drawn at; re-wraps and keeps the first grapheme shown in view.
    public mutating func resize(width: Int, height: Int) {
        let width = max(1, width), height = max(1, height)
        guard width != self.width || height != self.height else { return }
        let first = layout[min(top, layout.count - 1)].start
        self.width = width
        self.height = height
        layout = WordWrap.lines(info, width: width)
        top = min(WordWrap.lineIndex(of: first, in: layout), maximumTop)
    }

    /// Shows the text from visual row `row` (clamped); true when the view moved.
    @discardableResult
    public mutating func scroll(to row: Int) -> Bool {
        let before = top
        top = max(0, min(row, maximumTop))
        return top != before
    }

    /// Scrolls by `rows` (negative: up); true when the view moved.
    @discardableResult
    public mutating func scroll(by rows: Int) -> Bool { scroll(to: top + rows) }

    /// The visual row that shows grapheme `index`.
    public func line(of index: Int) -> Int { WordWrap.lineIndex(of: index, in: layout) }

    /// Scrolls as little as needed so that grapheme `index` shows, with a row of context above
    /// it when the view has room.
    public mutating func reveal(_ index: Int) {
        let row = line(of: index)
        let margin = height > 2 ? 1 : 0
        if row < top + margin { scroll(to: row - margin) } else if row >= top + height - margin {
            scroll(to: row - height + 1 + margin)
        }
    }

    /// Draws the rows from `top` into `area` (filled with `style` first); graphemes inside
    /// `highlights` (grapheme index ranges) are drawn in `highlightStyle`. When `area` differs
    /// from the size given to `resize`, the text is wrapped to `area`'s width for this frame.
    public func render(in area: Rect, on canvas: inout Canvas, style: Style = .plain,
                       highlights: [Range<Int>] = [], highlightStyle: Style = Style.plain.reversed()) {
        canvas.fill(area, style: style)
        guard !area.isEmpty else { return }
        let lines = area.width == width ? layout : WordWrap.lines(info, width: area.width)
        let first = min(top, max(0, lines.count - area.height))
        var next = 0
        for row in 0..<area.height {
            let index = first + row
            guard index < lines.count else { break }
            let line = lines[index]
            Self.drawRun(characters[line.start..<line.end], from: line.start, x: area.x, y: area.y + row,
                         maxWidth: area.width, style: style, highlights: highlights, cursor: &next,
                         highlightStyle: highlightStyle, on: &canvas)
        }
    }

    /// Draws `text` (graphemes from index `start`) on one row, switching to `highlightStyle`
    /// inside `highlights`. `cursor` is the first highlight range that may still matter; pass
    /// 0 and the same variable for rows drawn in order.
    /// A tab reaches the next tab stop counted from `x`. Returns the cells used.
    @discardableResult
    public static func drawRun<C: Collection>(_ text: C, from start: Int, x: Int, y: Int, maxWidth: Int, style: Style,
                                              highlights: [Range<Int>], cursor: inout Int, highlightStyle: Style,
                                              on canvas: inout Canvas) -> Int where C.Element == Character {
        var column = x
        var index = start
        var position = text.startIndex
        let limit = x + maxWidth
        while position != text.endIndex, column < limit {
            while cursor < highlights.count, highlights[cursor].upperBound <= index { cursor += 1 }
            let inside = cursor < highlights.count && highlights[cursor].contains(index)
            // The run goes to the next place the highlight starts or stops.
            let stop = cursor < highlights.count
                ? (inside ? highlights[cursor].upperBound : highlights[cursor].lowerBound) : Int.max
            let count = min(stop - index, text.distance(from: position, to: text.endIndex))
            let end = text.index(position, offsetBy: count)
            column += canvas.put(text[position..<end], x: column, y: y, style: inside ? highlightStyle : style,
                                 maxWidth: limit - column, tabStopsFrom: x)
            position = end
            index += count
        }
        return column - x
    }

    /// Grapheme index ranges covering the UTF-8 byte ranges `bytes` of `characters` (a
    /// grapheme touched by a range is covered whole).
    public static func graphemeRanges<C: Collection>(ofByteRanges bytes: [Range<Int>], in characters: C) -> [Range<Int>]
    where C.Element == Character {
        guard !bytes.isEmpty else { return [] }
        var starts: [Int] = []
        starts.reserveCapacity(characters.count + 1)
        var offset = 0
        for character in characters {
            starts.append(offset)
            offset += character.utf8.count
        }
        starts.append(offset)
        /// The grapheme holding byte `byte`: the last one starting at or before it.
        func grapheme(_ byte: Int) -> Int {
            var low = 0, high = starts.count - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if starts[mid] <= byte { low = mid } else { high = mid - 1 }
            }
            return min(low, characters.count)
        }
        var ranges: [Range<Int>] = []
        for range in bytes where !range.isEmpty {
            let first = grapheme(range.lowerBound), last = grapheme(range.upperBound - 1)
            guard first < characters.count else { break }
            if let previous = ranges.last, previous.upperBound > first {
                ranges[ranges.count - 1] = previous.lowerBound..<max(previous.upperBound, last + 1)
            } else {
                ranges.append(first..<(last + 1))
            }
        }
        return ranges
    }

    /// Overwrites the text in place and empties the view.
    public mutating func wipe() {
        for index in characters.indices { characters[index] = " " }
        characters.removeAll()
        for index in info.indices { info[index] = 0 }
        info.removeAll()
        layout = WordWrap.lines(info, width: width)
        top = 0
    }
}
