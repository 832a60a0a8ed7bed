/// A terminal colour from the eight-colour palette every colour terminal has, or the terminal's own.
///
/// Prefer `.default` for text and backgrounds: it keeps the screen readable on dark and light
/// themes alike. Use the named colours for accents only, never as the sole carrier of meaning,
/// because with `NO_COLOR` every colour is dropped (see `Style.monochrome`).
public enum Color: UInt8, CaseIterable, Hashable, Sendable {
    case `default`
    case black, red, green, yellow, blue, magenta, cyan, white
}
