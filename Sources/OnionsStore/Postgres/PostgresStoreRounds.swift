import OnionsCore

/// A sync round's reading: its budget, and the calls that read many rows.
extension PostgresStore {
    /// Starts a new read budget (`PostgresReadBudget`) that every answer shares until
    /// `endRound` (or the next `beginRound`): what the server may make this store hold in one
    /// sync round. Outside a round each answer has a budget of its own.
    public func beginRound() {
        budget.beginRound()
    }

    /// Ends the round `beginRound` started.
    public func endRound() {
        budget.endRound()
    }

    /// Name, version and tombstone flag of every record, from `pull` without its blobs (the
    /// server still reads them; they are not sent).
    public func recordVersions(vault: VaultID) throws -> [RecordVersion] {
        let rows = try vaultCall(vault, "reading record versions") {
            try $0.query("SELECT name, version, deleted FROM onions.pull(0)")
        }
        return try (0..<rows.count).map { row in
            guard let name = rows.bytes(row, 0), let version = rows.integer(row, 1),
                  let deleted = rows.bool(row, 2) else { throw Self.malformed }
            return RecordVersion(name: RecordName(name), version: UInt64(max(0, version)), deleted: deleted)
        }
    }

    /// Records from `get_all` or `pull` rows.
    func storedRecords(_ rows: PostgresRows) throws -> [StoredRecord] {
        try (0..<rows.count).map { row in
            guard let name = rows.bytes(row, 0), let version = rows.integer(row, 1), let blob = rows.bytes(row, 2),
                  let deleted = rows.bool(row, 3), let sequence = rows.integer(row, 4) else { throw Self.malformed }
            return StoredRecord(name: RecordName(name), version: UInt64(max(0, version)), blob: blob,
                                deleted: deleted, sequence: sequence)
        }
    }
}
