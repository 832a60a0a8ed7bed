import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

/// Versions saved between two pushes (offline, or several saves before one sync) reach the
/// server with the push, as rows under server names in the push's batch (never through
/// `onions.add_history`, which would show their plain names), so every machine lists them; a save
/// pushed at once sends nothing more.
final class SyncOfflineHistoryTests: SyncTestCase {
    func testVersionsSavedOfflineReachOtherMachinesAndAFreshSignIn() throws {
        let a = try machine("a"), b = try machine("b"), c = try machine("c")
        let onA = try a.signUp("alice", "pw")
        let id = try save(onA, "Doc", "v1")
        let onB = try b.logIn("alice", "pw")
        XCTAssertEqual(try infos(onB, id), ["v1"])

        try setOnline(false, a)
        for text in ["v2", "v3", "v4"] { try save(onA, id: id, "Doc", text) }
        XCTAssertEqual(try infos(onA, id), ["v1", "v2", "v3", "v4"])
        XCTAssertEqual(try serverVersions(onA, onionNames(onA, id)), [], "nothing reached the server yet")
        try setOnline(true, a)
        let back = try onA.syncNow()
        XCTAssertNil(back.offline, "\(back.lines)")
        // The first version, which the push replaced, and the two only A held: what A keeps.
        let kept = try serverVersions(onA, onionNames(onA, id))
        XCTAssertEqual(kept.count, 6)
        XCTAssertEqual(kept, try localVersions(a, onionNames(onA, id)))

        let report = try onB.syncNow()
        XCTAssertEqual(report.issues, [])
        XCTAssertEqual(try infos(onB, id), ["v1", "v2", "v3", "v4"])
        let versions = try onB.versions(of: .onion(id))
        XCTAssertEqual(versions.map(\.machine), Array(repeating: onA.thisMachine, count: 4), "A saved each")
        XCTAssertEqual(versions.map(\.time), try onA.versions(of: .onion(id)).map(\.time), "A's times")

        let onC = try c.logIn("alice", "pw")
        XCTAssertEqual(try infos(onC, id), ["v1", "v2", "v3", "v4"], "a machine signing in later has them too")
        XCTAssertEqual(try onC.versions(of: .onion(id)).map(\.machine), Array(repeating: onA.thisMachine, count: 4))
        XCTAssertEqual(onA.issues + onB.issues + onC.issues, [])
    }

    /// Counts the calls of `onions.add_history` on the test server (a sequence its body moves).
    private func countAddHistoryCalls() throws {
        _ = try database.adminQuery("CREATE SEQUENCE onions.add_history_calls START 1")
        _ = try database.adminQuery("ALTER SEQUENCE onions.add_history_calls OWNER TO onions_owner")
        let definition = try database.adminQuery("""
            SELECT pg_get_functiondef('onions.add_history(bytea[], bigint[], bytea[], boolean[])'::regprocedure)
            """)
        let text = try XCTUnwrap(definition.text(0, 0))
        let counted = text.replacingOccurrences(of: "\nBEGIN\n", with: "\nBEGIN\n    PERFORM nextval('onions.add_history_calls');\n")
        XCTAssertNotEqual(counted, text)
        _ = try database.adminQuery(counted)
    }

    private func addHistoryCalls() throws -> Int64 {
        // The number of values taken: none before the first call.
        let rows = try database.adminQuery("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM onions.add_history_calls")
        return try XCTUnwrap(rows.integer(0, 0))
    }

    func testASavePushedAtOnceSendsNoVersionsAndSeveralSavesOneCall() throws {
        let a = try machine("a")
        let onA = try a.signUp("alice", "pw")
        let id = try save(onA, "Doc", "v1")
        try countAddHistoryCalls()
        try save(onA, id: id, "Doc", "v2")
        try save(onA, id: id, "Doc", "v3")
        XCTAssertEqual(try addHistoryCalls(), 0, "each save pushed at once: nothing in between to send")
        let before = try serverRows(onA, onionNames(onA, id)).count
        XCTAssertEqual(try serverVersions(onA, onionNames(onA, id)).count, 4)
        XCTAssertEqual(try serverVersions(onA, onionNames(onA, id)), try localVersions(a, onionNames(onA, id)))

        try setOnline(false, a)
        try save(onA, id: id, "Doc", "v4")
        try save(onA, id: id, "Doc", "v5")
        try setOnline(true, a)
        XCTAssertNil(try onA.syncNow().offline)
        XCTAssertEqual(try addHistoryCalls(), 0, "the versions between went as rows of the push's batch")
        XCTAssertEqual(try serverVersions(onA, onionNames(onA, id)).count, 8)
        XCTAssertEqual(try serverRows(onA, onionNames(onA, id)).count, before + 4, "v4 and v5 of the title and the info")
        XCTAssertEqual(try serverVersions(onA, onionNames(onA, id)), try localVersions(a, onionNames(onA, id)))
    }

    func testTheFunctionKeepsToItsVaultAndItsChecks() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        let name = randomName(), excluded = randomName()
        let blob: [UInt8] = [1, 1] + randomBytes(40)
        store.excludeFromHistory(vault: vault, names: [excluded])
        try store.apply(vault: vault, writes: [.put(name: excluded, blob: [1, 1] + randomBytes(40), expectedVersion: 0)])
        store.queueHistory(vault: vault, rows: [
            StoredRecord(name: name, version: 2, blob: blob, deleted: false, sequence: 0),
            StoredRecord(name: excluded, version: 2, blob: blob, deleted: false, sequence: 0),
        ])
        try store.apply(vault: vault, writes: [.put(name: name, blob: [1, 1] + randomBytes(40), expectedVersion: 0,
                                                    version: 3)])
        let pulled = try store.commits(vault: vault, since: 0, historySince: 0).history
        XCTAssertEqual(pulled.map(\.name), [name], "the excluded name is left out")
        XCTAssertEqual(pulled.map(\.blob), [blob])
        XCTAssertEqual(pulled.map(\.version), [2])

        let (_, otherKey) = try makeVault(try database.clientStore())
        let other = try database.connect(authKey: otherKey)
        _ = try other.query("SELECT onions.add_history($1, $2, $3, $4)",
                            [.byteaArray([name.bytes]), .int64Array([1]), .byteaArray([blob]), .boolArray([false])])
        XCTAssertEqual(try other.query("SELECT * FROM onions.pull_history(0, 100)").count, 1, "to its own vault")
        XCTAssertEqual(try store.commits(vault: vault, since: 0, historySince: 0).history.map(\.version), [2],
                       "not to another's")
        XCTAssertThrowsError(try other.query("SELECT onions.add_history($1, $2, $3, $4)",
                                             [.byteaArray([name.bytes]), .int64Array([0]), .byteaArray([blob]),
                                              .boolArray([false])]))
        XCTAssertThrowsError(try other.query("SELECT onions.add_history($1, $2, $3, $4)",
                                             [.byteaArray([name.bytes]), .int64Array([1, 2]), .byteaArray([blob]),
                                              .boolArray([false])]))
    }
}
