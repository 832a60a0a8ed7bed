import OnionsCore

/// The commits table (FORMAT.md "Commits"): inserted with a save's records in one transaction,
/// never updated (a trigger refuses it), removed only with the vault.
extension SQLiteStore {
    /// The writes and the commits in one transaction; a commit whose hash is held already is
    /// left as it is. A commit takes the next value of the change sequence.
    @discardableResult
    public func apply(vault: VaultID, writes: [RecordWrite], commits: [[UInt8]]) throws -> Int64 {
        try guarded("saving records") {
            try connection.transaction {
                var sequence = try applyWrites(vault, writes)
                for blob in commits {
                    let hash = CommitHash(sealed: blob).bytes
                    let next = try nextSequence()
                    try connection.withStatement("""
                        INSERT INTO commits (vault, seq, hash, blob) VALUES (?, ?, ?, ?)
                        ON CONFLICT (vault, hash) DO NOTHING
                        """) {
                        try $0.bind(1, vault.value)
                        try $0.bind(2, next)
                        try $0.bind(3, hash)
                        try $0.bind(4, blob)
                        try $0.run()
                    }
                    sequence = next
                }
                return sequence
            }
        }
    }

    /// False in a database of a schema before commits (one a reading command opened without
    /// upgrading it).
    private func hasCommits() throws -> Bool {
        try connection.integer("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'commits'") == 1
    }

    /// Every commit of the vault inserted after `since`, in order; none in a database of a
    /// schema before commits (one a reading command opened without upgrading it).
    public func commits(vault: VaultID, since: Int64) throws -> [StoredCommit] {
        try guarded("reading commits") {
            guard try hasCommits() else { return [] }
            return try connection.withStatement("SELECT seq, blob FROM commits WHERE vault = ? AND seq > ? ORDER BY seq") {
                try $0.bind(1, vault.value)
                try $0.bind(2, since)
                var found: [StoredCommit] = []
                while try $0.step() {
                    try Self.checkCount(found.count + 1)
                    found.append(StoredCommit(blob: try $0.blob(1, limit: Limits.maximumBlobBytes, "a commit in the store"),
                                              sequence: $0.int64(0)))
                }
                return found
            }
        }
    }

    /// The head record and the number of commits held for the vault (nil in a database of a
    /// schema before commits), in one read transaction.
    public func headRecord(vault: VaultID, name: RecordName) throws -> (record: StoredRecord?, commits: Int?) {
        try guarded("reading the head record") {
            try connection.readTransaction { () throws -> (record: StoredRecord?, commits: Int?) in
                let stored = try record(vault: vault, name: name)
                guard try hasCommits() else { return (stored, nil) }
                let count = try connection.withStatement("SELECT count(*) FROM commits WHERE vault = ?") {
                    try $0.bind(1, vault.value)
                    return try $0.step() ? Int($0.int64(0)) : 0
                }
                return (stored, count)
            }
        }
    }

    /// The commits among `hashes` held for the vault.
    public func heldCommits(vault: VaultID, hashes: [CommitHash]) throws -> Set<CommitHash> {
        try guarded("reading commits") {
            guard try hasCommits() else { return [] }
            return try connection.withStatement("SELECT 1 FROM commits WHERE vault = ? AND hash = ?") {
                (statement: SQLiteStatement) throws -> Set<CommitHash> in
                var held: Set<CommitHash> = []
                for hash in hashes {
                    statement.reset()
                    try statement.bind(1, vault.value)
                    try statement.bind(2, hash.bytes)
                    if try statement.step() { held.insert(hash) }
                }
                return held
            }
        }
    }
}
