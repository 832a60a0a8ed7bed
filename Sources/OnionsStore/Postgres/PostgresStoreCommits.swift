import OnionsCore

/// Records and commits on the server: `onions.apply` and `onions.add_commits` in one
/// statement (one transaction, or the turn's), and `onions.pull_commits`.
extension PostgresStore {
    /// Applies the writes in one server transaction, each checked in order against the record's
    /// current version (0 when never written; a tombstone counts with its version), so a batch
    /// may write one name twice; a new version must be above the expected one (it may skip).
    /// The commits are inserted in the same transaction (the server computes each hash; one it
    /// holds already is skipped). Every write takes a fresh sequence value; returns the last (the
    /// vault's highest when `writes` is empty). The conflict names the first failing write and
    /// the version stored before the batch, which is what remains.
    @discardableResult
    public func apply(vault: VaultID, writes: [RecordWrite], commits: [[UInt8]]) throws -> Int64 {
        let rows: PostgresRows
        let inTurn = turns.contains(vault)
        // A batch written in a turn commits with it; one that fails ends it too.
        defer { endTurn(vault: vault) }
        let (sql, parameters) = Self.applyStatement(writes, commits: commits)
        do {
            rows = try vaultCall(vault, "saving records") { try $0.query(sql, parameters) }
        } catch let failure as PostgresFailure where failure.sqlState == PostgresFailure.State.conflict {
            guard let (index, current) = Self.conflictDetail(failure.detail), writes.indices.contains(index) else {
                throw Self.malformed
            }
            throw StoreError.conflict(name: writes[index].name, current: current)
        }
        guard let sequence = rows.integer(0, 0) else { throw Self.malformed }
        if inTurn {
            turns.remove(vault)
            guard logins[vault]?.endTransaction() == true else {
                drop(vault)
                throw StoreError.unavailable("cannot reach the server: the connection ended while saving records")
            }
        }
        return sequence
    }

    /// The statement of `apply(vault:writes:commits:)`: `onions.apply`, after `onions.add_commits`
    /// when there are commits.
    static func applyStatement(_ writes: [RecordWrite], commits: [[UInt8]]) -> (String, [PostgresValue]) {
        var parameters: [PostgresValue] = [
            .byteaArray(writes.map(\.name.bytes)), .byteaArray(writes.map(\.blob)),
            .int64Array(writes.map { Int64(clamping: $0.expectedVersion) }),
            // A new version beyond the server's range goes as 0, which the server refuses.
            .int64Array(writes.map { Int64(exactly: $0.newVersion) ?? 0 }), .boolArray(writes.map(\.isDelete)),
        ]
        // The commits first (a CTE runs before the writes' select), so that a conflict rolls
        // both back.
        guard !commits.isEmpty else { return ("SELECT onions.apply($1, $2, $3, $4, $5)", parameters) }
        parameters.append(.byteaArray(commits))
        return ("WITH c AS MATERIALIZED (SELECT onions.add_commits($6) AS s) "
            + "SELECT onions.apply($1, $2, $3, $4, $5) FROM c", parameters)
    }

    /// Every commit of the vault inserted after `since`, in order.
    public func commits(vault: VaultID, since: Int64) throws -> [StoredCommit] {
        let rows = try vaultCall(vault, "reading commits") {
            try $0.query("SELECT * FROM onions.pull_commits($1)", [.int64(since)])
        }
        return try (0..<rows.count).map { row in
            guard let sequence = rows.integer(row, 0), let blob = rows.bytes(row, 1) else { throw Self.malformed }
            return StoredCommit(blob: blob, sequence: sequence)
        }
    }
}
