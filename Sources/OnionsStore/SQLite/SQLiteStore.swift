import CSQLite
import Glibc
import OnionsCore
import OnionsCrypto

/// The embedded store: one SQLite file, the working copy of every vault on this machine.
///
/// Opened in WAL mode with `synchronous=FULL`, so a call that returned has reached the disk and
/// survives SIGKILL or power loss. Use one instance from one thread at a time; another process
/// may open the same file (a call waits up to the busy timeout for its lock, then throws
/// `.unavailable`).
///
/// Unlike a server, the file's holder can read every byte anyway, so `authorize` is a check the
/// caller may use and no other call requires it. Errors are `StoreError`s whose messages name
/// what failed, never record contents.
public final class SQLiteStore: Store {
    let connection: SQLiteConnection
    /// The database file, as given to `init`.
    public let path: String

    /// What a caller means to do with the store.
    public enum Access: Sendable {
        /// Read and write: the file is created if missing, must be writable, and is narrowed to
        /// 0600 when this user owns it; its schema is brought up to date.
        case readWrite
        /// Only read: nothing is created, changed or migrated, so a store on a read-only file,
        /// folder or mount opens too; every write fails with a sentence saying it is read-only.
        case readOnly
    }

    /// How this store was opened.
    public let access: Access

    /// `PRAGMA data_version` when last asked (see `othersCommitted`).
    var seenDataVersion: Int64?
    /// What `mark()` noted, nil before it.
    var markedState: StoreMark?

    /// Opens the database at `path`: for `.readWrite` creating its folders (0700), the file
    /// (0600) and the schema as needed.
    ///
    /// The path must name a regular file that is empty or an onions database: anything else
    /// (a device, FIFO, socket, folder, another program's database) is refused and left as it
    /// is. A missing file is created even for `.readOnly`. Throws `StoreError.damaged` when the
    /// file is not an onions database or has a newer schema than this program knows,
    /// `StoreError.unavailable` when it is not a file, cannot be created, opened or locked, or
    /// is read-only and `.readWrite` was asked. `busyTimeoutMilliseconds` bounds each wait for
    /// another process's lock.
    public init(path: String, access: Access = .readWrite, busyTimeoutMilliseconds: Int32 = 5000) throws {
        self.path = path
        var status = stat()
        let exists = stat(path, &status) == 0
        self.access = exists ? access : .readWrite
        try SQLiteDatabaseFile.prepare(path: path, access: self.access)
        if self.access == .readOnly {
            connection = try Self.openReadOnly(path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
            seenDataVersion = try? connection.integer("PRAGMA data_version")
            return
        }
        connection = try Self.guarded("opening \(path)") { try SQLiteConnection(path: path) }
        try Self.guarded("opening \(path)") {
            connection.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
            try connection.execute("PRAGMA foreign_keys = ON")
            try connection.execute("PRAGMA secure_delete = ON")
            try connection.execute("PRAGMA temp_store = MEMORY")
            // 1 MiB of pages: a log in reads each page once, and the kernel's page cache keeps
            // the file anyway; a larger cache only grew the process (every info read by a
            // search stayed resident twice).
            try connection.execute("PRAGMA cache_size = -1024")
            guard try connection.text("PRAGMA journal_mode = WAL")?.lowercased() == "wal" else {
                throw StoreError.unavailable("The onions database cannot use write-ahead logging.")
            }
            try connection.execute("PRAGMA synchronous = FULL")
            try SQLiteSchema.migrate(connection)
        }
        seenDataVersion = try? connection.integer("PRAGMA data_version")
    }

    /// A read-only connection whose schema is checked, not migrated. When SQLite cannot open it
    /// so (a write-ahead-log database in a folder where its `-shm` cannot be made), the file is
    /// opened as immutable: nothing can write to it there.
    private static func openReadOnly(_ path: String, busyTimeoutMilliseconds: Int32) throws -> SQLiteConnection {
        func open(_ mode: SQLiteConnection.Mode) throws -> SQLiteConnection {
            let connection = try SQLiteConnection(path: path, mode: mode)
            connection.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
            try connection.execute("PRAGMA query_only = ON")
            try connection.execute("PRAGMA temp_store = MEMORY")
            try connection.execute("PRAGMA cache_size = -1024")
            try SQLiteSchema.checkReadable(connection)
            return connection
        }
        return try guarded("opening \(path) to read") {
            do {
                return try open(.readOnly)
            } catch let failure as SQLiteFailure where SQLiteDatabaseFile.notWritable(path) != nil
                && failure.code & 0xff == SQLITE_CANTOPEN {
                return try open(.immutable)
            }
        }
    }

    /// `$XDG_DATA_HOME/onions/onions.db`, by default `~/.local/share/onions/onions.db`.
    public static func defaultPath(environment: [String: String]) -> String {
        SQLiteDatabaseFile.defaultPath(environment: environment)
    }

    // MARK: Vault headers

    public func prelogin(vault: VaultID) throws -> [UInt8]? {
        try guarded("reading a vault header") {
            try connection.withStatement("SELECT parameters FROM vault_headers WHERE vault = ?") {
                try $0.bind(1, vault.value)
                return try $0.step() ? $0.blob(0, limit: Limits.maximumHeaderFieldBytes, "a vault header in the store") : nil
            }
        }
    }

    /// Checks `SHA-256(authKey)` against the vault's verifier in constant time.
    public func authorize(vault: VaultID, authKey: SecretBytes) throws {
        guard let header = try header(vault: vault) else { throw StoreError.noVault }
        let presented = authKey.withUnsafeBytes { SHA256.hash($0) }
        guard ConstantTime.equals(presented, header.verifier) else { throw StoreError.unauthorized }
    }

    public func header(vault: VaultID) throws -> VaultHeaderBlob? {
        try guarded("reading a vault header") { try readHeader(vault) }
    }

    public func createVault(_ vault: VaultID, header: VaultHeaderBlob) throws {
        try guarded("creating a vault") { try insertHeader(vault, header) }
    }

    /// The header and the first records in one transaction, so an interrupted sign-up leaves
    /// no vault at all; then presents `authKey`.
    public func createVault(_ vault: VaultID, header: VaultHeaderBlob, authKey: SecretBytes,
                            records: [RecordWrite]) throws {
        try guarded("creating a vault") {
            try connection.transaction {
                try insertHeader(vault, header)
                _ = try applyWrites(vault, records)
            }
        }
        try authorize(vault: vault, authKey: authKey)
    }

    private func insertHeader(_ vault: VaultID, _ header: VaultHeaderBlob) throws {
        try connection.withStatement("""
            INSERT INTO vault_headers (vault, parameters, wrapped_key, verifier) VALUES (?, ?, ?, ?)
            ON CONFLICT (vault) DO NOTHING
            """) {
            try $0.bind(1, vault.value)
            try $0.bind(2, header.parameters)
            try $0.bind(3, header.wrappedKey)
            try $0.bind(4, header.verifier)
            try $0.run()
        }
        if connection.changes == 0 { throw StoreError.vaultExists }
    }

    /// Replaces the header only while it still equals `expected`.
    ///
    /// Throws `.noVault` without a header, and `.conflict` with an empty name and version 0
    /// when the header has changed since `expected` was read.
    public func replaceHeader(_ vault: VaultID, expected: VaultHeaderBlob, with new: VaultHeaderBlob) throws {
        try replaceHeader(vault, expected: expected, with: new, applying: [])
    }

    /// Header and records in one transaction: a rotation is all written or not at all.
    public func replaceHeader(_ vault: VaultID, expected: VaultHeaderBlob, with new: VaultHeaderBlob,
                              applying writes: [RecordWrite]) throws {
        try guarded("replacing a vault header") {
            try connection.transaction {
                guard let current = try readHeader(vault) else { throw StoreError.noVault }
                guard current == expected else { throw StoreError.conflict(name: RecordName([]), current: 0) }
                try connection.withStatement("""
                    UPDATE vault_headers SET parameters = ?, wrapped_key = ?, verifier = ? WHERE vault = ?
                    """) {
                    try $0.bind(1, new.parameters)
                    try $0.bind(2, new.wrappedKey)
                    try $0.bind(3, new.verifier)
                    try $0.bind(4, vault.value)
                    try $0.run()
                }
                if !writes.isEmpty { _ = try applyWrites(vault, writes) }
            }
        }
    }

    /// Removes the vault's header, records, tombstones and local state, then scrubs the file.
    ///
    /// Deleted pages are zeroed (`secure_delete`), the write-ahead log is checkpointed and
    /// truncated, and the file is vacuumed, so no byte of the vault stays in the database file,
    /// its `-wal` or its free pages. Deleting a vault that does not exist does nothing.
    /// Takes time proportional to the whole file. When another program has the file open the
    /// vault is still deleted, but the wipe may not finish: that throws `.unavailable`.
    public func deleteVault(_ vault: VaultID) throws {
        try guarded("deleting a vault") {
            try connection.transaction {
                for sql in [
                    "DELETE FROM records WHERE vault = ?",
                    "DELETE FROM commits WHERE vault = ?",
                    "DELETE FROM record_history WHERE vault = ?",
                    "DELETE FROM history_excluded WHERE vault = ?",
                    "DELETE FROM local_state WHERE vault = ?",
                    "DELETE FROM vault_headers WHERE vault = ?",
                ] {
                    try connection.withStatement(sql) {
                        try $0.bind(1, vault.value)
                        try $0.run()
                    }
                }
            }
        }
        try scrub()
    }

    // MARK: Records

    public func record(vault: VaultID, name: RecordName) throws -> StoredRecord? {
        try guarded("reading a record") {
            try connection.withStatement("""
                SELECT name, version, blob, deleted, seq FROM records
                WHERE vault = ? AND name = ? AND deleted = 0
                """) {
                try $0.bind(1, vault.value)
                try $0.bind(2, name.bytes)
                return try $0.step() ? try Self.storedRecord($0) : nil
            }
        }
    }

    public func records(vault: VaultID) throws -> [StoredRecord] {
        try guarded("reading records") {
            try connection.withStatement("""
                SELECT name, version, blob, deleted, seq FROM records WHERE vault = ? AND deleted = 0
                """) {
                try $0.bind(1, vault.value)
                var found: [StoredRecord] = []
                while try $0.step() {
                    try Self.checkCount(found.count + 1)
                    found.append(try Self.storedRecord($0))
                }
                return found
            }
        }
    }

    /// Reads names and versions from the covering index, never a blob.
    public func recordVersions(vault: VaultID) throws -> [RecordVersion] {
        try guarded("listing records") {
            try connection.withStatement("""
                SELECT name, version, deleted FROM records INDEXED BY records_versions WHERE vault = ?
                """) {
                try $0.bind(1, vault.value)
                var found: [RecordVersion] = []
                while try $0.step() {
                    try Self.checkCount(found.count + 1)
                    found.append(RecordVersion(name: try Self.recordName($0), version: UInt64(max(0, $0.int64(1))),
                                               deleted: $0.int64(2) != 0))
                }
                return found
            }
        }
    }

    /// One primary-key look-up per name, in one read transaction.
    public func records(vault: VaultID, names: [RecordName]) throws -> [StoredRecord] {
        try guarded("reading records") {
            try connection.readTransaction {
                try connection.withStatement("""
                    SELECT name, version, blob, deleted, seq FROM records
                    WHERE vault = ? AND name = ? AND deleted = 0
                    """) { statement in
                    var found: [StoredRecord] = []
                    found.reserveCapacity(names.count)
                    for name in names {
                        statement.reset()
                        try statement.bind(1, vault.value)
                        try statement.bind(2, name.bytes)
                        if try statement.step() { found.append(try Self.storedRecord(statement)) }
                    }
                    return found
                }
            }
        }
    }

    /// Applies the writes in one `BEGIN IMMEDIATE` transaction, fsync'd at commit.
    ///
    /// Each write is checked in order against the record's current version (0 when absent; a
    /// tombstone counts with its version), so a batch may write one name twice. A put stores
    /// the write's new version, which must be above the expected one (it may skip versions); a
    /// delete leaves a tombstone with that version and an empty blob.
    /// Every changed record takes a fresh sequence value; returns the last one (the current
    /// value when `writes` is empty). Throws `.noVault` or `.conflict`, with nothing applied;
    /// the conflict names the version stored before the batch, which is what remains.
    @discardableResult
    public func apply(vault: VaultID, writes: [RecordWrite]) throws -> Int64 {
        try guarded("saving records") {
            try connection.transaction { try applyWrites(vault, writes) }
        }
    }

    /// `apply`'s writes inside a transaction the caller holds.
    func applyWrites(_ vault: VaultID, _ writes: [RecordWrite]) throws -> Int64 {
        guard try readHeader(vault) != nil else { throw StoreError.noVault }
        var sequence = try connection.integer("SELECT value FROM change_sequence") ?? 0
        var storedBefore: [RecordName: UInt64] = [:]
        for write in writes {
            let current = try currentVersion(vault, write.name)
            let before = storedBefore[write.name] ?? current
            storedBefore[write.name] = before
            let version = write.newVersion
            guard current == write.expectedVersion, version > current, version <= UInt64(Int64.max) else {
                throw StoreError.conflict(name: write.name, current: before)
            }
            sequence = try nextSequence()
            try storeRecord(vault, write.name, version: Int64(version),
                            blob: write.blob, deleted: write.isDelete, sequence: sequence)
        }
        return sequence
    }

    public func changes(vault: VaultID, since: Int64) throws -> [StoredRecord] {
        try guarded("reading changes") {
            try connection.withStatement("""
                SELECT name, version, blob, deleted, seq FROM records
                WHERE vault = ? AND seq > ? ORDER BY seq
                """) {
                try $0.bind(1, vault.value)
                try $0.bind(2, since)
                var found: [StoredRecord] = []
                while try $0.step() {
                    try Self.checkCount(found.count + 1)
                    found.append(try Self.storedRecord($0))
                }
                return found
            }
        }
    }

    // MARK: Helpers

    private func readHeader(_ vault: VaultID) throws -> VaultHeaderBlob? {
        try connection.withStatement("""
            SELECT parameters, wrapped_key, verifier FROM vault_headers WHERE vault = ?
            """) {
            try $0.bind(1, vault.value)
            guard try $0.step() else { return nil }
            let limit = Limits.maximumHeaderFieldBytes, what = "a vault header in the store"
            return VaultHeaderBlob(parameters: try $0.blob(0, limit: limit, what), wrappedKey: try $0.blob(1, limit: limit, what),
                                   verifier: try $0.blob(2, limit: limit, what))
        }
    }

    private func currentVersion(_ vault: VaultID, _ name: RecordName) throws -> UInt64 {
        try connection.withStatement("SELECT version FROM records WHERE vault = ? AND name = ?") {
            try $0.bind(1, vault.value)
            try $0.bind(2, name.bytes)
            guard try $0.step() else { return 0 }
            guard let version = UInt64(exactly: $0.int64(0)) else {
                throw StoreError.damaged("The onions database holds a record with a negative version.")
            }
            return version
        }
    }

    func nextSequence() throws -> Int64 {
        try connection.withStatement("UPDATE change_sequence SET value = value + 1 RETURNING value") {
            guard try $0.step() else { throw StoreError.damaged("The onions database has lost its change sequence.") }
            return $0.int64(0)
        }
    }

    private func storeRecord(_ vault: VaultID, _ name: RecordName, version: Int64,
                             blob: [UInt8], deleted: Bool, sequence: Int64) throws {
        try connection.withStatement("""
            INSERT INTO records (vault, name, version, blob, deleted, seq, held_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (vault, name) DO UPDATE SET version = excluded.version,
                blob = excluded.blob, deleted = excluded.deleted, seq = excluded.seq, held_at = excluded.held_at
            """) {
            try $0.bind(1, vault.value)
            try $0.bind(2, name.bytes)
            try $0.bind(3, version)
            try $0.bind(4, blob)
            try $0.bind(5, deleted ? 1 : 0)
            try $0.bind(6, sequence)
            try $0.bind(7, Self.heldNow())
            try $0.run()
        }
    }

}
