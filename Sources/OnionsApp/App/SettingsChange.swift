import OnionsCore

/// A change to the vault's settings that a key asks for (`VaultRequest.changeSettings`).
public enum SettingsChange: Sendable, Equatable {
    /// Order the onion list and the card grid this way.
    case order(ListOrder)
    /// Pin (true) or unpin an onion or a card.
    case pin(ItemID, Bool)
    /// Move a task `by` places (negative: up) among the tasks shown (`among`).
    case moveTask(UInt16, by: Int, among: Set<UInt16>)

    /// What the change did, as the notice says it.
    var done: String? {
        switch self {
        case .order(let order): return "Sorted by \(order.name) (s changes it)."
        case .pin(_, true): return "Pinned to the top (p unpins it)."
        case .pin(_, false): return "Unpinned."
        case .moveTask: return nil
        }
    }
}
