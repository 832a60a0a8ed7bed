/// A key and what it does, as the status line and dialogs list them: `KeyHint("^S", "save")`.
public struct KeyHint: Hashable, Sendable {
    public var key: String
    public var label: String

    public init(_ key: String, _ label: String) {
        self.key = key
        self.label = label
    }
}
