/// How a cell is drawn: foreground and background colour plus attributes.
///
/// Styles are plain values; build them with the modifiers: `Style(foreground: .cyan).bold()`.
public struct Style: Hashable, Sendable {
    /// Text attributes that work without colour.
    public struct Attributes: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let bold = Attributes(rawValue: 1 << 0)
        public static let dim = Attributes(rawValue: 1 << 1)
        public static let reverse = Attributes(rawValue: 1 << 2)
        public static let underline = Attributes(rawValue: 1 << 3)
    }

    public var foreground: Color
    public var background: Color
    public var attributes: Attributes

    public init(foreground: Color = .default, background: Color = .default, attributes: Attributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The terminal's default colours, no attributes.
    public static let plain = Style()

    public func bold() -> Style { adding(.bold) }
    public func dim() -> Style { adding(.dim) }
    public func reversed() -> Style { adding(.reverse) }
    public func underlined() -> Style { adding(.underline) }

    /// This style with `attributes` added.
    public func adding(_ attributes: Attributes) -> Style {
        var copy = self
        copy.attributes.formUnion(attributes)
        return copy
    }

    /// The same style for a terminal without colour (`NO_COLOR`, or no colour support).
    ///
    /// Colours are dropped; a coloured background becomes `reverse` so that a highlighted row
    /// stays visible.
    public var monochrome: Style {
        var attributes = self.attributes
        if background != .default { attributes.insert(.reverse) }
        return Style(attributes: attributes)
    }
}
