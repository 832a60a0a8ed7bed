/// The characters of a box outline.
public struct Border: Hashable, Sendable {
    public var horizontal: Character
    public var vertical: Character
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character

    public init(horizontal: Character, vertical: Character, topLeft: Character, topRight: Character,
                bottomLeft: Character, bottomRight: Character) {
        self.horizontal = horizontal
        self.vertical = vertical
        self.topLeft = topLeft
        self.topRight = topRight
        self.bottomLeft = bottomLeft
        self.bottomRight = bottomRight
    }

    public static let single = Border(horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐",
                                      bottomLeft: "└", bottomRight: "┘")
    public static let rounded = Border(horizontal: "─", vertical: "│", topLeft: "╭", topRight: "╮",
                                       bottomLeft: "╰", bottomRight: "╯")
    public static let double = Border(horizontal: "═", vertical: "║", topLeft: "╔", topRight: "╗",
                                      bottomLeft: "╚", bottomRight: "╝")
    public static let ascii = Border(horizontal: "-", vertical: "|", topLeft: "+", topRight: "+",
                                     bottomLeft: "+", bottomRight: "+")
}

extension Canvas {
    /// Draws the outline of `rect` and returns the area inside it.
    ///
    /// A `title` is drawn into the top edge (" Title "), clipped to fit. Rectangles smaller
    /// than 2×2 get no outline and are returned unchanged.
    @discardableResult
    public mutating func drawBox(_ rect: Rect, border: Border = .single, style: Style = .plain,
                                 title: String? = nil, titleStyle: Style? = nil) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return rect }
        let top = rect.y, bottom = rect.maxY - 1, left = rect.x, right = rect.maxX - 1
        for x in (left + 1)..<right {
            put(border.horizontal, x: x, y: top, style: style)
            put(border.horizontal, x: x, y: bottom, style: style)
        }
        for y in (top + 1)..<bottom {
            put(border.vertical, x: left, y: y, style: style)
            put(border.vertical, x: right, y: y, style: style)
        }
        put(border.topLeft, x: left, y: top, style: style)
        put(border.topRight, x: right, y: top, style: style)
        put(border.bottomLeft, x: left, y: bottom, style: style)
        put(border.bottomRight, x: right, y: bottom, style: style)
        if let title, rect.width > 4 {
            put(" " + title + " ", x: left + 1, y: top, style: titleStyle ?? style, maxWidth: rect.width - 2)
        }
        return rect.inset(by: 1)
    }
}
