/// One terminal cell: a grapheme and its style.
///
/// A two-cell (wide) grapheme sits in its first cell; the cell to its right is a continuation
/// cell that holds no text of its own. Controls and zero-width clusters never land in a cell.
public struct Cell: Hashable, Sendable {
    public var character: Character
    public var style: Style
    /// True for the right half of a wide grapheme.
    public var isContinuation: Bool

    public init(_ character: Character, style: Style = .plain, isContinuation: Bool = false) {
        self.character = character
        self.style = style
        self.isContinuation = isContinuation
    }

    /// A space in the default style.
    public static let blank = Cell(" ")
}
