import OnionsCore
import OnionsCrypto
import TerminalUI

/// A deleted item as the Trash view lists it: its name in secret memory and the delete's time.
public final class TrashLine: @unchecked Sendable {
    public let entry: TrashEntry
    /// The title, recipient or task text.
    public let name: SecretBytes
    /// When it was deleted, as shown.
    public var when: String

    public init(entry: TrashEntry, name: SecretBytes, when: String) {
        self.entry = entry
        self.name = name
        self.when = when
    }

    public func wipe() { name.wipe() }
}

/// The Trash view: deleted onions, cards and tasks, the latest delete first.
public struct TrashState {
    public var lines: [TrashLine] = []
    public var list = ListView(count: 0)
    /// The listing came (an empty one says so).
    public var loaded = false
    public init() {}

    public var selected: TrashLine? { list.selection.flatMap { lines.indices.contains($0) ? lines[$0] : nil } }

    public mutating func wipe() {
        lines.forEach { $0.wipe() }
        lines.removeAll()
        list.setCount(0)
        loaded = false
    }
}
