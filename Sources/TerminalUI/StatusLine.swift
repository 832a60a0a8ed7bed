/// The bottom line that lists the keys that work on the current screen.
///
/// Hints are drawn as `key label` separated by two spaces. When they do not all fit, whole
/// hints are dropped, the last of the ones not essential first, and "…" stands where they
/// were; essential hints (`KeyHint.isEssential`) are never dropped: on a line too narrow even
/// for them, they show their keys only. A lone hint wider than the line is cut. An optional
/// message (e.g. "Saved") sits at the right when there is room for it after the hints.
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
        var shown = Array(hints.indices)
        var keysOnly = false
        while width(of: tokens(shown, keysOnly: keysOnly)) > row.width {
            if shown.count > 1, let drop = shown.lastIndex(where: { !hints[$0].isEssential }) {
                shown.remove(at: drop)
            } else if shown.count > 1, !keysOnly {
                keysOnly = true
            } else {
                break
            }
        }
        var x = row.x
        for (index, token) in tokens(shown, keysOnly: keysOnly).enumerated() {
            x += index == 0 ? 0 : token.separator
            guard x < row.maxX else { break }
            switch token.hint {
            case let hint?:
                x += canvas.put(hint.key, x: x, y: row.y, style: keyStyle, maxWidth: row.maxX - x)
                if !keysOnly { x += canvas.put(" " + hint.label, x: x, y: row.y, style: style, maxWidth: row.maxX - x) }
            case nil:
                x += canvas.put(Self.ellipsis, x: x, y: row.y, style: style, maxWidth: row.maxX - x)
            }
        }
        if let message {
            let messageWidth = DisplayWidth.of(message)
            if x + 2 + messageWidth <= row.maxX {
                canvas.put(message, x: row.maxX - messageWidth, y: row.y, style: messageStyle ?? style)
            }
        }
    }

    private static let ellipsis = "…"

    /// One hint, or the ellipsis (`hint` nil) standing for hints left out, with the blank
    /// before it: two before a hint, one before the ellipsis.
    private struct Token {
        let hint: KeyHint?
        let width: Int
        let separator: Int
    }

    private func tokens(_ shown: [Int], keysOnly: Bool) -> [Token] {
        var out: [Token] = []
        var next = 0
        for index in shown {
            if index > next { out.append(Token(hint: nil, width: DisplayWidth.of(Self.ellipsis), separator: 1)) }
            let hint = hints[index]
            let width = DisplayWidth.of(hint.key) + (keysOnly ? 0 : 1 + DisplayWidth.of(hint.label))
            out.append(Token(hint: hint, width: width, separator: 2))
            next = index + 1
        }
        if next < hints.count { out.append(Token(hint: nil, width: DisplayWidth.of(Self.ellipsis), separator: 1)) }
        return out
    }

    private func width(of tokens: [Token]) -> Int {
        tokens.enumerated().reduce(0) { $0 + $1.element.width + ($1.offset == 0 ? 0 : $1.element.separator) }
    }
}
