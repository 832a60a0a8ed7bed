import OnionsCrypto

/// A task as the interface showed it when the user started changing it: what a change merges
/// against when another writer of the same store changed or deleted the task meanwhile.
public final class TaskBase: @unchecked Sendable {
    public let id: UInt16
    let text: SecretBytes
    public let done: Bool

    /// Takes `text` (wiped by `wipe`).
    public init(id: UInt16, text: SecretBytes, done: Bool) {
        self.id = id
        self.text = text
        self.done = done
    }

    /// A copy with its own text (the original can be wiped independently).
    public func copy() -> TaskBase {
        TaskBase(id: id, text: text.copy(), done: done)
    }

    public func wipe() {
        text.wipe()
    }
}
