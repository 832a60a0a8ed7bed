import OnionsCore

/// The SQLite store's tables and the migrations that build them, versioned by `user_version`.
///
/// Migration N (1-based) brings a database from `user_version` N-1 to N. Migrations only ever
/// get appended; a released one is never edited.
enum SQLiteSchema {
    /// `PRAGMA application_id` of an onions database ("ONIO").
    static let applicationID: Int64 = 0x4F4E_494F

    static let migrations: [String] = [
        // 1: vault headers, records with tombstones, the change sequence, local state.
        """
        CREATE TABLE vault_headers (
            vault TEXT PRIMARY KEY NOT NULL,
            parameters BLOB NOT NULL,
            wrapped_key BLOB NOT NULL,
            verifier BLOB NOT NULL
        );
        CREATE TABLE records (
            vault TEXT NOT NULL REFERENCES vault_headers (vault),
            name BLOB NOT NULL,
            version INTEGER NOT NULL CHECK (version >= 0),
            blob BLOB NOT NULL,
            deleted INTEGER NOT NULL CHECK (deleted IN (0, 1)),
            seq INTEGER NOT NULL,
            PRIMARY KEY (vault, name)
        );
        CREATE INDEX records_by_seq ON records (vault, seq);
        CREATE TABLE change_sequence (
            only_row INTEGER PRIMARY KEY CHECK (only_row = 0),
            value INTEGER NOT NULL
        );
        INSERT INTO change_sequence (only_row, value) VALUES (0, 0);
        CREATE TABLE local_state (
            vault TEXT NOT NULL,
            key TEXT NOT NULL,
            value BLOB NOT NULL,
            PRIMARY KEY (vault, key)
        );
        """,
        // 2: a covering index, so listing names and versions never reads a blob.
        """
        CREATE INDEX records_versions ON records (vault, name, version, deleted);
        """,
        // 3: the vault's commits, append-only (FORMAT.md "Commits"): inserted, never updated;
        // removed only with their vault.
        """
        CREATE TABLE commits (
            vault TEXT NOT NULL,
            seq INTEGER NOT NULL,
            hash BLOB NOT NULL CHECK (length(hash) = 32),
            blob BLOB NOT NULL,
            PRIMARY KEY (vault, hash)
        );
        CREATE INDEX commits_by_seq ON commits (vault, seq);
        CREATE TRIGGER commits_never_change BEFORE UPDATE ON commits
        BEGIN SELECT RAISE(ABORT, 'commits are never changed'); END;
        """,
        // 4: earlier versions (FORMAT.md "Versions and trash"): when a record of the small or
        // large class, or a tombstone, is replaced, its row is kept in record_history, unless
        // its name is one the vault's session listed in history_excluded (fillers, counters,
        // drafts). held_at: when this machine first held the row (ms since 1970), for the
        // retention ages.
        """
        ALTER TABLE records ADD COLUMN held_at INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE record_history (
            vault TEXT NOT NULL,
            name BLOB NOT NULL,
            version INTEGER NOT NULL,
            blob BLOB NOT NULL,
            deleted INTEGER NOT NULL,
            held_at INTEGER NOT NULL,
            PRIMARY KEY (vault, name, version)
        );
        CREATE TABLE history_excluded (
            vault TEXT NOT NULL,
            name BLOB NOT NULL,
            PRIMARY KEY (vault, name)
        );
        CREATE TRIGGER records_keep_history BEFORE UPDATE OF version ON records
        WHEN old.version <> new.version
            AND (old.deleted = 1 OR substr(old.blob, 2, 1) IN (x'01', x'02'))
            AND NOT EXISTS (SELECT 1 FROM history_excluded e WHERE e.vault = old.vault AND e.name = old.name)
        BEGIN
            INSERT OR IGNORE INTO record_history (vault, name, version, blob, deleted, held_at)
            VALUES (old.vault, old.name, old.version, old.blob, old.deleted, old.held_at);
        END;
        """,
    ]

    /// The schema version this program writes.
    static var latestVersion: Int64 { Int64(migrations.count) }

    /// Brings the database up to `latestVersion` in one transaction.
    ///
    /// Throws `StoreError.damaged` for a schema newer than this program, or for a database
    /// that belongs to another program.
    static func migrate(_ connection: SQLiteConnection) throws {
        if try isCurrent(connection) { return }
        try connection.transaction {
            let version = try connection.integer("PRAGMA user_version") ?? 0
            try checkOwnership(connection, version: version)
            guard version < latestVersion else { return }
            for index in Int(version)..<migrations.count {
                try connection.execute(migrations[index])
            }
            try connection.execute("PRAGMA user_version = \(latestVersion)")
            try connection.execute("PRAGMA application_id = \(applicationID)")
        }
    }

    /// Checks, without writing, that a database opened to read is an onions database this
    /// program can read: of its own, at a schema version it knows and that has its tables.
    static func checkReadable(_ connection: SQLiteConnection) throws {
        let version = try connection.integer("PRAGMA user_version") ?? 0
        try checkOwnership(connection, version: version)
        guard version >= 1 else {
            throw StoreError.unavailable("The onions database holds no vault yet, and a reading command does not "
                + "set it up.")
        }
    }

    private static func isCurrent(_ connection: SQLiteConnection) throws -> Bool {
        let version = try connection.integer("PRAGMA user_version") ?? 0
        try checkOwnership(connection, version: version)
        return version == latestVersion
    }

    private static func checkOwnership(_ connection: SQLiteConnection, version: Int64) throws {
        if version > latestVersion {
            throw StoreError.damaged(
                "The onions database has schema version \(version), newer than this program knows "
                    + "(\(latestVersion)). Update onions to open it.")
        }
        let owner = try connection.integer("PRAGMA application_id") ?? 0
        if owner != 0 && owner != applicationID {
            throw StoreError.damaged("The file is a database of another program, not an onions database.")
        }
        if version <= 0 {
            let objects = try connection.integer("SELECT count(*) FROM sqlite_schema") ?? 0
            if version < 0 || objects > 0 {
                throw StoreError.damaged("The file is a database of another program, not an onions database.")
            }
        }
    }
}
