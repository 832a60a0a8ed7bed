/// The bottom line that lists the keys that work on the current screen.
///
/// Hints are drawn as `key label` separated by two spaces. When they do not all fit, whole
/// hints are dropped from the end and " …" shows that some are missing; a hint is never cut
/// in half unless even the first one does not fit. An optional message (e.g. "Saved") sits at
/// the right when there is room for it after the hints.
public struct StatusLine: Hashable, Sendable {
    public var hints: [KeyHint]
    public var message: String?

    public init(_ hints: [KeyHint], message: String? = nil) {
        self.hints = hints
        self.message = message
    }

    /// `StatusLine([("^S", "save"), ("Esc", "back")])`.
    public init(_ pairs: [(String, String)], message: String? = nil) {
        self.init(pairs.map { KeyHint($0.0, $0.1) }, message: message)
    }

    /// Draws into the first row of `area`.
    public func render(in area: Rect, on canvas: inout Canvas, style: Style = .plain,
                       keyStyle: Style = Style.plain.bold(), messageStyle: Style? = nil) {
        guard !area.isEmpty else { return }
        let row = area.row(0)
        canvas.fill(row, style: style)
        let ellipsis = " …"
        var x = row.x
        for (index, hint) in hints.enumerated() {
            let separator = index == 0 ? 0 : 2
            let hintWidth = DisplayWidth.of(hint.key) + 1 + DisplayWidth.of(hint.label)
            let isLast = index == hints.count - 1
            let reserve = isLast ? 0 : DisplayWidth.of(ellipsis)
            let fits = x + separator + hintWidth + reserve <= row.maxX
                || (isLast && x + separator + hintWidth <= row.maxX)
            if !fits {
                if index == 0 {
                    x += canvas.put(hint.key, x: x, y: row.y, style: keyStyle, maxWidth: row.width)
                    x += canvas.put(" " + hint.label, x: x, y: row.y, style: style, maxWidth: row.maxX - x)
                } else {
                    x += canvas.put(ellipsis, x: x, y: row.y, style: style, maxWidth: row.maxX - x)
                }
                break
            }
            x += separator
            x += canvas.put(hint.key, x: x, y: row.y, style: keyStyle)
            x += canvas.put(" " + hint.label, x: x, y: row.y, style: style)
        }
        if let message {
            let messageWidth = DisplayWidth.of(message)
            if x + 2 + messageWidth <= row.maxX {
                canvas.put(message, x: row.maxX - messageWidth, y: row.y, style: messageStyle ?? style)
            }
        }
    }
}
