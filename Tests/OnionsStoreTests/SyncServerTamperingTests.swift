// A server that rolls back, drops or swaps records, and one that reads along: what it gets and
// what the client notices. Needs ONIONS_TEST_PG_URL and ONIONS_TEST_PG_LOG.

import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

final class SyncServerTamperingTests: SyncTestCase {
    /// Sets up alice with two onions on the server; returns the session and the record rows.
    private func aliceWithTwoOnions() throws -> (SyncMachine, Session) {
        let a = try machine("a")
        let alice = try a.signUp("alice", "pw")
        try save(alice, "Groceries", "milk")
        try save(alice, "Plans", "monday")
        return (a, alice)
    }


    func testAnOlderVersionFromTheServerIsReportedByName() throws {
        let (_, alice) = try aliceWithTwoOnions()
        // Keep every row as it is now, then edit Groceries.
        _ = try database.adminQuery("CREATE TABLE public.saved AS SELECT * FROM onions.records")
        try save(alice, id: id(alice, "Groceries"), "Groceries", "milk\neggs")
        // The server puts the older Groceries rows back (not the manifest).
        _ = try database.adminQuery("""
            UPDATE onions.records r SET version = s.version, blob = s.blob, seq = nextval('onions.changes')
            FROM public.saved s WHERE r.vault = s.vault AND r.name = s.name AND r.version <> s.version
              AND length(r.blob) < 16000
            """)
        let b = try machine("b")
        let onB = try b.logIn("alice", "pw")
        XCTAssertTrue(onB.issues.contains(IntegrityIssue(kind: .serverOlder, label: "onion 'Groceries'")), "\(onB.issues)")
        XCTAssertFalse(onB.issues.contains { $0.label.contains("Plans") })
    }

    func testADroppedRecordIsReportedByNameAndNotTakenAsADelete() throws {
        let (_, alice) = try aliceWithTwoOnions()
        let b = try machine("b")
        let onB = try b.logIn("alice", "pw")
        let name = try titleRecordName(alice, "Plans")
        _ = try database.adminQuery("""
            UPDATE onions.records SET deleted = true, blob = '\\x'::bytea, version = version + 1,
                seq = nextval('onions.changes') WHERE name = $1
            """, [.bytes(name.bytes)])
        let report = try onB.syncNow()
        XCTAssertTrue(report.issues.contains(IntegrityIssue(kind: .dropped, label: "onion 'Plans'")), "\(report.lines)")
        XCTAssertEqual(titles(onB), ["Groceries", "Plans"], "this machine keeps its copy")
    }

    func testTwoSwappedRecordsAreReportedByName() throws {
        let (_, alice) = try aliceWithTwoOnions()
        let g = try titleRecordName(alice, "Groceries"), p = try titleRecordName(alice, "Plans")
        _ = try database.adminQuery("""
            UPDATE onions.records r SET blob = o.blob, seq = nextval('onions.changes')
            FROM onions.records o WHERE (r.name = $1 AND o.name = $2) OR (r.name = $2 AND o.name = $1)
            """, [.bytes(g.bytes), .bytes(p.bytes)])
        let b = try machine("b")
        let onB = try b.logIn("alice", "pw")
        XCTAssertTrue(onB.issues.contains(IntegrityIssue(kind: .swapped(with: "onion 'Plans'"), label: "onion 'Groceries'")),
                      "\(onB.issues)")
        XCTAssertTrue(onB.issues.contains(IntegrityIssue(kind: .swapped(with: "onion 'Groceries'"), label: "onion 'Plans'")),
                      "\(onB.issues)")
        XCTAssertEqual(titles(onB), [], "nothing that does not open is shown")
    }

    func testTheServerLogAndADumpHoldNoUsernamePasswordOrText() throws {
        guard let log = ProcessInfo.processInfo.environment["ONIONS_TEST_PG_LOG"], !log.isEmpty else {
            return XCTFail("ONIONS_TEST_PG_LOG is not set: run the tests through `make test`")
        }
        let tag = PostgresTestDatabase.randomHex(6)
        let username = "user\(tag)", password = "pass\(tag)", title = "title\(tag)", info = "info\(tag)"
        let recipient = "to\(tag)", description = "desc\(tag)", task = "task\(tag)", cardPassword = "cardpw\(tag)"
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp(username, password)
        try save(onA, title, info)
        try onA.saveCard(id: nil, recipient: secret(recipient), description: secret(description),
                         cardPassword: secret(cardPassword), kdf: ScryptParameters(logN: 10, r: 8, p: 1))
        try onA.addTask(secret(task))
        let onB = try b.logIn(username, password)
        XCTAssertEqual(titles(onB), [title], "the control: the texts did travel")
        try save(onB, id: id(onB, title), title, info + "\n" + info)
        try onA.syncNow()

        let everything = [username, password, title, info, recipient, description, task, cardPassword]
        let logText = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertTrue(logText.contains(onA.vault.value), "the log shows call parameters")
        XCTAssertEqual(everything.filter { logText.contains($0) }, [], "in the server log")
        let dump = try pgDump()
        XCTAssertTrue(dump.contains("onions"), "the dump is of the database")
        XCTAssertEqual(everything.filter { dump.contains($0) }, [], "in pg_dump")
    }

    private func titleRecordName(_ session: Session, _ title: String) throws -> RecordName {
        let onion = try id(session, title)
        // The record whose blob is the small class and opens as this onion's title.
        let rows = try database.adminQuery("SELECT name FROM onions.records WHERE NOT deleted")
        for row in 0..<rows.count {
            let name = RecordName(try XCTUnwrap(rows.bytes(row, 0)))
            if name == session.keys.name(.onionTitle(onion)) { return name }
        }
        XCTFail("no title record for \(title)")
        throw HarnessFailure()
    }

    private func pgDump() throws -> String {
        let bin = ["/usr/lib/postgresql/15/bin/pg_dump", "/usr/bin/pg_dump"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try XCTUnwrap(bin, "no pg_dump"))
        process.arguments = ["--data-only", "--inserts", "--dbname", try database.adminURL]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return String(decoding: data, as: UTF8.self)
    }
}

struct HarnessFailure: Error {}
