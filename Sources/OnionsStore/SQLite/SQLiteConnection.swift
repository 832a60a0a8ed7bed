import CSQLite

/// An open SQLite database handle with its cache of prepared statements.
///
/// Used from one thread at a time (opened with `SQLITE_OPEN_NOMUTEX`). Errors are thrown as
/// `SQLiteFailure`; the store turns them into `StoreError`.
final class SQLiteConnection {
    private let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]

    /// How a connection may use its file.
    enum Mode {
        /// Reads and writes, creating the file if needed.
        case readWrite
        /// Reads only; SQLite may still create the `-shm` file beside a write-ahead-log database.
        case readOnly
        /// Reads only, and nothing can change the file meanwhile (a read-only mount): SQLite
        /// neither locks nor creates any file beside it.
        case immutable
    }

    /// Opens the database at `path`. The file is not read until the first statement, so a file
    /// that is not a database fails there, not here.
    init(path: String, mode: Mode = .readWrite) throws {
        var opened: OpaquePointer?
        let code: Int32
        switch mode {
        case .readWrite:
            code = sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        case .readOnly:
            code = sqlite3_open_v2(path, &opened, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        case .immutable:
            code = sqlite3_open_v2(Self.immutableURI(path), &opened,
                                   SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nil)
        }
        guard code == SQLITE_OK, let opened else {
            sqlite3_close_v2(opened)
            throw SQLiteFailure(code: code == SQLITE_OK ? SQLITE_CANTOPEN : code)
        }
        sqlite3_extended_result_codes(opened, 1)
        handle = opened
    }

    /// `file:` URI of `path` with `immutable=1`; every byte outside the unreserved set is escaped.
    private static func immutableURI(_ path: String) -> String {
        var uri = "file:"
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"):
                uri.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                uri += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return uri + "?immutable=1"
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Waits up to `milliseconds` for another connection's lock before failing with BUSY.
    func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// Runs one or more statements that return nothing of interest. Never for bound values.
    func execute(_ sql: String) throws {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw SQLiteFailure(code: code) }
    }

    /// Runs `body` with the cached prepared statement for `sql`, then resets it.
    func withStatement<R>(_ sql: String, _ body: (SQLiteStatement) throws -> R) throws -> R {
        let statement = try prepared(sql)
        defer { statement.reset() }
        return try body(statement)
    }

    /// The first column of the first row of `sql` as text (for pragmas), or nil without a row.
    func text(_ sql: String) throws -> String? {
        try withStatement(sql) { try $0.step() ? $0.text(0) : nil }
    }

    /// The first column of the first row of `sql` as an integer, or nil without a row.
    func integer(_ sql: String) throws -> Int64? {
        try withStatement(sql) { try $0.step() ? $0.int64(0) : nil }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int64 {
        sqlite3_changes64(handle)
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: committed when it returns, rolled back
    /// when it (or the commit) throws.
    func transaction<R>(_ body: () throws -> R) throws -> R {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if sqlite3_get_autocommit(handle) == 0 {
                _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
            }
            throw error
        }
    }

    /// Runs `body` in one deferred (read) transaction, so many reads see one snapshot; inside
    /// a transaction already open, `body` simply joins it.
    func readTransaction<R>(_ body: () throws -> R) throws -> R {
        if sqlite3_get_autocommit(handle) == 0 { return try body() }
        try execute("BEGIN DEFERRED")
        defer {
            if sqlite3_get_autocommit(handle) == 0 { _ = sqlite3_exec(handle, "COMMIT", nil, nil, nil) }
        }
        return try body()
    }

    private func prepared(_ sql: String) throws -> SQLiteStatement {
        if let cached = statements[sql] { return cached }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw SQLiteFailure(code: code == SQLITE_OK ? SQLITE_MISUSE : code)
        }
        let wrapped = SQLiteStatement(handle: statement)
        statements[sql] = wrapped
        return wrapped
    }
}
