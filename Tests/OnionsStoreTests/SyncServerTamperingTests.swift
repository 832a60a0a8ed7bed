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
        let groceries = try id(alice, "Groceries")
        let names = [alice.keys.name(.onionTitle(groceries)), alice.keys.name(.onionInfo(groceries))]
        try save(alice, id: groceries, "Groceries", "milk\neggs")
        // Each version is a row of its own (server names): the server drops the newer Groceries
        // rows and announces the older ones again (not the manifest).
        let rows = try serverRows(alice, names)
        let newest = rows.map(\.version).max() ?? 0
        _ = try database.adminQuery("DELETE FROM onions.records WHERE name = ANY ($1)",
                                    [.byteaArray(rows.filter { $0.version == newest }.map(\.serverName.bytes))])
        _ = try database.adminQuery("UPDATE onions.records SET seq = nextval('onions.changes') WHERE name = ANY ($1)",
                                    [.byteaArray(rows.filter { $0.version < newest }.map(\.serverName.bytes))])
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
        // Only what the server logs from here on can hold this test's random texts and keys.
        let logStart = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: log)[.size] as? NSNumber).uint64Value
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
        let logFile = try FileHandle(forReadingFrom: URL(fileURLWithPath: log))
        try logFile.seek(toOffset: logStart)
        let logText = Haystack(try logFile.readToEnd() ?? Data())
        XCTAssertTrue(logText.contains(onA.vault.value), "the log shows call parameters")
        XCTAssertEqual(everything.filter { logText.contains($0) }, [], "in the server log")
        let dump = Haystack(Data(try pgDump().utf8))
        XCTAssertTrue(dump.contains("onions"), "the dump is of the database")
        XCTAssertEqual(everything.filter { dump.contains($0) }, [], "in pg_dump")

        // Nor the auth key, nor any SCRAM secret that logs in (SaltedPassword, ClientKey).
        let key = onA.passwordKeys.authKey.withUnsafeBytes { Array($0) }
        let login = try PostgresVaultLogin(authKey: onA.passwordKeys.authKey)
        defer { login.wipe() }
        let verifier = try XCTUnwrap(try database.adminQuery("SELECT rolpassword FROM pg_authid WHERE rolname = $1",
                                                             [.text(login.role)]).text(0, 0))
        let fields = verifier.split(separator: "$").map { $0.split(separator: ":").map(String.init) }
        XCTAssertEqual(fields.count, 3, "a SCRAM-SHA-256 verifier")
        let salted = try login.password.withUnsafeBytes {
            try PBKDF2.derive(password: UnsafeRawBufferPointer(rebasing: $0.dropLast()),
                              salt: try XCTUnwrap(Base64.decode(fields[1][1])), iterations: try XCTUnwrap(Int(fields[1][0])),
                              prf: .sha256, count: 32)
        }
        let clientKey = HMAC.sha256(key: salted, message: Array("Client Key".utf8))
        XCTAssertEqual(Base64.encode(SHA256.hash(clientKey)), fields[2][0], "the control: StoredKey is SHA-256(ClientKey)")
        let saltedBytes = salted.withUnsafeBytes { Array($0) }
        let secrets = [Hex.encode(key), Base64.encode(key), Hex.encode(clientKey), Base64.encode(clientKey),
                       Hex.encode(saltedBytes), Base64.encode(saltedBytes)]
        XCTAssertEqual(secrets.filter { logText.contains($0) }, [], "in the server log")
        XCTAssertEqual(secrets.filter { dump.contains($0) }, [], "in pg_dump")
        // What the server keeps does not log in: StoredKey and ServerKey are no passwords.
        for replayed in fields[2] {
            XCTAssertThrowsError(try database.connect(role: login.role, password: replayed))
        }
    }

    /// The server's name of the newest row of the onion's title (FORMAT.md "Names on the server").
    private func titleRecordName(_ session: Session, _ title: String) throws -> RecordName {
        try newestServerName(session, session.keys.name(.onionTitle(try id(session, title))))
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

/// Bytes searched for text by Foundation's Data (a debug build's String.contains is slow on the
/// test server's log of a whole run).
private struct Haystack {
    let data: Data
    init(_ data: Data) { self.data = data }

    func contains(_ needle: String) -> Bool { data.range(of: Data(needle.utf8)) != nil }
}
