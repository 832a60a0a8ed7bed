import CSQLite
import OnionsCore
import OnionsCrypto

extension Scenario {
    /// `floor-N`: what the hardware needs to make N titles readable, the figure log in is
    /// compared with. One SQLite statement reads the live small-class records (the N title
    /// blobs, plus the vault's few other small records) of the login-N vault, and each is opened
    /// with AES-GCM into one reused secret buffer; nothing is parsed, kept or checked against the
    /// manifest. The connection is opened and closed inside the timed part, as log in does.
    static func floor(onions: Int, runs: Int, quickRuns: Int) -> Scenario {
        Scenario(name: "floor-\(onions)", runs: runs, quickRuns: quickRuns) { fixtures in
            let vault = try fixtures.vault(onions: onions, infoLength: 300)
            let session = try vault.logIn()
            let scratch = SecretBytes(count: 0, capacity: Session.sealedScratchCapacity)
            return Trial(run: {
                try timeFloor(onions: onions, session: session, path: vault.storePath, scratch: scratch)
            }, finish: {
                scratch.wipe()
                session.lock()
            })
        }
    }

    /// One timed floor run of a vault of `onions` onions at `path`, opened with `session`'s
    /// keys into `scratch` (also `login-N`'s paired floor).
    static func timeFloor(onions: Int, session: Session, path: String, scratch: SecretBytes) throws -> Double {
        var opened = 0
        let ms = try Clock.time { opened = try openSmallRecords(of: session, path: path, into: scratch) }
        guard opened >= onions, opened <= onions + 16 else {
            throw BenchFailure("floor-\(onions): opened \(opened) small records, expected about \(onions)")
        }
        return ms
    }

    /// Reads every live record of the small size class with one statement and opens each;
    /// returns how many opened (a record that does not open fails the run).
    private static func openSmallRecords(of session: Session, path: String, into scratch: SecretBytes) throws -> Int {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let db else {
            sqlite3_close_v2(db)
            throw BenchFailure("floor: cannot open \(path)")
        }
        defer { sqlite3_close_v2(db) }
        var statement: OpaquePointer?
        let sql = "SELECT name, version, blob FROM records WHERE vault = ? AND deleted = 0 AND length(blob) = ?"
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw BenchFailure("floor: cannot prepare the statement")
        }
        defer { sqlite3_finalize(statement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        sqlite3_bind_text(statement, 1, session.vault.value, -1, transient)
        sqlite3_bind_int64(statement, 2, Int64(smallSealedLength))
        var opened = 0
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { throw BenchFailure("floor: reading failed (\(code))") }
            let nameBytes = UnsafeRawBufferPointer(start: sqlite3_column_blob(statement, 0),
                                                   count: Int(sqlite3_column_bytes(statement, 0)))
            let blob = UnsafeRawBufferPointer(start: sqlite3_column_blob(statement, 2),
                                              count: Int(sqlite3_column_bytes(statement, 2)))
            let version = UInt64(sqlite3_column_int64(statement, 1))
            _ = try session.openSealed(name: RecordName(Array(nameBytes)), version: version, blob: blob, into: scratch)
            opened += 1
        }
        return opened
    }

    /// The sealed length of a title record: format and class bytes, nonce, 1,280 padded bytes, tag.
    private static let smallSealedLength = 2 + 12 + 1_280 + 16
}
