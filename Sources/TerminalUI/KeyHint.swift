/// A key and what it does, as the status line and dialogs list them: `KeyHint("^S", "save")`.
///
/// An essential hint (lock, quit) stays on a status line that is too narrow for all of them:
/// the others are dropped first.
public struct KeyHint: Hashable, Sendable {
    public var key: String
    public var label: String
    public var isEssential: Bool

    public init(_ key: String, _ label: String, essential: Bool = false) {
        self.key = key
        self.label = label
        self.isEssential = essential
    }
}
