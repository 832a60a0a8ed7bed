import TerminalUI

/// How a card looks: its size, its decorated back, its face, and the frames of a flip.
public enum CardArt {
    public static let width = 24
    public static let height = 6

    /// One frame of a flip: how wide the card is drawn and which side shows.
    public struct FlipFrame: Equatable, Sendable {
        public let width: Int
        public let showsFace: Bool
    }

    /// The frames of a flip: the back narrows to its edge, then the face widens again.
    /// Seven frames, 50 ms apart, about a third of a second.
    public static let flipFrames: [FlipFrame] = [
        FlipFrame(width: 24, showsFace: false), FlipFrame(width: 16, showsFace: false),
        FlipFrame(width: 8, showsFace: false), FlipFrame(width: 2, showsFace: false),
        FlipFrame(width: 8, showsFace: true), FlipFrame(width: 16, showsFace: true),
        FlipFrame(width: 24, showsFace: true),
    ]
    public static let frameMilliseconds = 50

    /// Horizontal offsets of a card shaken after a wrong password.
    public static let shakeOffsets = [0, -2, 2, -2, 2, -1, 1, 0]

    /// Draws a card's back (face down) in `box`: "To: NAME" and a pattern.
    public static func drawBack(recipient: String, in box: Rect, on canvas: inout Canvas, theme: Theme,
                                selected: Bool) {
        let border = selected ? theme.selection : theme.border
        let inner = canvas.drawBox(box, border: selected ? .double : .rounded, style: border)
        guard inner.width > 0, inner.height > 0 else { return }
        canvas.fill(inner, style: theme.text)
        if box.width >= width {
            canvas.put("To: " + recipient, x: inner.x + 1, y: inner.y, style: theme.title, maxWidth: inner.width - 2)
        }
        let red = Style(foreground: .red), green = Style(foreground: .green)
        for row in 1..<inner.height {
            for column in 0..<inner.width {
                let even = (row + column) % 2 == 0
                canvas.put(even ? "✦" : "·", x: inner.x + column, y: inner.y + row, style: even ? red : green)
            }
        }
    }

    /// Draws a card's face (open): "To: NAME" and the description wrapped inside, from line `scroll`.
    public static func drawFace(recipient: String, description: [Character], scroll: Int, in box: Rect,
                                on canvas: inout Canvas, theme: Theme, selected: Bool) {
        let inner = canvas.drawBox(box, border: selected ? .double : .rounded,
                                   style: selected ? theme.selection : theme.border)
        guard inner.width > 0, inner.height > 0 else { return }
        canvas.fill(inner, style: theme.text)
        if box.width >= width {
            canvas.put("To: " + recipient, x: inner.x + 1, y: inner.y, style: theme.title, maxWidth: inner.width - 2)
        }
        let textArea = Rect(x: inner.x + 1, y: inner.y + 1, width: max(0, inner.width - 2), height: inner.height - 1)
        guard textArea.width > 0, textArea.height > 0 else { return }
        let lines = TextArea(description, width: textArea.width, height: textArea.height).wrappedLines
        let first = min(max(0, scroll), max(0, lines.count - textArea.height))
        for row in 0..<textArea.height where first + row < lines.count {
            canvas.put(lines[first + row], x: textArea.x, y: textArea.y + row, style: theme.text,
                       maxWidth: textArea.width, tabStopsFrom: textArea.x)
        }
        if first + textArea.height < lines.count {
            canvas.put("▾", x: inner.maxX - 1, y: inner.maxY - 1, style: theme.dim)
        }
    }
}
