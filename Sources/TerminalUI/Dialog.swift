/// A centred box with a message and the keys that answer it, e.g. "Discard changes?" with
/// `y yes  n no`.
///
/// Draw it last, over the screen it belongs to. The message is word-wrapped to at most
/// `maxTextWidth` cells (less on narrow terminals); explicit "\n" start new lines.
public struct Dialog: Hashable, Sendable {
    public var title: String?
    public var message: String
    public var hints: [KeyHint]
    public var maxTextWidth: Int

    public init(title: String? = nil, message: String, hints: [KeyHint] = [], maxTextWidth: Int = 50) {
        self.title = title
        self.message = message
        self.hints = hints
        self.maxTextWidth = maxTextWidth
    }

    /// Draws the dialog centred in `area` and returns the box it took.
    @discardableResult
    public func render(in area: Rect, on canvas: inout Canvas, style: Style = .plain,
                       border: Border = .single, keyStyle: Style = Style.plain.bold()) -> Rect {
        let characters = Array(message)
        let wrapWidth = max(1, min(maxTextWidth, area.width - 4))
        let lines = WordWrap.lines(WordWrap.info(for: characters), width: wrapWidth)
        let hintsWidth = hints.isEmpty ? 0
            : hints.map { DisplayWidth.of($0.key) + 1 + DisplayWidth.of($0.label) }.reduce(0, +) + 2 * (hints.count - 1)
        let titleWidth = title.map { DisplayWidth.of($0) + 2 } ?? 0
        let textWidth = lines.map { line in
            var end = line.end
            while end > line.start, characters[end - 1] == " " { end -= 1 }
            return DisplayWidth.of(characters[line.start..<end])
        }.max() ?? 0
        let innerWidth = max(textWidth, hintsWidth, titleWidth)
        let innerHeight = lines.count + (hints.isEmpty ? 0 : 2)
        let box = area.centered(width: innerWidth + 4, height: innerHeight + 2)
        canvas.fill(box, style: style)
        let inside = canvas.drawBox(box, border: border, style: style, title: title, titleStyle: style.bold())
            .inset(horizontal: 1, vertical: 0)
        for (row, line) in lines.enumerated() where row < inside.height {
            canvas.put(characters[line.start..<line.end], x: inside.x, y: inside.y + row, style: style,
                       maxWidth: inside.width)
        }
        if !hints.isEmpty, inside.height >= lines.count + 2 {
            let y = inside.y + lines.count + 1
            var x = inside.x + max(0, (inside.width - hintsWidth) / 2)
            for (index, hint) in hints.enumerated() {
                if index > 0 { x += 2 }
                x += canvas.put(hint.key, x: x, y: y, style: keyStyle, maxWidth: inside.maxX - x)
                x += canvas.put(" " + hint.label, x: x, y: y, style: style, maxWidth: inside.maxX - x)
            }
        }
        return box
    }
}
