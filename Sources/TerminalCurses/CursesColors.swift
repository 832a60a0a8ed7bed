import CNcursesW
import TerminalUI

/// Turns styles into curses attributes and colour pairs, allocating pairs as they are needed.
///
/// Without colour (`NO_COLOR`, or a terminal without colours) styles are drawn through
/// `Style.monochrome`, so highlights stay visible as reverse video.
struct CursesColors {
    let enabled: Bool
    private var pairs: [UInt16: Int16] = [:]
    private var nextPair: Int16 = 1
    private let maxPairs: Int32

    /// Starts colour when `enabled` and the terminal has it, with the terminal's own default
    /// colours for `.default`. Call after curses started.
    init(enabled wanted: Bool) {
        if wanted, has_colors() {
            start_color()
            use_default_colors()
            enabled = true
            maxPairs = min(onions_color_pairs(), 256)
        } else {
            enabled = false
            maxPairs = 0
        }
    }

    /// Attributes and pair number for `style`.
    mutating func attributes(for style: Style) -> (attributes: attr_t, pair: Int16) {
        let style = enabled ? style : style.monochrome
        var attributes = onions_a_normal()
        if style.attributes.contains(.bold) { attributes |= onions_a_bold() }
        if style.attributes.contains(.dim) { attributes |= onions_a_dim() }
        if style.attributes.contains(.reverse) { attributes |= onions_a_reverse() }
        if style.attributes.contains(.underline) { attributes |= onions_a_underline() }
        guard enabled, style.foreground != .default || style.background != .default else {
            return (attributes, 0)
        }
        let key = UInt16(style.foreground.rawValue) << 8 | UInt16(style.background.rawValue)
        if let pair = pairs[key] { return (attributes, pair) }
        guard Int32(nextPair) < maxPairs else { return (attributes, 0) }
        let pair = nextPair
        init_pair(pair, Self.code(style.foreground), Self.code(style.background))
        pairs[key] = pair
        nextPair += 1
        return (attributes, pair)
    }

    /// curses colour number: -1 is the terminal default (after `use_default_colors`).
    private static func code(_ color: Color) -> Int16 {
        color == .default ? -1 : Int16(color.rawValue) - 1
    }
}
