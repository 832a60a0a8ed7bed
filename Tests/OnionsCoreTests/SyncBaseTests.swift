@testable import OnionsCore
import OnionsCrypto
import XCTest

/// The sync bookkeeping this machine keeps (`sync.base`) is authenticated: a changed byte is
/// reported once and the next round compares everything again, instead of trusting it or
/// looping on it.
final class SyncBaseTests: MemorySyncTestCase {
    private let damagedBase = IntegrityIssue(kind: .damaged, label: "this machine's sync bookkeeping")

    func testAChangedByteInTheSyncBaseIsReportedOnceAndSyncGoesOn() throws {
        let (onA, onB) = try twoMachines { try self.save($0, "Groceries", "milk\n") }
        let vault = onB.vault
        var kept = try XCTUnwrap(try b.store.localState(vault: vault, key: SyncBase.key))
        kept[9] ^= 0x01  // a byte of the sequence read up to
        try b.store.setLocalState(vault: vault, key: SyncBase.key, value: kept)
        onB.lock()

        try edit(onA, "Groceries", info: "milk\neggs\n")
        let reopened = try b.logIn("alice", "pw")
        let report = try XCTUnwrap(reopened.lastSyncReport)
        XCTAssertTrue(report.issues.contains(damagedBase), "\(report.lines)")
        XCTAssertNil(report.refused)
        // From an empty base both sides look changed: nothing is dropped, the server's edit is
        // taken and this machine's copy is kept beside it.
        let listed = try onions(reopened)
        XCTAssertTrue(listed.contains("Groceries: milk\neggs\n"), "\(listed)")

        let next = try reopened.syncNow()
        XCTAssertFalse(next.issues.contains(damagedBase), "a new base was saved: \(next.lines)")
    }

    func testABaseOfAnotherVaultDoesNotAuthenticate() throws {
        let (_, onB) = try twoMachines { try self.save($0, "Groceries", "milk\n") }
        let stored = try XCTUnwrap(try b.store.localState(vault: onB.vault, key: SyncBase.key))
        XCTAssertFalse(try SyncBase.load(b.store, vault: onB.vault, keys: onB.keys).damaged)
        try b.store.setLocalState(vault: VaultID("another"), key: SyncBase.key, value: stored)
        XCTAssertTrue(try SyncBase.load(b.store, vault: VaultID("another"), keys: onB.keys).damaged)
    }
}
