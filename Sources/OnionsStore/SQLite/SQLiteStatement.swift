import CSQLite
import OnionsCore

/// One prepared SQLite statement, kept in a connection's cache and reused.
///
/// A statement is only used inside `SQLiteConnection.withStatement`, which resets it and clears
/// its bindings afterwards, so no bound blob outlives the call that bound it.
final class SQLiteStatement {
    /// The statement handle; finalized in `deinit`.
    let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// `SQLITE_TRANSIENT`, which does not import into Swift: SQLite copies the bound bytes.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ value: Int64) throws {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    func bind(_ index: Int32, _ value: String) throws {
        try check(sqlite3_bind_text(handle, index, value, -1, Self.transient))
    }

    /// Binds bytes as a BLOB; an empty array binds an empty BLOB, never NULL.
    func bind(_ index: Int32, _ value: [UInt8]) throws {
        if value.isEmpty {
            try check(sqlite3_bind_zeroblob(handle, index, 0))
            return
        }
        try value.withUnsafeBytes { raw in
            try check(sqlite3_bind_blob(handle, index, raw.baseAddress, Int32(raw.count), Self.transient))
        }
    }

    /// Advances to the next row: true when a row is ready to read, false when done.
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteFailure(code: code)
        }
    }

    /// Runs a statement that returns no rows (or whose rows do not matter).
    func run() throws {
        while try step() {}
    }

    /// True when the column is NULL.
    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// The column's bytes, copied; empty for an empty BLOB or NULL.
    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// The column's bytes, copied, after checking their length against `limit` (the file may
    /// hold anything): a longer value is `StoreError.damaged`, naming `what` and the limit.
    func blob(_ column: Int32, limit: Int, _ what: String) throws -> [UInt8] {
        try withBlob(column, limit: limit, what) { Array($0) }
    }

    /// `withBlob(_:_:)` after the same length check as `blob(_:limit:_:)`.
    func withBlob<R>(_ column: Int32, limit: Int, _ what: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count <= limit else {
            throw StoreError.damaged(Limits.exceeded(what, found: count, limit: limit, unit: "bytes"))
        }
        return try withBlob(column, body)
    }

    /// Calls `body` with the column's bytes where SQLite holds them (valid only during the call).
    func withBlob<R>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let count = Int(sqlite3_column_bytes(handle, column))
        return try body(UnsafeRawBufferPointer(start: count > 0 ? sqlite3_column_blob(handle, column) : nil, count: count))
    }

    /// Puts the statement back to its start and drops its bindings.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw SQLiteFailure(code: code) }
    }
}
