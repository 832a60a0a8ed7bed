// `passwd --rotate` on a synced vault: the server's records are sealed again under the new data
// key, and another machine takes the new header at its next log in without being fooled by the
// records' new versions. Needs ONIONS_TEST_PG_URL (see PostgresStoreTests.swift).

import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

final class SyncKeyRotationTests: SyncTestCase {
    /// How many of the server's live rows of `vault` the keys of `header` and `password` open,
    /// and how many records the server holds (their newest rows, under server names turned into
    /// records with the naming key, which a rotation keeps).
    private func serverRecordsOpened(_ vault: VaultID, header: VaultHeaderBlob, password: String) throws -> (Int, of: Int) {
        let parameters = try VaultParameters(decoding: header.parameters)
        let pk = try PasswordKeys(typed: secret(password), parameters: parameters)
        defer { pk.wipe() }
        let dataKey = try pk.unwrap(header.wrappedKey, vault: vault, parameters: header.parameters)
        defer { dataKey.wipe() }
        let keys = try DataKeys(dataKey: dataKey)
        defer { keys.wipe() }
        let namer = try ServerNames(nameKey: keys.nameKey)
        defer { namer.wipe() }
        let sealer = RecordSealer(vault: vault, keys: keys)
        let rows = try database.adminQuery("SELECT name, version, blob FROM onions.records WHERE vault = $1 AND NOT deleted",
                                           [.text(vault.value)])
        var opened = 0
        var records: [RecordName: UInt64] = [:]
        // The head record holds a commit, sealed with the commit key, not as a record.
        let head = RecordName(HMAC.sha256(key: keys.nameKey, message: Array("onions/head".utf8)))
        for row in 0..<rows.count {
            let stored = RecordName(try XCTUnwrap(rows.bytes(row, 0)))
            let column = UInt64(try XCTUnwrap(rows.integer(row, 1)))
            let (name, version) = namer.open(stored) ?? (stored, column)
            let record = StoredRecord(name: name, version: version, blob: try XCTUnwrap(rows.bytes(row, 2)),
                                      deleted: false, sequence: 0)
            if record.name == head { continue }
            records[name] = max(records[name] ?? 0, version)
            if let payload = try? sealer.open(record) { payload.wipe(); opened += 1 }
        }
        return (opened, records.count)
    }

    func testARotationReachesTheServerAndASecondMachineFollowsAtItsNextLogIn() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        try save(onA, "Groceries", "milk")
        let onB = try b.logIn("alice", "pw")
        XCTAssertEqual(titles(onB), ["Groceries"])
        onB.lock()
        let oldHeader = try XCTUnwrap(try b.store.header(vault: onA.vault))
        let before = try serverRecordsOpened(onA.vault, header: oldHeader, password: "pw")
        XCTAssertGreaterThanOrEqual(before.0, before.of, "the control: the old keys open the server's records before")

        try onA.changePassword(to: secret("pw2"), kdf: ScryptParameters(logN: 10, r: 8, p: 1), rotate: true)
        XCTAssertNil(onA.lastSyncReport?.refused, "\(onA.lastSyncReport?.lines ?? [])")
        try save(onA, "Plans", "monday")
        let after = try serverRecordsOpened(onA.vault, header: oldHeader, password: "pw")
        XCTAssertGreaterThanOrEqual(after.of, before.of + 2, "the same records, and Plans (and perhaps a manifest part)")
        XCTAssertEqual(after.0, 0, "the old password and header open nothing on the server")

        let again = try b.logIn("alice", "pw2")
        XCTAssertEqual(again.issues, [])
        XCTAssertEqual(again.lastSyncReport?.issues ?? [], [], "the new versions are the vault's own, not tampering")
        XCTAssertEqual(titles(again), ["Groceries", "Plans"])
        XCTAssertEqual(try info(again, "Groceries"), "milk")
        // Its sync state goes on from there: its edit reaches a, and a's reaches it.
        try save(again, id: try id(again, "Groceries"), "Groceries", "milk\neggs")
        XCTAssertNil(again.lastSyncReport?.refused)
        try onA.syncNow()
        XCTAssertEqual(try info(onA, "Groceries"), "milk\neggs")
        try save(onA, id: try id(onA, "Plans"), "Plans", "tuesday")
        try again.syncNow()
        XCTAssertEqual(try info(again, "Plans"), "tuesday")
        XCTAssertThrowsError(try b.logIn("alice", "pw"), "the old password opens nothing now")
    }
}
