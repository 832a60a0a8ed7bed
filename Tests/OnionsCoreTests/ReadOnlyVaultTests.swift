import Foundation
@testable import OnionsCore
import OnionsCrypto
import XCTest

/// A store that lost or rolled back what the vault wrote makes it read-only: nothing is saved on
/// top (which would make the loss permanent and silent) until the person accepts the store's state.
final class ReadOnlyVaultTests: VaultTestCase {
    private func isRollback(_ issue: IntegrityIssue) -> Bool {
        if case .rolledBack = issue.kind { return true }
        return false
    }

    func testARollbackIsRepeatedAndNothingIsSavedUntilAccepted() throws {
        let session = try signUp()
        try saveOnion(session, title: "Groceries")
        let oldCopy = store.contents
        let garden = try saveOnion(session, title: "Garden")
        try session.deleteOnion(garden)
        session.lock()
        store.contents = oldCopy

        let first = try logIn()
        XCTAssertTrue(first.isReadOnly)
        XCTAssertTrue(first.issues.contains(where: isRollback), "\(first.issues)")
        assertThrows(.readOnly) { try saveOnion(first, title: "Written on top") }
        assertThrows(.readOnly) { try first.addTask(secret("nor this")) }
        XCTAssertEqual(store.contents, oldCopy, "no byte written")
        first.lock()

        let second = try logIn()
        XCTAssertTrue(second.issues.contains(where: isRollback), "every run repeats the warning: \(second.issues)")
        XCTAssertTrue(second.isReadOnly)
        let accepted = try second.acceptStoreState()
        XCTAssertTrue(accepted.contains(where: isRollback))
        XCTAssertFalse(second.isReadOnly)
        XCTAssertEqual(titles(second), ["Groceries"])
        try saveOnion(second, title: "Going on")
        second.lock()

        let third = try logIn()
        XCTAssertTrue(third.issues.isEmpty, "\(third.issues)")
        XCTAssertEqual(titles(third), ["Going on", "Groceries"])
    }

    func testALostRecordIsReadOnlyThenForgottenWhenAccepted() throws {
        let session = try signUp()
        let groceries = try saveOnion(session, title: "Groceries", info: "milk")
        try saveOnion(session, title: "Garden", info: "roses")
        let names = [session.keys.name(.onionTitle(groceries)), session.keys.name(.onionInfo(groceries))]
        session.lock()
        for name in names { store.erase(vault: session.vault, name: name) }

        let lost = try logIn()
        XCTAssertEqual(Set(lost.issues.map(\.kind)), [.missing])
        assertThrows(.readOnly) { try saveOnion(lost, title: "x") }
        try lost.acceptStoreState()
        XCTAssertEqual(titles(lost), ["Garden"])
        lost.lock()
        let again = try logIn()
        XCTAssertTrue(again.issues.isEmpty, "\(again.issues)")
        XCTAssertFalse(again.isReadOnly)
    }

    func testDamagedAndUnlistedRecordsAreDeletedWhenAccepted() throws {
        let session = try signUp()
        let groceries = try saveOnion(session, title: "Groceries")
        try saveOnion(session, title: "Garden")
        let stranger = try XCTUnwrap(try store.record(vault: session.vault, name: session.keys.name(.onionTitle(groceries))))
        session.lock()
        store.tamper(vault: session.vault, name: stranger.name) {
            $0 = StoredRecord(name: $0.name, version: $0.version, blob: Array($0.blob.dropLast()) + [0],
                              deleted: false, sequence: $0.sequence)
        }
        let injected = RecordName(Array(repeating: 9, count: 32))
        try store.apply(vault: session.vault, writes: [.put(name: injected, blob: stranger.blob, expectedVersion: 0)])

        let damaged = try logIn()
        XCTAssertEqual(Set(damaged.issues.map(\.kind)), [.damaged, .unlisted(count: 1)])
        try damaged.acceptStoreState()
        XCTAssertEqual(titles(damaged), ["Garden"])
        XCTAssertEqual(try store.record(vault: session.vault, name: injected), nil, "the unlisted record is deleted")
        damaged.lock()
        XCTAssertTrue(try logIn().issues.isEmpty)
    }

    func testAMissingManifestCannotBeAccepted() throws {
        let session = try signUp()
        try saveOnion(session, title: "Groceries")
        let root = session.keys.name(.manifest)
        session.lock()
        store.erase(vault: session.vault, name: root)
        let opened = try logIn()
        XCTAssertTrue(opened.isReadOnly)
        assertThrows(.manifestUnrecoverable) { try opened.acceptStoreState() }
        XCTAssertTrue(opened.isReadOnly, "still read-only")
    }
}

/// Sign-up writes its header and first manifest together, so a vault without a manifest is
/// never taken for a new one; a machine that never saw the vault says what it found.
final class FirstLogInTests: VaultTestCase {
    func testAVaultWithoutAManifestIsReportedOnAMachineThatNeverSawIt() throws {
        let session = try signUp()
        try saveOnion(session, title: "Groceries")
        let names = try store.records(vault: session.vault).map(\.name)
        session.lock()
        for name in names { store.erase(vault: session.vault, name: name) }  // emptied: header alone

        let elsewhere = stateDirectory + "-elsewhere"
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        let opened = try logIn(stateDirectory: elsewhere)
        XCTAssertEqual(opened.issues.map(\.kind), [.manifest], "an emptied vault is not a new one")
        XCTAssertTrue(opened.isReadOnly)
    }

    func testAMachineThatNeverSawTheVaultIsToldItsCounterAndLastChange() throws {
        let session = try signUp()
        XCTAssertFalse(session.isNewToThisMachine, "this machine made it")
        try saveOnion(session, title: "Groceries")
        let changed = session.lastChanged
        session.lock()
        XCTAssertFalse(try logIn().isNewToThisMachine)

        let elsewhere = stateDirectory + "-elsewhere"
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        let fresh = try logIn(stateDirectory: elsewhere)
        XCTAssertTrue(fresh.isNewToThisMachine)
        XCTAssertEqual(fresh.vaultCounter, 2)
        XCTAssertEqual(fresh.lastChanged, changed)
        XCTAssertGreaterThan(changed, 0)
    }
}
