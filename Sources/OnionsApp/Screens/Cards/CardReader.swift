import TerminalUI

/// An open card shown large: a box over the card grid with the recipient in its frame, the
/// whole description word-wrapped inside, and the position at the bottom ("line 18 of 66").
///
/// It draws from the open card's description (secret memory) on every frame and keeps nothing
/// but the scroll position, which lives in `OpenCard`.
enum CardReader {
    /// The widest the box is drawn: lines past about 80 characters are hard to read.
    static let maxWidth = 84

    /// The box in the cards' `area`: the full height, centred, at most `maxWidth` wide.
    static func box(in area: Rect) -> Rect {
        area.centered(width: min(area.width, maxWidth), height: area.height)
    }

    /// Where the text goes inside `box` (inside the frame, one column of margin each side).
    static func textArea(_ box: Rect) -> Rect {
        Rect(x: box.x + 2, y: box.y + 1, width: max(0, box.width - 4), height: max(0, box.height - 2))
    }

    /// The description's wrapped lines at the width of `text`.
    static func lines(_ description: [Character], _ text: Rect) -> [String] {
        TextArea(description, width: max(1, text.width), height: max(1, text.height)).wrappedLines
    }

    /// The first line that may be on top: the end of the text stays at the bottom of the box.
    static func scrollLimit(lineCount: Int, rows: Int) -> Int { max(0, lineCount - max(1, rows)) }

    /// The new first line after `key`, or nil when the key does not scroll the reader.
    /// Lines and pages are counted in the rows of a reader drawn in `area`.
    static func scrolled(_ scroll: Int, by key: Key, description: [Character], area: Rect) -> Int? {
        let text = textArea(box(in: area))
        let rows = max(1, text.height)
        let limit = scrollLimit(lineCount: lines(description, text).count, rows: rows)
        let page = max(1, rows - 1)
        let from = min(max(0, scroll), limit)
        let target: Int
        switch key {
        case .down, .character("j"): target = from + 1
        case .up, .character("k"): target = from - 1
        case .pageDown, .character(" "): target = from + page
        case .pageUp: target = from - page
        case .home, .character("g"): target = 0
        case .end, .character("G"): target = limit
        default: return nil
        }
        return min(max(0, target), limit)
    }

    /// "line 18 of 66", "line 52 of 66 · end", or "3 lines" when every line shows.
    static func position(first: Int, rows: Int, lineCount: Int) -> String {
        guard lineCount > rows else { return lineCount == 1 ? "1 line" : "\(lineCount) lines" }
        let atEnd = first + rows >= lineCount
        return "line \(first + 1) of \(lineCount)" + (atEnd ? " · end" : "")
    }

    /// `code`: the one-time code of the description's `otpauth://` line, drawn on the bottom border.
    static func render(recipient: String, description: [Character], scroll: Int, in area: Rect,
                       on canvas: inout Canvas, theme: Theme, code: String? = nil) {
        let box = box(in: area)
        guard box.width >= 4, box.height >= 2 else { return }
        canvas.fill(box, style: theme.text)
        canvas.drawBox(box, border: .rounded, style: theme.border, title: "To: " + recipient, titleStyle: theme.title)
        let text = textArea(box)
        guard text.width > 0, text.height > 0 else { return }
        let lines = lines(description, text)
        let first = min(max(0, scroll), scrollLimit(lineCount: lines.count, rows: text.height))
        for row in 0..<text.height where first + row < lines.count {
            canvas.put(lines[first + row], x: text.x, y: text.y + row, style: theme.text, maxWidth: text.width,
                       tabStopsFrom: text.x)
        }
        let position = " " + position(first: first, rows: text.height, lineCount: lines.count) + " "
        let width = DisplayWidth.of(position)
        if width + 4 <= box.width {
            canvas.put(position, x: box.maxX - 2 - width, y: box.maxY - 1, style: theme.dim)
        }
        if let code {
            let shown = " " + code + " "
            let room = box.width - 4 - (width + 4 <= box.width ? width + 1 : 0)
            if DisplayWidth.of(shown) <= room { canvas.put(shown, x: box.x + 2, y: box.maxY - 1, style: theme.title) }
        }
    }
}
