import Glibc
import OnionsCore

/// What the SQLite store keeps for this machine only (the sync engine's local values), what it
/// tells about other writers of the same file, wiping a deleted vault's pages, and the checks
/// every read row passes.
extension SQLiteStore {
    // MARK: Local state

    /// A value the sync engine keeps for a vault on this machine only, or nil when unset.
    public func localState(vault: VaultID, key: String) throws -> [UInt8]? {
        try guarded("reading local state") {
            try connection.withStatement("SELECT value FROM local_state WHERE vault = ? AND key = ?") {
                try $0.bind(1, vault.value)
                try $0.bind(2, key)
                return try $0.step() ? try $0.blob(0, limit: Limits.maximumBlobBytes, "a local state value in the store") : nil
            }
        }
    }

    /// Sets (or with nil, removes) a local value of a vault. Needs no vault header;
    /// `deleteVault` removes it with the vault.
    public func setLocalState(vault: VaultID, key: String, value: [UInt8]?) throws {
        try guarded("saving local state") {
            let sql = value == nil
                ? "DELETE FROM local_state WHERE vault = ? AND key = ?"
                : "INSERT INTO local_state (vault, key, value) VALUES (?, ?, ?) "
                    + "ON CONFLICT (vault, key) DO UPDATE SET value = excluded.value"
            try connection.withStatement(sql) {
                try $0.bind(1, vault.value)
                try $0.bind(2, key)
                if let value { try $0.bind(3, value) }
                try $0.run()
            }
        }
    }

    /// A record row, its name and blob checked against `Limits` before they are copied.
    static func storedRecord(_ row: SQLiteStatement) throws -> StoredRecord {
        StoredRecord(name: RecordName(try name(row)), version: UInt64(max(0, row.int64(1))),
                     blob: try row.blob(2, limit: Limits.maximumBlobBytes, "a record in the store"),
                     deleted: row.int64(3) != 0, sequence: row.int64(4))
    }

    static func name(_ row: SQLiteStatement) throws -> [UInt8] {
        try row.blob(0, limit: Limits.maximumHeaderFieldBytes, "a record name in the store")
    }

    /// The row's name (column 0) read in place, checked as `name(_:)` checks it.
    static func recordName(_ row: SQLiteStatement) throws -> RecordName {
        try row.withBlob(0, limit: Limits.maximumHeaderFieldBytes, "a record name in the store") { RecordName(raw: $0) }
    }

    /// Refuses a vault with more rows than `Limits.maximumRecordsPerVault`.
    static func checkCount(_ count: Int) throws {
        guard count <= Limits.maximumRecordsPerVault else {
            throw StoreError.damaged("the vault holds more than the limit of \(Limits.maximumRecordsPerVault) records")
        }
    }

    /// Moves every page out of the WAL, truncates it, and rewrites the file without free pages.
    func scrub() throws {
        let refusal = StoreError.unavailable(
            "The vault is deleted, but another program has the onions database open, so its old "
                + "pages are not wiped yet. Close the other program and delete again.")
        do {
            guard try checkpointCompleted() else { throw refusal }
            try connection.execute("VACUUM")
            guard try checkpointCompleted() else { throw refusal }
        } catch let failure as SQLiteFailure {
            throw failure.isBusy ? refusal : failure.storeError(doing: "wiping a deleted vault")
        }
    }

    /// Checkpoints and truncates the WAL; false when a reader elsewhere kept it from finishing.
    func checkpointCompleted() throws -> Bool {
        try connection.withStatement("PRAGMA wal_checkpoint(TRUNCATE)") {
            try $0.step() && $0.int64(0) == 0
        }
    }

    func guarded<R>(_ doing: String, _ body: () throws -> R) throws -> R {
        try Self.guarded(doing, body)
    }

    /// Runs `body`, turning SQLite failures into `StoreError`s that say what was being done.
    static func guarded<R>(_ doing: String, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let failure as SQLiteFailure {
            throw failure.storeError(doing: doing)
        }
    }
}

extension SQLiteStore: SharedStore {
    /// Compares SQLite's `data_version`, which changes only when another connection commits.
    public func othersCommitted() throws -> Bool {
        let now = try guarded("checking for other writers") { try connection.integer("PRAGMA data_version") }
        defer { seenDataVersion = now }
        return now != seenDataVersion
    }

    public func readingOneSnapshot<R>(_ body: () throws -> R) throws -> R {
        try guarded("reading the store") { try connection.readTransaction(body) }
    }

    public func mark() throws {
        let version = try guarded("checking for other writers") { try connection.integer("PRAGMA data_version") }
        seenDataVersion = version
        markedState = StoreMark(dataVersion: version, files: Self.fileStates(path))
    }

    public func changedSinceMark() throws -> Bool {
        guard let marked = markedState else { return true }
        let version = try guarded("checking for other writers") { try connection.integer("PRAGMA data_version") }
        let files = Self.fileStates(path)
        if files != marked.files {
            // Bytes may have changed under pages this connection holds: read them again.
            try? connection.execute("PRAGMA shrink_memory")
        }
        return version != marked.dataVersion || files != marked.files
    }

    /// Device, inode, size, modification and change times of the file and its WAL (zeros when absent).
    static func fileStates(_ path: String) -> [Int64] {
        [path, path + "-wal"].flatMap { file -> [Int64] in
            var info = stat()
            guard stat(file, &info) == 0 else { return [0, 0, 0, 0, 0, 0, 0] }
            return [Int64(bitPattern: UInt64(info.st_dev)), Int64(bitPattern: UInt64(info.st_ino)), Int64(info.st_size),
                    Int64(info.st_mtim.tv_sec), Int64(info.st_mtim.tv_nsec),
                    Int64(info.st_ctim.tv_sec), Int64(info.st_ctim.tv_nsec)]
        }
    }
}

/// The store as `SharedStore.mark()` found it.
struct StoreMark: Equatable {
    var dataVersion: Int64?
    var files: [Int64]
}
