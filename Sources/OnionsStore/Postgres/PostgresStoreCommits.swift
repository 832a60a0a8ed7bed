import OnionsCore

/// Records and commits on the server: `onions.apply` and `onions.add_commits` in one
/// statement (one transaction, or the turn's), `onions.pull_commits`, and the head with the
/// commit count (`onions.get_head`) and `onions.held_commits` (schema version 5).
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
        let inTurn = turns.contains(vault)
        // A batch written in a turn commits with it; one that fails ends it too.
        defer { endTurn(vault: vault) }
        let excluded = historyExclusionsQueued[vault] ?? []
        let history = historyQueued[vault] ?? []
        let (sql, parameters) = Self.applyStatement(writes, commits: commits, excluded: excluded, history: history)
        let sequence = try runApply(vault, writes, sql, parameters, inTransaction: false)
        historyQueued[vault] = nil
        if !excluded.isEmpty {
            historyExclusionsQueued[vault] = nil
            historyExclusionsSent[vault, default: []].formUnion(excluded)
        }
        if inTurn {
            turns.remove(vault)
            guard logins[vault]?.endTransaction() == true else {
                drop(vault)
                throw StoreError.unavailable("cannot reach the server: the connection ended while saving records")
            }
        }
        return sequence
    }

    /// Runs an apply statement (in the open transaction when `inTransaction`) and returns the
    /// sequence it answers; a conflict becomes `StoreError.conflict` naming the first failing write.
    func runApply(_ vault: VaultID, _ writes: [RecordWrite], _ sql: String, _ parameters: [PostgresValue],
                  inTransaction: Bool) throws -> Int64 {
        let rows: PostgresRows
        do {
            rows = try vaultCall(vault, "saving records") {
                inTransaction ? try $0.queryInTransaction(sql, parameters) : try $0.query(sql, parameters)
            }
        } catch let failure as PostgresFailure where failure.sqlState == PostgresFailure.State.conflict {
            guard let (index, current) = Self.conflictDetail(failure.detail), writes.indices.contains(index) else {
                throw Self.malformed
            }
            throw StoreError.conflict(name: writes[index].name, current: current)
        }
        guard let sequence = rows.integer(0, 0) else { throw Self.malformed }
        return sequence
    }

    /// The statement of `apply(vault:writes:commits:)`: `onions.apply`, after `onions.add_commits`
    /// when there are commits and `onions.exclude_from_history` when names are `excluded` (their
    /// replaced rows are not kept) and `onions.add_history` when there is `history` (this machine's
    /// versions no write on the server replaces). All are CTEs, which run before the writes'
    /// select, so that a conflict rolls all back.
    static func applyStatement(_ writes: [RecordWrite], commits: [[UInt8]], excluded: Set<RecordName> = [],
                               history: [StoredRecord] = []) -> (String, [PostgresValue]) {
        var parameters: [PostgresValue] = [
            .byteaArray(writes.map(\.name.bytes)), .byteaArray(writes.map(\.blob)),
            .int64Array(writes.map { Int64(clamping: $0.expectedVersion) }),
            // A new version beyond the server's range goes as 0, which the server refuses.
            .int64Array(writes.map { Int64(exactly: $0.newVersion) ?? 0 }), .boolArray(writes.map(\.isDelete)),
        ]
        var ctes: [String] = []
        if !commits.isEmpty {
            parameters.append(.byteaArray(commits))
            ctes.append("c AS MATERIALIZED (SELECT onions.add_commits($\(parameters.count)) AS s)")
        }
        if !excluded.isEmpty {
            parameters.append(.byteaArray(excluded.map(\.bytes)))
            ctes.append("x AS MATERIALIZED (SELECT onions.exclude_from_history($\(parameters.count)) AS e)")
        }
        if !history.isEmpty {
            parameters += [.byteaArray(history.map(\.name.bytes)),
                           .int64Array(history.map { Int64(exactly: $0.version) ?? 0 }),
                           .byteaArray(history.map { $0.deleted ? [] : $0.blob }), .boolArray(history.map(\.deleted))]
            let at = parameters.count - 3
            ctes.append("h AS MATERIALIZED (SELECT onions.add_history($\(at), $\(at + 1), $\(at + 2), $\(at + 3)) AS k)")
        }
        let sql = ctes.isEmpty ? "SELECT onions.apply($1, $2, $3, $4, $5)"
            : "WITH " + ctes.joined(separator: ", ") + " SELECT onions.apply($1, $2, $3, $4, $5) FROM "
                + ctes.map { String($0.prefix(1)) }.joined(separator: ", ")
        return (sql, parameters)
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

    /// The head record and the number of commits the server holds, in one statement
    /// (`onions.get_head`).
    public func headRecord(vault: VaultID, name: RecordName) throws -> (record: StoredRecord?, commits: Int?) {
        let rows = try vaultCall(vault, "reading the head record") {
            try $0.query("SELECT * FROM onions.get_head($1)", [.bytes(name.bytes)])
        }
        guard rows.count == 1, let count = rows.integer(0, 4), count >= 0 else { throw Self.malformed }
        guard let version = rows.integer(0, 0) else { return (nil, Int(count)) }
        guard let blob = rows.bytes(0, 1), let deleted = rows.bool(0, 2), let sequence = rows.integer(0, 3) else {
            throw Self.malformed
        }
        return (StoredRecord(name: name, version: UInt64(max(0, version)), blob: blob, deleted: deleted,
                             sequence: sequence), Int(count))
    }

    /// The commits among `hashes` the server holds (`onions.held_commits`, 10,000 a call);
    /// anything it answers that was not asked is left out.
    public func heldCommits(vault: VaultID, hashes: [CommitHash]) throws -> Set<CommitHash> {
        let asked = Set(hashes)
        var held: Set<CommitHash> = []
        for start in stride(from: 0, to: hashes.count, by: 10_000) {
            let slice = hashes[start..<min(start + 10_000, hashes.count)]
            let rows = try vaultCall(vault, "reading which commits the server holds") {
                try $0.query("SELECT * FROM onions.held_commits($1)", [.byteaArray(slice.map(\.bytes))])
            }
            for row in 0..<rows.count {
                guard let hash = rows.bytes(row, 0).flatMap(CommitHash.init) else { throw Self.malformed }
                if asked.contains(hash) { held.insert(hash) }
            }
        }
        return held
    }
}
