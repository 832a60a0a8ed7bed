/// What accepting the store's state would change in the manifest, as loading and reading found
/// it (`Session.acceptStoreState`).
struct StoreRepair {
    /// Listed records the store lost: dropped from the manifest.
    var forget: Set<LogicalKey> = []
    /// Listed records the store holds at another version or in another copy: listed as the
    /// store holds them when they open, else deleted.
    var adopt: Set<LogicalKey> = []
    /// Records that do not open, or that came back after a delete: deleted.
    var delete: Set<LogicalKey> = []
    /// Records the manifest does not list: deleted.
    var deleteNames: Set<RecordName> = []

    var isEmpty: Bool { forget.isEmpty && adopt.isEmpty && delete.isEmpty && deleteNames.isEmpty }

    /// Notes what accepting does about an issue of `kind` with the record of `key`.
    mutating func note(_ kind: IntegrityIssue.Kind, _ key: LogicalKey) {
        switch kind {
        case .missing: forget.insert(key)
        case .older, .replaced: adopt.insert(key)
        case .damaged, .reAdded: delete.insert(key)
        case .unlisted, .rolledBack, .manifest, .serverOlder, .dropped, .altered, .swapped, .replayed, .history: break
        }
    }
}
