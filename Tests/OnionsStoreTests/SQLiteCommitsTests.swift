import CSQLite
import OnionsCore
import OnionsStore
import XCTest

/// The commits table of this machine's store: inserted with the records in one transaction,
/// a commit sent twice kept once, never updated, removed only with the vault.
final class SQLiteCommitsTests: SQLiteStoreTestCase {
    private func blob(_ byte: UInt8) -> [UInt8] { [2, 4] + [UInt8](repeating: byte, count: 2_076) }

    func testCommitsGoInWithTheRecordsAndAConflictKeepsNeither() throws {
        let store = try storeWithVaults()
        try store.apply(vault: vault, writes: [.put(name: name("head"), blob: blob(1), expectedVersion: 0)],
                        commits: [blob(1)])
        XCTAssertThrowsError(try store.apply(vault: vault, writes: [.put(name: name("head"), blob: blob(2),
                                                                          expectedVersion: 0)],
                                             commits: [blob(2)]))
        XCTAssertEqual(try store.commits(vault: vault, since: 0).map(\.blob), [blob(1)], "the refused batch left no commit")
        try store.apply(vault: vault, writes: [], commits: [blob(1), blob(3)])
        let all = try store.commits(vault: vault, since: 0)
        XCTAssertEqual(all.map(\.blob), [blob(1), blob(3)], "a commit held already is kept once")
        XCTAssertEqual(try store.commits(vault: vault, since: all[0].sequence).map(\.blob), [blob(3)])
        try store.deleteVault(vault)
        XCTAssertEqual(try store.commits(vault: vault, since: 0), [])
    }

    func testACommitIsNeverUpdated() throws {
        let store = try storeWithVaults()
        try store.apply(vault: vault, writes: [], commits: [blob(1)])
        var db: OpaquePointer?
        XCTAssertEqual(sqlite3_open(path, &db), SQLITE_OK)
        defer { sqlite3_close(db) }
        XCTAssertNotEqual(sqlite3_exec(db, "UPDATE commits SET blob = x'00'", nil, nil, nil), SQLITE_OK)
        XCTAssertEqual(try store.commits(vault: vault, since: 0).map(\.blob), [blob(1)])
    }
}
