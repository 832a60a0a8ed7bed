import Foundation
import OnionsCore
import OnionsCrypto
import XCTest

/// Changing the password re-wraps the data key and keeps every record; deleting the account
/// removes the vault and nothing else.
final class AccountTests: VaultTestCase {
    private func fill(_ session: Session) throws -> (onion: ItemID, card: ItemID) {
        let onion = try saveOnion(session, title: "Groceries", info: "milk")
        let card = try saveCard(session, to: "Alice", description: "a scarf", password: "snow")
        try session.addTask(secret("buy milk"))
        try session.setTask(0, done: true)
        return (onion, card)
    }

    func testAfterAPasswordChangeTheOldPasswordFailsAndTheNewOneOpensEverything() throws {
        let session = try signUp(password: "old password")
        let (onion, card) = try fill(session)
        // The head record moves to the change's commit (a commit's 2,078 bytes); no record changes.
        func records() throws -> [StoredRecord] { try store.records(vault: session.vault).filter { $0.blob.count != 2_078 } }
        let recordsBefore = try records()
        try session.changePassword(to: secret("new password"), kdf: cheap)
        XCTAssertEqual(try records(), recordsBefore, "records were re-encrypted")
        session.lock()

        assertThrows(.wrongPassword) { try logIn(password: "old password") }
        let reopened = try logIn(password: "new password")
        XCTAssertTrue(reopened.issues.isEmpty, "\(reopened.issues)")
        XCTAssertEqual(titles(reopened), ["Groceries"])
        XCTAssertEqual(text(try reopened.info(of: onion)), "milk")
        XCTAssertEqual(recipients(reopened), ["Alice"])
        XCTAssertEqual(text(try reopened.openCard(card, password: secret("snow"))), "a scarf")
        XCTAssertEqual(taskTexts(reopened), [0: "buy milk"])
        XCTAssertEqual(reopened.tasks.map(\.done), [true])
    }

    func testThePasswordChangeGivesANewSaltAndKeepsTheVaultIdentity() throws {
        let session = try signUp(password: "old password")
        let before = try XCTUnwrap(store.contents.headers[session.vault])
        try session.changePassword(to: secret("new password"), kdf: cheap)
        let after = try XCTUnwrap(store.contents.headers[session.vault])
        XCTAssertNotEqual(Array(before.parameters[11..<27]), Array(after.parameters[11..<27]), "salt")
        XCTAssertEqual(Array(before.parameters[27..<43]), Array(after.parameters[27..<43]), "vault UUID")
        XCTAssertNotEqual(before.wrappedKey, after.wrappedKey)
        XCTAssertNotEqual(before.verifier, after.verifier)
    }

    func testTheSessionKeepsWorkingAfterAPasswordChange() throws {
        let session = try signUp(password: "old password")
        try session.changePassword(to: secret("new password"), kdf: cheap)
        try saveOnion(session, title: "after the change")
        XCTAssertTrue(try session.isVaultPassword(secret("new password")))
        XCTAssertFalse(try session.isVaultPassword(secret("old password")))
        XCTAssertEqual(titles(try logIn(password: "new password")), ["after the change"])
    }

    func testChangingToAnEmptyPasswordIsRefusedAndChangesNothing() throws {
        let session = try signUp(password: "old password")
        let before = store.contents
        assertThrows(.emptyPassword) { try session.changePassword(to: secret(""), kdf: cheap) }
        XCTAssertEqual(store.contents, before)
        XCTAssertNoThrow(try logIn(password: "old password"))
    }

    func testTheNewPasswordOpensTheVaultOnAMachineThatSawTheOldHeader() throws {
        let session = try signUp(password: "old password")
        try saveOnion(session, title: "Groceries")
        let elsewhere = stateDirectory + "-elsewhere"
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        try logIn(password: "old password", stateDirectory: elsewhere).lock()
        try session.changePassword(to: secret("new password"), kdf: cheap)
        let other = try logIn(password: "new password", stateDirectory: elsewhere)
        XCTAssertEqual(titles(other), ["Groceries"])
        XCTAssertTrue(other.issues.isEmpty, "\(other.issues)")
    }

    func testDeletingTheAccountRemovesTheVaultAndLocksTheSession() throws {
        let session = try signUp("alice")
        _ = try fill(session)
        let vault = session.vault
        try session.deleteAccount()
        XCTAssertTrue(session.isLocked)
        XCTAssertNil(try store.prelogin(vault: vault))
        XCTAssertNil(store.contents.records[vault])
        assertThrows(.noSuchVault) { try logIn("alice") }
        XCTAssertTrue(try FileManager.default.contentsOfDirectory(atPath: stateDirectory).isEmpty,
                      "the local state of the vault was left behind")
    }

    func testDeletingOneAccountLeavesAnotherVaultUntouched() throws {
        let alice = try signUp("alice", password: "a")
        let bob = try signUp("bob", password: "b")
        _ = try fill(alice)
        let bobOnion = try saveOnion(bob, title: "Bob's", info: "bob's info")
        let bobBefore = try store.changes(vault: bob.vault, since: 0)
        let bobHeader = store.contents.headers[bob.vault]
        try alice.deleteAccount()
        XCTAssertEqual(try store.changes(vault: bob.vault, since: 0), bobBefore)
        XCTAssertEqual(store.contents.headers[bob.vault], bobHeader)
        let reopened = try logIn("bob", password: "b")
        XCTAssertEqual(titles(reopened), ["Bob's"])
        XCTAssertEqual(text(try reopened.info(of: bobOnion)), "bob's info")
        XCTAssertTrue(reopened.issues.isEmpty, "\(reopened.issues)")
    }

    func testAUsernameCanSignUpAgainAfterItsAccountWasDeleted() throws {
        let session = try signUp("alice", password: "first")
        try saveOnion(session, title: "old life")
        try session.deleteAccount()
        let again = try signUp("alice", password: "second")
        XCTAssertTrue(again.onions.isEmpty)
        again.lock()
        let reopened = try logIn("alice", password: "second")
        XCTAssertTrue(reopened.onions.isEmpty)
        XCTAssertTrue(reopened.issues.isEmpty, "a fresh vault inherited the old one's memory: \(reopened.issues)")
    }
}
