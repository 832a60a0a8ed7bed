/// An editor that takes text one grapheme at a time: `TextField` and `TextArea`.
public protocol GraphemeEditing {
    /// Inserts one grapheme at the cursor, or says why not.
    mutating func insert(_ character: Character) -> EditResult
}

extension GraphemeEditing {
    /// Inserts pasted text all or nothing: when any grapheme would pass the limit, the editor
    /// is left exactly as it was and the result is `.refused`.
    public mutating func insert<S: Sequence>(contentsOf text: S) -> EditResult where S.Element == Character {
        let before = self
        var result = EditResult.unchanged
        for character in text {
            switch insert(character) {
            case .refused:
                self = before
                return .refused
            case .changed:
                result = .changed
            case .moved, .unchanged, .ignored:
                break
            }
        }
        return result
    }
}
