import OnionsCore

/// One batch written a page at a time in one transaction (`PagedWriting`): a sync that copies a
/// whole vault here holds one page of blobs, not all of them.
extension SQLiteStore {
    /// Applies the pages `next` gives, then `writes`, in one `BEGIN IMMEDIATE` transaction, each
    /// write checked as `apply(vault:writes:)` checks it; an error (from `next` too) rolls back
    /// everything.
    @discardableResult
    public func apply(vault: VaultID, pages next: () throws -> [RecordWrite]?, then writes: [RecordWrite]) throws -> Int64 {
        try guarded("saving records") {
            try connection.transaction {
                var sequence: Int64?
                while let page = try next() {
                    if !page.isEmpty { sequence = try applyWrites(vault, page) }
                }
                if !writes.isEmpty || sequence == nil { sequence = try applyWrites(vault, writes) }
                return sequence ?? 0
            }
        }
    }
}
