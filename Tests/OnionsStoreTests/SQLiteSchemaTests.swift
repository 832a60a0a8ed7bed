import CSQLite
import Foundation
import OnionsCore
import OnionsStore
import XCTest

final class SQLiteSchemaTests: SQLiteStoreTestCase {
    /// Runs `sql` on the file with plain SQLite, outside the store; returns the first integer.
    @discardableResult
    private func rawSQL(_ sql: String) throws -> Int64? {
        var db: OpaquePointer?
        XCTAssertEqual(sqlite3_open(path, &db), SQLITE_OK)
        defer { sqlite3_close(db) }
        var statement: OpaquePointer?
        XCTAssertEqual(sqlite3_prepare_v2(db, sql, -1, &statement, nil), SQLITE_OK)
        defer { sqlite3_finalize(statement) }
        let code = sqlite3_step(statement)
        XCTAssert(code == SQLITE_ROW || code == SQLITE_DONE, "sqlite3_step: \(code)")
        return code == SQLITE_ROW ? sqlite3_column_int64(statement, 0) : nil
    }

    func testAnEmptyFileIsMigratedToTheCurrentSchema() throws {
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data()))
        let store = try openStore()
        try store.createVault(vault, header: header(for: vault))
        XCTAssertEqual(try rawSQL("PRAGMA user_version"), 4)
        XCTAssertEqual(try rawSQL("SELECT count(*) FROM records"), 0)
        XCTAssertEqual(try rawSQL("SELECT count(*) FROM commits"), 0)
        XCTAssertEqual(try rawSQL("SELECT count(*) FROM record_history"), 0)
    }

    func testAVersionOneFileGainsTheVersionIndexAndKeepsItsRecords() throws {
        do {
            let store = try openStore()
            try store.createVault(vault, header: header(for: vault))
            try store.apply(vault: vault, writes: [.put(name: RecordName([1, 2, 3]), blob: [9, 9], expectedVersion: 0)])
        }
        // What migrations 2 to 4 added, taken away again: a file as version 1 wrote it.
        _ = try rawSQL("DROP TRIGGER records_keep_history")
        _ = try rawSQL("DROP TABLE record_history")
        _ = try rawSQL("DROP TABLE history_excluded")
        _ = try rawSQL("ALTER TABLE records DROP COLUMN held_at")
        _ = try rawSQL("DROP INDEX records_versions")
        _ = try rawSQL("DROP TABLE commits")
        _ = try rawSQL("PRAGMA user_version = 1")
        let store = try openStore()
        XCTAssertEqual(try rawSQL("PRAGMA user_version"), 4)
        XCTAssertEqual(try rawSQL("SELECT count(*) FROM sqlite_schema WHERE name = 'record_history'"), 1)
        XCTAssertEqual(try rawSQL("SELECT held_at FROM records"), 0, "rows from before keep no time (0)")
        XCTAssertEqual(try rawSQL("SELECT count(*) FROM sqlite_schema WHERE name = 'commits'"), 1)
        XCTAssertEqual(try rawSQL("SELECT count(*) FROM sqlite_schema WHERE name = 'records_versions'"), 1)
        XCTAssertEqual(try store.recordVersions(vault: vault),
                       [RecordVersion(name: RecordName([1, 2, 3]), version: 1, deleted: false)])
    }

    func testTheDatabaseIsInWriteAheadLogMode() throws {
        _ = try openStore()
        var db: OpaquePointer?
        XCTAssertEqual(sqlite3_open(path, &db), SQLITE_OK)
        defer { sqlite3_close(db) }
        var statement: OpaquePointer?
        XCTAssertEqual(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &statement, nil), SQLITE_OK)
        defer { sqlite3_finalize(statement) }
        XCTAssertEqual(sqlite3_step(statement), SQLITE_ROW)
        XCTAssertEqual(String(cString: sqlite3_column_text(statement, 0)), "wal")
    }

    func testAFutureSchemaVersionIsRefusedAsDamaged() throws {
        var store: SQLiteStore? = try openStore()
        try store!.createVault(vault, header: header(for: vault))
        store = nil
        try rawSQL("PRAGMA user_version = 99")
        assertDamaged { try openStore() }
        XCTAssertEqual(try rawSQL("PRAGMA user_version"), 99, "a refused file must be left as it was")
    }

    func testAFileThatIsNotADatabaseIsRefusedAsDamaged() throws {
        let text = String(repeating: "these are notes, not a database\n", count: 200)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        assertDamaged { try openStore() }
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data(text.utf8))
    }

    func testAnotherProgramsDatabaseIsRefusedAsDamaged() throws {
        try rawSQL("CREATE TABLE bookmarks (url TEXT)")
        assertDamaged { try openStore() }
    }

    func testEverythingSurvivesClosingAndReopening() throws {
        var store: SQLiteStore? = try storeWithVaults()
        let last = try store!.apply(vault: vault, writes: [
            .put(name: name("a"), blob: [1, 2, 3], expectedVersion: 0),
            .put(name: name("b"), blob: [4], expectedVersion: 0),
        ])
        try store!.apply(vault: vault, writes: [.delete(name: name("b"), expectedVersion: 1)])
        try store!.setLocalState(vault: vault, key: "sync", value: [7])
        store = nil

        let reopened = try openStore()
        XCTAssertEqual(try reopened.header(vault: vault), header(for: vault))
        XCTAssertEqual(try reopened.record(vault: vault, name: name("a"))?.blob, [1, 2, 3])
        XCTAssertNil(try reopened.record(vault: vault, name: name("b")))
        XCTAssertEqual(try reopened.changes(vault: vault, since: last).map(\.deleted), [true])
        XCTAssertEqual(try reopened.localState(vault: vault, key: "sync"), [7])
        let next = try reopened.apply(vault: vault, writes: [.put(name: name("c"), blob: [], expectedVersion: 0)])
        XCTAssertEqual(next, last + 2)
    }

    func testTheFileIsPrivateAndItsNewFoldersToo() throws {
        let nested = directory.appendingPathComponent("data/onions/onions.db").path
        _ = try SQLiteStore(path: nested)
        let attributes = try FileManager.default.attributesOfItem(atPath: nested)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        for folder in ["data", "data/onions"] {
            let folderAttributes = try FileManager.default.attributesOfItem(
                atPath: directory.appendingPathComponent(folder).path)
            XCTAssertEqual((folderAttributes[.posixPermissions] as? NSNumber)?.intValue, 0o700, folder)
        }
    }

    func testTheWriteAheadLogIsPrivateToo() throws {
        let store = try storeWithVaults()
        try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [1], expectedVersion: 0)])
        let attributes = try FileManager.default.attributesOfItem(atPath: path + "-wal")
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
    }

    func testAnExistingFileIsNarrowedToOwnerOnly() throws {
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(),
                                                     attributes: [.posixPermissions: 0o644]))
        _ = try openStore()
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
    }

    func testAFolderThatCannotBeCreatedMakesTheStoreUnavailable() throws {
        let blocker = directory.appendingPathComponent("file")
        XCTAssertTrue(FileManager.default.createFile(atPath: blocker.path, contents: Data([1])))
        XCTAssertThrowsError(try SQLiteStore(path: blocker.path + "/onions.db")) { error in
            guard case .unavailable? = error as? StoreError else { return XCTFail("got \(error)") }
        }
    }

    func testTheDefaultPathFollowsXDGDataHome() {
        XCTAssertEqual(SQLiteStore.defaultPath(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/u"]),
                       "/data/onions/onions.db")
    }

    func testTheDefaultPathFallsBackToLocalShareInHome() {
        XCTAssertEqual(SQLiteStore.defaultPath(environment: ["HOME": "/home/u"]),
                       "/home/u/.local/share/onions/onions.db")
        XCTAssertEqual(SQLiteStore.defaultPath(environment: ["XDG_DATA_HOME": "", "HOME": "/home/u"]),
                       "/home/u/.local/share/onions/onions.db")
        XCTAssertEqual(SQLiteStore.defaultPath(environment: ["XDG_DATA_HOME": "relative", "HOME": "/home/u"]),
                       "/home/u/.local/share/onions/onions.db")
    }
}
