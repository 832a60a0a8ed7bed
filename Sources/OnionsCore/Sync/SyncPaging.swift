import OnionsCrypto

/// A store that writes one batch a page at a time, in one transaction: every write or none, as
/// one `apply`, without holding every blob of the batch at once (a sync that moves a whole vault).
public protocol PagedWriting: Store {
    /// Applies the pages `next` gives, until it gives nil, then `writes`, in one transaction, each
    /// write checked as `apply(vault:writes:)` checks it. An error thrown by `next` rolls back
    /// everything and comes through unchanged. Returns the last sequence value.
    @discardableResult
    func apply(vault: VaultID, pages next: () throws -> [RecordWrite]?, then writes: [RecordWrite]) throws -> Int64
}

/// A server whose changes can be read without their blobs: a round then decides from names and
/// versions, and reads the blobs it only copies a page at a time while it writes them.
public protocol PagedReading: RemoteStore {
    /// Every record (tombstones included) changed after sequence value `since`, as `changes`
    /// gives them but with empty blobs.
    func changeVersions(vault: VaultID, since: Int64) throws -> [StoredRecord]
}

/// How many records a sync reads or writes at most in one call while it copies a vault.
enum SyncPage {
    static let records = 256

    /// `items` in pages of `records`.
    static func pages<T>(_ items: [T]) -> [ArraySlice<T>] {
        stride(from: 0, to: items.count, by: records).map { items[$0..<min(items.count, $0 + records)] }
    }
}

/// Records whose blobs, read a page at a time while a round wrote them, were not the ones its
/// plan was made for (gone, at another version, not opening, or another digest): the round is
/// rolled back and made again with these read before it decides, where they are checked and
/// reported as any change is.
struct SyncPageMismatch: Error {
    let names: Set<RecordName>
}

extension Store {
    /// `apply(vault:pages:then:)` of a `PagedWriting` store; another store gets every page and
    /// the writes in one `apply`.
    @discardableResult
    func applyPaged(vault: VaultID, pages next: () throws -> [RecordWrite]?, then writes: [RecordWrite]) throws -> Int64 {
        if let paged = self as? PagedWriting { return try paged.apply(vault: vault, pages: next, then: writes) }
        var all: [RecordWrite] = []
        while let page = try next() { all += page }
        return try apply(vault: vault, writes: all + writes)
    }
}
