import OnionsCrypto

/// The text an editor started from: what a save merges against when another writer of the same
/// store changed the onion in the meantime.
public final class EditBase: @unchecked Sendable {
    public let id: ItemID
    let titleVersion: UInt64?
    let infoVersion: UInt64?
    let title: SecretBytes
    let info: SecretBytes

    init(id: ItemID, titleVersion: UInt64?, infoVersion: UInt64?, title: SecretBytes, info: SecretBytes) {
        self.id = id
        self.titleVersion = titleVersion
        self.infoVersion = infoVersion
        self.title = title
        self.info = info
    }

    public func wipe() {
        title.wipe()
        info.wipe()
    }
}
