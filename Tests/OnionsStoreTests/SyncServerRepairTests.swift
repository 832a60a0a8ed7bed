// A server that cheats a machine which holds the vault already: each kind of tampering is
// reported by name on that machine, which puts its good copy back, so a new machine gets the
// good data. Needs ONIONS_TEST_PG_URL (see PostgresStoreTests.swift).

import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

final class SyncServerRepairTests: SyncTestCase {
    /// Machine a with alice's vault: Groceries and Plans, both on the server.
    private func aliceWithTwoOnions() throws -> (SyncMachine, Session) {
        let a = try machine("a")
        let alice = try a.signUp("alice", "pw")
        try save(alice, "Groceries", "milk")
        try save(alice, "Plans", "monday")
        XCTAssertNil(alice.lastSyncReport?.refused)
        return (a, alice)
    }

    /// The lines a machine shows for what the server did (what `onions sync` prints; any issue
    /// makes it exit 1).
    private func serverLines(_ report: SyncReport?) -> String {
        (report?.issues ?? []).map { "\($0)" }.joined(separator: "\n")
    }

    /// A new machine logs in: it must see the good texts and no complaint about the server.
    private func assertServerRepaired(file: StaticString = #filePath, line: UInt = #line) throws {
        let c = try machine("c\(PostgresTestDatabase.randomHex(3))")
        let onC = try c.logIn("alice", "pw")
        XCTAssertEqual(serverLines(onC.lastSyncReport), "", "the server holds good copies again", file: file, line: line)
        XCTAssertEqual(onC.issues, [], file: file, line: line)
        XCTAssertEqual(titles(onC), ["Groceries", "Plans"], file: file, line: line)
        XCTAssertEqual(try info(onC, "Groceries"), "milk", file: file, line: line)
        XCTAssertEqual(try info(onC, "Plans"), "monday", file: file, line: line)
    }

    /// The server's name of the newest row of the onion's title (FORMAT.md "Names on the server").
    private func name(_ session: Session, _ title: String) throws -> RecordName {
        try newestServerName(session, session.keys.name(.onionTitle(try id(session, title))))
    }

    func testAFlippedByteIsReportedAsAlteredAndRepaired() throws {
        let (_, alice) = try aliceWithTwoOnions()
        let groceries = try name(alice, "Groceries")
        _ = try database.adminQuery("""
            UPDATE onions.records SET blob = set_byte(blob, 40, get_byte(blob, 40) # 1),
                seq = nextval('onions.changes') WHERE name = $1
            """, [.bytes(groceries.bytes)])
        let report = try alice.syncNow()
        XCTAssertTrue(serverLines(report).contains("the server altered onion 'Groceries'"), serverLines(report))
        XCTAssertFalse(serverLines(report).contains("Plans"), serverLines(report))
        XCTAssertEqual(report.repaired, 1, "\(report.lines)")
        XCTAssertEqual(titles(alice), ["Groceries", "Plans"], "this machine keeps its copy")
        try assertServerRepaired()
    }

    func testTwoSwappedRecordsAreReportedAsSwappedAndRepaired() throws {
        let (_, alice) = try aliceWithTwoOnions()
        let g = try name(alice, "Groceries"), p = try name(alice, "Plans")
        _ = try database.adminQuery("""
            UPDATE onions.records r SET blob = o.blob, seq = nextval('onions.changes')
            FROM onions.records o WHERE (r.name = $1 AND o.name = $2) OR (r.name = $2 AND o.name = $1)
            """, [.bytes(g.bytes), .bytes(p.bytes)])
        let report = try alice.syncNow()
        XCTAssertTrue(serverLines(report).contains("the server swapped onion 'Groceries' with onion 'Plans'")
                      || serverLines(report).contains("the server swapped onion 'Plans' with onion 'Groceries'"),
                      serverLines(report))
        XCTAssertEqual(report.repaired, 2, "\(report.lines)")
        try assertServerRepaired()
    }

    func testADeletedRowIsReportedAsDroppedAtTheNextLogInAndRepaired() throws {
        let (a, alice) = try aliceWithTwoOnions()
        let plans = try name(alice, "Plans")
        alice.lock()
        // Gone without a trace: no tombstone, no change announced.
        _ = try database.adminQuery("DELETE FROM onions.records WHERE name = $1", [.bytes(plans.bytes)])
        let again = try a.logIn("alice", "pw")
        let lines = serverLines(again.lastSyncReport)
        XCTAssertTrue(lines.contains("the server dropped onion 'Plans'"), "\(again.lastSyncReport?.lines ?? []) \(again.issues)")
        XCTAssertFalse(lines.contains("Groceries"), lines)
        XCTAssertEqual(titles(again), ["Groceries", "Plans"])
        try assertServerRepaired()
    }

    func testARowRolledBackToAnOlderVersionIsReportedAndRepaired() throws {
        let a = try machine("a")
        let alice = try a.signUp("alice", "pw")
        let groceries = try save(alice, "Groceries", "bread")
        try save(alice, "Plans", "monday")
        let titleRow = alice.keys.name(.onionTitle(groceries)), infoRow = alice.keys.name(.onionInfo(groceries))
        try save(alice, id: groceries, "Groceries", "milk")
        let newer = [try newestServerName(alice, titleRow), try newestServerName(alice, infoRow)]
        XCTAssertEqual(try serverRows(alice, [titleRow, infoRow]).count, 4, "both versions of both records")
        alice.lock()
        // The newer rows go: the older ones are the records' newest again, and nothing is
        // announced.
        _ = try database.adminQuery("DELETE FROM onions.records WHERE name = ANY ($1)", [.byteaArray(newer.map(\.bytes))])
        let again = try a.logIn("alice", "pw")
        let lines = serverLines(again.lastSyncReport)
        XCTAssertTrue(lines.contains("the server returned an older version of onion 'Groceries'"), lines)
        XCTAssertFalse(lines.contains("Plans"), lines)
        XCTAssertEqual(try info(again, "Groceries"), "milk")
        try assertServerRepaired()
    }

    func testAReplayedDumpOfTheWholeVaultIsReportedAndRepaired() throws {
        let a = try machine("a")
        let alice = try a.signUp("alice", "pw")
        let groceries = try save(alice, "Groceries", "bread")
        _ = try database.adminQuery("CREATE TABLE public.dump AS SELECT * FROM onions.records")
        try save(alice, id: groceries, "Groceries", "milk")
        try save(alice, "Plans", "monday")
        alice.lock()
        _ = try database.adminQuery("DELETE FROM onions.records")
        _ = try database.adminQuery("INSERT INTO onions.records SELECT * FROM public.dump")
        let again = try a.logIn("alice", "pw")
        let lines = serverLines(again.lastSyncReport)
        // The head went back with the records: the chain's one sentence says it all.
        XCTAssertTrue(lines.contains("the server no longer has 2 save(s) it had accepted"), lines)
        XCTAssertFalse(lines.contains("replayed"), lines)
        XCTAssertEqual(titles(again), ["Groceries", "Plans"])
        XCTAssertEqual(try info(again, "Groceries"), "milk")
        try assertServerRepaired()
    }

    func testADroppedRecordNoLongerStallsLaterSaves() throws {
        let (_, alice) = try aliceWithTwoOnions()
        let plans = try name(alice, "Plans")
        // The server marks Plans deleted and announces it.
        _ = try database.adminQuery("""
            UPDATE onions.records SET deleted = true, blob = '\\x'::bytea, version = version + 1,
                seq = nextval('onions.changes') WHERE name = $1
            """, [.bytes(plans.bytes)])
        let seen = try alice.syncNow()
        XCTAssertTrue(serverLines(seen).contains("the server dropped onion 'Plans'"), serverLines(seen))
        // Today's stall: every later push of Plans met the tombstone and gave up.
        try save(alice, id: try id(alice, "Plans"), "Plans", "tuesday")
        let report = try alice.syncNow()
        XCTAssertNil(report.refused, "\(report.lines)")
        let b = try machine("b")
        let onB = try b.logIn("alice", "pw")
        XCTAssertEqual(try info(onB, "Plans"), "tuesday", "the save reached the server")
        try save(alice, id: try id(alice, "Groceries"), "Groceries", "eggs")
        XCTAssertNil(alice.lastSyncReport?.refused)
        XCTAssertEqual(try info(try b.logIn("alice", "pw"), "Groceries"), "eggs", "and so does the next one")
    }

    func testAMachineThatSyncedWhileARecordWasDamagedTakesTheGoodOneLater() throws {
        let (_, alice) = try aliceWithTwoOnions()
        let groceries = try name(alice, "Groceries")
        alice.lock()
        _ = try database.adminQuery("CREATE TABLE public.good AS SELECT * FROM onions.records WHERE name = $1",
                                    [.bytes(groceries.bytes)])
        _ = try database.adminQuery("""
            UPDATE onions.records SET blob = set_byte(blob, 40, get_byte(blob, 40) # 1),
                seq = nextval('onions.changes') WHERE name = $1
            """, [.bytes(groceries.bytes)])
        let b = try machine("b")
        let onB = try b.logIn("alice", "pw")
        XCTAssertTrue(serverLines(onB.lastSyncReport).contains("Groceries"), serverLines(onB.lastSyncReport))
        XCTAssertEqual(titles(onB), ["Plans"])
        onB.lock()
        // The operator restores the good row from a backup, as it was.
        _ = try database.adminQuery("""
            UPDATE onions.records r SET blob = g.blob, seq = g.seq FROM public.good g
            WHERE r.vault = g.vault AND r.name = g.name
            """)
        let again = try b.logIn("alice", "pw")
        XCTAssertEqual(titles(again), ["Groceries", "Plans"], "\(again.issues) \(serverLines(again.lastSyncReport))")
        XCTAssertEqual(try info(again, "Groceries"), "milk")
        XCTAssertEqual(again.issues, [])
    }
}
