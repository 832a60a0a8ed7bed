import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

/// Versions through the server: every version of a record is a row of its own there, under a
/// server name (schema 6; schema 5 kept the rows a write replaced), a sync brings them to every
/// machine, and a purge or the retention removes them there too.
final class SyncServerHistoryTests: SyncTestCase {
    func testEditsMadeBetweenTwoSyncsOfAnotherMachineAllArriveThereAndAtAFreshSignIn() throws {
        let a = try machine("a"), b = try machine("b"), c = try machine("c")
        let onA = try a.signUp("alice", "pw")
        let id = try save(onA, "Doc", "v1")
        let onB = try b.logIn("alice", "pw")
        for text in ["v2", "v3", "v4"] { try save(onA, id: id, "Doc", text) }
        // Nothing is kept under plain names any more: the versions are the server's rows.
        let kept = try database.adminQuery("SELECT count(*) FROM onions.record_history")
        XCTAssertEqual(kept.integer(0, 0), 0)
        XCTAssertEqual(try serverVersions(onA, onionNames(onA, id)).count, 6)
        XCTAssertEqual(try serverVersions(onA, onionNames(onA, id)), try localVersions(a, onionNames(onA, id)))

        let report = try onB.syncNow()
        XCTAssertEqual(report.issues, [])
        XCTAssertEqual(try infos(onB, id), ["v1", "v2", "v3", "v4"])
        let versions = try onB.versions(of: .onion(id))
        XCTAssertEqual(versions.map(\.machine), Array(repeating: onA.thisMachine, count: 4), "A saved each")
        XCTAssertEqual(versions.map(\.time), try onA.versions(of: .onion(id)).map(\.time), "A's times")
        try onB.restore(versions[0], of: .onion(id))
        XCTAssertEqual(try info(onB, "Doc"), "v1")
        XCTAssertEqual(try infos(onB, id), ["v1", "v2", "v3", "v4", "v1"])

        onB.pushPending()
        let onC = try c.logIn("alice", "pw")
        XCTAssertEqual(try infos(onC, id), ["v1", "v2", "v3", "v4", "v1"], "a machine signing in later has them too")
        XCTAssertEqual(onA.issues + onB.issues + onC.issues, [])
    }

    func testAKeptRowAlteredOnTheServerIsReportedAndNotShown() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        let id = try save(onA, "Doc", "v1")
        let onB = try b.logIn("alice", "pw")
        for text in ["v2", "v3"] { try save(onA, id: id, "Doc", text) }
        // One byte of the ciphertext of the title's second version.
        let second = try serverRows(onA, [onA.keys.name(.onionTitle(id))])[1]
        let changed = try database.adminQuery("""
            UPDATE onions.records SET blob = set_byte(blob, 40, get_byte(blob, 40) # 1)
            WHERE name = $1 RETURNING 1
            """, [.bytes(second.serverName.bytes)])
        XCTAssertEqual(changed.count, 1)

        let issues = try onB.syncNow().issues
        XCTAssertEqual(try infos(onB, id), ["v1", "v3"])
        XCTAssertEqual(issues.map(\.kind), [.altered])
        XCTAssertTrue(issues.first?.label.contains("Doc") == true, "\(issues)")
    }

    func testPurgeRemovesTheRecordBytesFromSQLiteAndFromTheServer() throws {
        let a = try machine("a")
        let onA = try a.signUp("alice", "pw")
        let id = try save(onA, "Secret", "s1")
        try save(onA, id: id, "Secret", "s2")
        let names = onionNames(onA, id)
        try onA.deleteOnion(id)
        onA.pushPending()
        // Every blob the item ever had, as the server keeps them.
        let blobs = try serverRows(onA, names).filter { !$0.deleted }.map(\.blob)
        XCTAssertEqual(blobs.count, 4, "two versions of the title and of the info")

        let trash = try onA.trash()
        XCTAssertEqual(trash.count, 1)
        try onA.purge(trash)
        onA.forget(trash)
        onA.pushPending()

        XCTAssertEqual(try serverVersions(onA, names), [])
        for blob in blobs {
            for table in ["onions.records", "onions.record_history"] {
                let rows = try database.adminQuery("SELECT count(*) FROM \(table) WHERE position($1 IN blob) > 0",
                                                   [.bytes(Array(blob[2..<34]))])
                XCTAssertEqual(rows.integer(0, 0), 0, table)
            }
            for table in ["records", "record_history"] {
                let count = try a.store.connection.withStatement("SELECT count(*) FROM \(table) WHERE instr(blob, ?) > 0") {
                    try $0.bind(1, Array(blob[2..<34]))
                    _ = try $0.step()
                    return $0.int64(0)
                }
                XCTAssertEqual(count, 0, table)
            }
        }
    }

    func testAnItemPastItsRetentionIsPurgedOnTheServerAtTheNextSave() throws {
        let a = try machine("a")
        var onA = try a.signUp("alice", "pw")
        let gone = try save(onA, "Gone", "g1")
        try save(onA, id: gone, "Gone", "g2")
        try onA.deleteOnion(gone)
        onA.pushPending()
        let names = onionNames(onA, gone)
        let kept = try serverVersions(onA, names)
        XCTAssertEqual(kept.count, 4)
        XCTAssertEqual(kept, try localVersions(a, names))
        onA.lock()
        // As if this machine had held the delete for 31 days (the trash keeps 30).
        try a.store.connection.execute("UPDATE records SET held_at = held_at - 31 * 86400000 WHERE deleted = 1")
        onA = try a.logIn("alice", "pw")
        XCTAssertEqual(try serverVersions(onA, names), kept, "nothing goes before a save")
        try save(onA, "Any save", "x")
        XCTAssertEqual(try serverVersions(onA, names), [])
        XCTAssertTrue(try onA.trash().isEmpty)
        let local = try a.store.connection.withStatement("SELECT count(*) FROM record_history WHERE name IN (?, ?)") {
            try $0.bind(1, names[0].bytes)
            try $0.bind(2, names[1].bytes)
            _ = try $0.step()
            return $0.int64(0)
        }
        XCTAssertEqual(local, 0, "nor here (the sync that purged the server took none of them back)")
    }

    func testAVersionFourServerUpgradesAndKeepsVersionsFromThenOn() throws {
        let block = try XCTUnwrap(PostgresSchema.sql.range(of: "-- Version 5: earlier versions of records"))
        let end = try XCTUnwrap(PostgresSchema.sql.range(of: "-- End of version 6's server names."))
        let version4 = (PostgresSchema.sql[..<block.lowerBound] + PostgresSchema.sql[end.upperBound...])
            .replacingOccurrences(of: "AS $$ SELECT 6 $$;", with: "AS $$ SELECT 4 $$;")
        let old = try PostgresTestDatabase(schema: version4)
        defer { old.drop() }
        XCTAssertEqual(try old.adminQuery("SELECT onions.schema_version()").integer(0, 0), 4)
        XCTAssertThrowsError(try PostgresStore(url: old.clientURL()), "a version 4 server is refused") { error in
            XCTAssertTrue("\(error)".contains("version 4, older than this program's (6): its operator upgrades it with "
                + "`onions server init`"), "\(error)")
        }

        try PostgresStore.installSchema(adminURL: old.adminURL)
        XCTAssertEqual(try old.adminQuery("SELECT onions.schema_version()").integer(0, 0), 6)
        let store = try old.clientStore()
        let (vault, _) = try makeVault(store)
        let name = randomName()
        // Blobs of the small class (byte 1), whose replaced rows are kept.
        let first: [UInt8] = [1, 1] + randomBytes(40)
        try store.apply(vault: vault, writes: [.put(name: name, blob: first, expectedVersion: 0)])
        try store.apply(vault: vault, writes: [.put(name: name, blob: [1, 1] + randomBytes(40), expectedVersion: 1)])
        let pulled = try store.commits(vault: vault, since: 0, historySince: 0).history
        XCTAssertEqual(pulled.map(\.blob), [first])
        XCTAssertEqual(try store.purgeHistory(vault: vault, purges: [HistoryPurge(name: name, through: nil)]), 1)
        XCTAssertEqual(try store.commits(vault: vault, since: 0, historySince: 0).history.count, 0)
    }

    func testAnotherVaultsRoleNeitherReadsNorRemovesTheKeptRows() throws {
        let store = try database.clientStore()
        let (victim, _) = try makeVault(store)
        let name = randomName()
        try store.apply(vault: victim, writes: [.put(name: name, blob: [1, 1] + randomBytes(40), expectedVersion: 0)])
        try store.apply(vault: victim, writes: [.put(name: name, blob: [1, 2] + randomBytes(40), expectedVersion: 1)])
        let (_, ownKey) = try makeVault(try database.clientStore())
        let attacker = try database.connect(authKey: ownKey)
        XCTAssertEqual(try attacker.query("SELECT * FROM onions.pull_history(0, 100)").count, 0)
        _ = try attacker.query("SELECT onions.purge_history($1, $2)", [.byteaArray([name.bytes]), .int64Array([Int64.max])])
        _ = try attacker.query("SELECT onions.purge_history(NULL, NULL)")
        XCTAssertThrowsError(try attacker.query("SELECT count(*) FROM onions.record_history"))
        XCTAssertEqual(try plainServerVersions([name]), [1])
    }
}
