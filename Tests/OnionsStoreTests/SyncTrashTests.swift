import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

/// Versions and the trash across machines, through the PostgreSQL test server.
final class SyncTrashTests: SyncTestCase {
    func testDeletedOnMachineARestoredOnMachineBComesBackOnA() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        let onB = try b.logIn("alice", "pw")
        let id = try save(onA, "Shared", "the text")
        onA.pushPending()
        try onB.syncNow()
        XCTAssertEqual(titles(onB), ["Shared"])

        try onA.deleteOnion(id)
        onA.pushPending()
        try onB.syncNow()
        XCTAssertEqual(titles(onB), [])
        let trash = try onB.trash()
        XCTAssertEqual(trash.map { onB.texts.string($0.label) }, ["Shared"])
        try onB.restoreFromTrash(trash[0])
        onB.forget(trash)
        onB.pushPending()

        try onA.syncNow()
        XCTAssertEqual(titles(onA), ["Shared"])
        XCTAssertEqual(try info(onA, "Shared"), "the text")
        XCTAssertEqual(onA.issues + onB.issues, [])
    }

    func testVersionsMadeOnBothMachinesAreKeptOnEachThatHeldThem() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        let onB = try b.logIn("alice", "pw")
        let id = try save(onA, "Doc", "v1")
        onA.pushPending()
        try onB.syncNow()
        try save(onB, id: id, "Doc", "v2")
        onB.pushPending()
        try onA.syncNow()
        let versions = try onA.versions(of: .onion(id))
        XCTAssertEqual(versions.count, 2)
        XCTAssertEqual(versions.map { $0.machine == onA.thisMachine }, [true, false], "each version names its machine")
        let first = try onA.texts(of: versions[0], of: .onion(id))
        defer { first.wipe() }
        XCTAssertEqual(syncText(first.info), "v1")
    }

    func testPurgeLeavesNoBytesOfTheItemOnTheServerOrInTheLocalFile() throws {
        let a = try machine("a")
        let onA = try a.signUp("alice", "pw")
        let id = try save(onA, "Secret", "x")
        onA.pushPending()
        let names = [onA.keys.name(.onionTitle(id)), onA.keys.name(.onionInfo(id))]
        try onA.deleteOnion(id)
        onA.pushPending()
        let trash = try onA.trash()
        try onA.purge(trash)
        onA.forget(trash)
        XCTAssertNil(try onA.syncNow().refused)
        // The server holds the tombstones (empty blobs) of those records, nothing else.
        let rows = try serverRows(onA, names)
        XCTAssertEqual(rows.map(\.name).sorted { $0.description < $1.description }, names.sorted { $0.description < $1.description })
        XCTAssertEqual(rows.filter { !$0.deleted || !$0.blob.isEmpty }.count, 0)
        let local = try a.store.connection.integer("SELECT count(*) FROM record_history") ?? -1
        XCTAssertEqual(local, 0)
    }
}
