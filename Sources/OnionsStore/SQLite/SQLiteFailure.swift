import CSQLite
import OnionsCore

/// A failed SQLite call: its (extended) result code, and nothing of the data involved.
struct SQLiteFailure: Error, CustomStringConvertible {
    let code: Int32

    var description: String { storeError(doing: "using the database").description }

    /// True when another connection's lock caused it (after the busy timeout).
    var isBusy: Bool {
        code & 0xff == SQLITE_BUSY || code & 0xff == SQLITE_LOCKED
    }

    /// The failure as the store reports it, `doing` naming what was attempted ("saving records").
    ///
    /// The text is SQLite's generic description of the code, never `sqlite3_errmsg`, so no
    /// value from a statement can reach a message.
    func storeError(doing: String) -> StoreError {
        let reason = String(cString: sqlite3_errstr(code))
        if isBusy {
            return .unavailable("The onions database is in use by another program (\(doing)).")
        }
        switch code & 0xff {
        case SQLITE_READONLY:
            return .unavailable("The onions database is read-only (\(doing)); a command that changes it needs "
                + "write access to the file and its folder.")
        case SQLITE_FULL:
            return .unavailable("The disk is full (\(doing)).")
        case SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_IOERR, SQLITE_AUTH, SQLITE_NOMEM:
            return .unavailable("Cannot use the onions database file (\(doing)): \(reason).")
        case SQLITE_NOTADB:
            return .damaged("The onions database file is not a database (\(doing)).")
        case SQLITE_CORRUPT:
            return .damaged("The onions database file is damaged (\(doing)).")
        default:
            return .damaged("The onions database refused an operation (\(doing)): \(reason).")
        }
    }
}
