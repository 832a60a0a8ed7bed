import OnionsCore

/// Versions on the server (schema 5): the rows `apply` replaced, kept by the server's trigger,
/// read with the commits in one call, and removed by a purge or the retention's expiry.
extension PostgresStore: RemoteHistoryStore {
    public func excludeFromHistory(vault: VaultID, names: Set<RecordName>) {
        let fresh = names.subtracting(historyExclusionsSent[vault] ?? [])
        if fresh.isEmpty {
            historyExclusionsQueued[vault] = nil
        } else {
            historyExclusionsQueued[vault] = fresh
        }
    }

    public func queueHistory(vault: VaultID, rows: [StoredRecord]) {
        historyQueued[vault] = rows.isEmpty ? nil : rows
    }

    /// One statement: the commits (`pull_commits`) and the kept rows (`pull_history`), told
    /// apart by the name, NULL for a commit.
    public func commits(vault: VaultID, since: Int64, historySince: Int64) throws
        -> (commits: [StoredCommit], history: [StoredRecord]) {
        let rows = try vaultCall(vault, "reading commits and versions") {
            try $0.query("""
                SELECT seq, NULL::bytea, 0::int8, blob, false FROM onions.pull_commits($1)
                UNION ALL SELECT seq, name, version, blob, deleted FROM onions.pull_history($2, $3::int4)
                """, [.int64(since), .int64(historySince), .int64(Int64(ServerHistoryPage.rows))])
        }
        var commits: [StoredCommit] = [], history: [StoredRecord] = []
        for row in 0..<rows.count {
            guard let sequence = rows.integer(row, 0), let blob = rows.bytes(row, 3) else { throw Self.malformed }
            guard let name = rows.bytes(row, 1) else {
                commits.append(StoredCommit(blob: blob, sequence: sequence))
                continue
            }
            guard let version = rows.integer(row, 2), version > 0, let deleted = rows.bool(row, 4) else {
                throw Self.malformed
            }
            history.append(StoredRecord(name: RecordName(name), version: UInt64(version), blob: blob, deleted: deleted,
                                        sequence: sequence))
        }
        commits.sort { $0.sequence < $1.sequence }
        history.sort { $0.sequence < $1.sequence }
        return (commits, history)
    }

    @discardableResult
    public func purgeHistory(vault: VaultID, purges: [HistoryPurge]?) throws -> Int {
        let rows = try vaultCall(vault, "removing kept versions") { (connection) -> PostgresRows in
            guard let purges else { return try connection.query("SELECT onions.purge_history(NULL, NULL)") }
            return try connection.query("SELECT onions.purge_history($1, $2)", [
                .byteaArray(purges.map(\.name.bytes)),
                // A negative value removes that one version only.
                .int64Array(purges.map { purge in
                    purge.through.map { purge.exact ? -Int64(clamping: $0) : Int64(clamping: $0) } ?? Int64.max
                }),
            ])
        }
        guard let removed = rows.integer(0, 0) else { throw Self.malformed }
        return Int(removed)
    }
}

/// Versions stored under server names (schema 6): removed outright by `onions.remove_records`.
extension PostgresStore: RecordRemoving {
    @discardableResult
    public func removeRecords(vault: VaultID, names: [RecordName]) throws -> Int {
        guard !names.isEmpty else { return 0 }
        let rows = try vaultCall(vault, "removing versions") {
            try $0.query("SELECT onions.remove_records($1)", [.byteaArray(names.map(\.bytes))])
        }
        guard let removed = rows.integer(0, 0) else { throw Self.malformed }
        return Int(removed)
    }
}
