/// What an editing operation on a `TextField` or `TextArea` did.
public enum EditResult: Hashable, Sendable {
    /// The text changed (and the cursor with it).
    case changed
    /// Only the cursor moved.
    case moved
    /// Nothing to do (Backspace at the start, Left at the start, a control character typed).
    case unchanged
    /// The edit would pass the grapheme limit and was refused; the text is as it was.
    case refused
    /// The key is not an editing key; the caller may handle it.
    case ignored
}
