/// The named styles screens draw with, so that colour choices live in one place.
///
/// The standard theme keeps text in the terminal's default colours and marks selection with
/// `reverse`, so it reads on dark and light backgrounds and survives `NO_COLOR` unchanged.
public struct Theme: Hashable, Sendable {
    public var text: Style
    public var dim: Style
    public var title: Style
    public var accent: Style
    public var selection: Style
    public var error: Style
    public var border: Style
    public var keyHint: Style
    /// What the search matched, in text drawn in `text` style.
    public var highlight: Style
    /// What the search matched, inside the selected row (drawn in `selection`).
    public var selectedHighlight: Style

    public init(text: Style, dim: Style, title: Style, accent: Style, selection: Style,
                error: Style, border: Style, keyHint: Style,
                highlight: Style = Style(foreground: .black, background: .yellow).bold(),
                selectedHighlight: Style = Style.plain.bold().underlined()) {
        self.text = text
        self.dim = dim
        self.title = title
        self.accent = accent
        self.selection = selection
        self.error = error
        self.border = border
        self.keyHint = keyHint
        self.highlight = highlight
        self.selectedHighlight = selectedHighlight
    }

    public static let standard = Theme(
        text: .plain,
        dim: Style.plain.dim(),
        title: Style.plain.bold(),
        accent: Style(foreground: .cyan).bold(),
        selection: Style.plain.reversed(),
        error: Style(foreground: .red).bold(),
        border: .plain,
        keyHint: Style.plain.bold())
}
