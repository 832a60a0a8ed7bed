import OnionsCore

/// What a sync that moves a whole vault reads and writes a page at a time: the versions of what
/// changed without their blobs, blobs by name, and one batch in several statements of one
/// transaction (`PagedReading`, `PagedWriting`).
extension PostgresStore {
    /// Name, version, tombstone flag and sequence value of every record changed after `since`,
    /// from `pull_versions`: the server reads no blob for it.
    public func changeVersions(vault: VaultID, since: Int64) throws -> [StoredRecord] {
        let rows = try vaultCall(vault, "reading changes") {
            try $0.query("SELECT name, version, deleted, seq FROM onions.pull_versions($1)", [.int64(since)])
        }
        return try (0..<rows.count).map { row in
            guard let name = rows.bytes(row, 0), let version = rows.integer(row, 1), let deleted = rows.bool(row, 2),
                  let sequence = rows.integer(row, 3) else { throw Self.malformed }
            return StoredRecord(name: RecordName(name), version: UInt64(max(0, version)), blob: [], deleted: deleted,
                                sequence: sequence)
        }
    }

    /// The live records among `names`: one `get_many` call for each page of names, which the
    /// server looks up by its index. A row for a name not asked for is dropped.
    public func records(vault: VaultID, names: [RecordName]) throws -> [StoredRecord] {
        var found: [StoredRecord] = []
        for page in stride(from: 0, to: names.count, by: Self.pageRecords) {
            let slice = names[page..<min(names.count, page + Self.pageRecords)]
            let rows = try vaultCall(vault, "reading records") {
                try $0.query("SELECT name, version, blob, deleted, seq FROM onions.get_many($1)",
                             [.byteaArray(slice.map(\.bytes))])
            }
            let asked = Set(slice)
            found += try storedRecords(rows).filter { asked.contains($0.name) }
        }
        return found
    }

    /// How many names one `records(vault:names:)` statement asks for.
    static let pageRecords = 256

    /// Applies the pages `next` gives, then `writes`, each as one `onions.apply` statement, all in
    /// one transaction: the turn's, or one opened here. A conflict, a lost connection or an error
    /// from `next` rolls everything back (and ends the turn); the conflict names the write as
    /// `apply(vault:writes:commits:)` does.
    @discardableResult
    public func apply(vault: VaultID, pages next: () throws -> [RecordWrite]?, then writes: [RecordWrite]) throws -> Int64 {
        guard let connection = logins[vault] else { throw StoreError.unauthorized }
        if !turns.contains(vault) {
            try vaultCall(vault, "saving records") { try $0.run(script: "BEGIN") }
            turns.insert(vault)
        }
        var committed = false
        defer {
            if !committed {
                turns.remove(vault)
                _ = try? connection.run(script: "ROLLBACK")
            }
        }
        var sequence: Int64?
        while let page = try next() {
            if !page.isEmpty { sequence = try applyInTransaction(vault, page) }
        }
        // This machine's versions between (`historyQueued`) go with the last statement.
        let history = historyQueued[vault] ?? []
        if !writes.isEmpty || sequence == nil || !history.isEmpty {
            sequence = try applyInTransaction(vault, writes, history: history)
        }
        turns.remove(vault)
        committed = true
        guard connection.endTransaction() else {
            drop(vault)
            throw StoreError.unavailable("cannot reach the server: the connection ended while saving records")
        }
        historyQueued[vault] = nil
        return sequence ?? 0
    }

    /// One `onions.apply` statement in the open transaction.
    private func applyInTransaction(_ vault: VaultID, _ writes: [RecordWrite],
                                    history: [StoredRecord] = []) throws -> Int64 {
        let (sql, parameters) = Self.applyStatement(writes, commits: [], history: history)
        return try runApply(vault, writes, sql, parameters, inTransaction: true)
    }
}
