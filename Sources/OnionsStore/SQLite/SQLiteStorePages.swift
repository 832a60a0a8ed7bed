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

/// What a log in reads, in one statement.
extension SQLiteStore {
    /// One statement over every row of the vault: each row's name, version and tombstone flag,
    /// and the blob (in place) of the live ones of `blobLength` bytes. A log in's titles and its
    /// check of what the store holds, read together instead of an index scan and a table scan.
    /// A file of one vault is read in the table's own order (no index: every row is the
    /// vault's, and a look-up through the index for each row costs more than the rows).
    public func scanForLogIn(vault: VaultID, blobLength: Int,
                             held: (RecordName, UInt64, Bool) throws -> Void,
                             sized: (RecordName, UInt64, UnsafeRawBufferPointer) throws -> Void) throws {
        try guarded("reading records") {
            try connection.readTransaction {
                let oneVault = try connection.withStatement("SELECT count(*) FROM (SELECT 1 FROM vault_headers LIMIT 2)") {
                    try $0.step() ? $0.int64(0) <= 1 : false
                }
                try connection.withStatement("""
                    SELECT name, version, deleted, CASE WHEN deleted = 0 AND length(blob) = ? THEN blob END
                    FROM records \(oneVault ? "NOT INDEXED " : "")WHERE vault = ?
                    """) { row in
                    try row.bind(1, Int64(blobLength))
                    try row.bind(2, vault.value)
                    var count = 0
                    while try row.step() {
                        count += 1
                        try Self.checkCount(count)
                        let name = try Self.recordName(row)
                        let version = UInt64(max(0, row.int64(1)))
                        try held(name, version, row.int64(2) != 0)
                        if !row.isNull(3) { try row.withBlob(3) { try sized(name, version, $0) } }
                    }
                }
            }
        }
    }
}
