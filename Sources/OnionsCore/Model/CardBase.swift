/// The version of a card the card form opened: what a save compares with when another writer
/// of the same store changed or deleted the card meanwhile. Holds no secret.
public struct CardBase: Sendable, Equatable {
    public let id: ItemID
    let version: UInt64?
}
