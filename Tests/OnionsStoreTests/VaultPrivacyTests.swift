import Foundation
import OnionsCore
import OnionsCrypto
import OnionsStore
import XCTest

/// Whoever holds the database file finds no username, password or text of a vault in it, and
/// nothing of a deleted vault at all.
final class VaultPrivacyTests: VaultFileTestCase {
    func testTheFileHoldsNoUsernamePasswordOrTextInAnyEncoding() throws {
        let username = marker("user"), password = marker("pass"), newPassword = marker("newpass")
        let title = marker("title"), editedTitle = marker("\u{5BB6}title"), info = marker("info")
        let recipient = marker("to"), description = marker("desc"), cardPassword = marker("cardpass")
        let task = marker("task"), editedTask = marker("task2"), draftTitle = marker("draft")
        let draftInfo = marker("draftinfo")
        let everything = [username, password, newPassword, title, editedTitle, info, recipient, description,
                          cardPassword, task, editedTask, draftTitle, draftInfo]

        var store: SQLiteStore? = try openStore()
        var session: Session? = try signUp(store!, username, password: password)
        let vault = session!.vault
        let id = try session!.saveOnion(id: nil, title: secret(title), info: secret(info + "\n" + info))
        try session!.saveOnion(id: id, title: secret(editedTitle), info: secret(info))
        let card = try session!.saveCard(id: nil, recipient: secret(recipient), description: secret(description),
                                         cardPassword: secret(cardPassword), kdf: cheap)
        try session!.addTask(secret(task))
        try session!.editTask(0, text: secret(editedTask))
        try session!.setTask(0, done: true)
        try session!.saveDraft(Draft(target: id, title: secret(draftTitle), info: secret(draftInfo)))
        try session!.changePassword(to: secret(newPassword), kdf: cheap)

        XCTAssertEqual(found(everything, in: rawBytes()), [], "while the store is open")
        XCTAssertFalse(found([vault.value], in: rawBytes()).isEmpty, "the search does not see the files")
        session = nil
        store = nil
        XCTAssertEqual(found(everything, in: rawBytes()), [], "after the store closed")

        let reopenedStore = try openStore()
        let reopened = try logIn(reopenedStore, username, password: newPassword)
        XCTAssertEqual(titles(reopened), [editedTitle])
        XCTAssertEqual(text(try reopened.info(of: id)), info)
        XCTAssertEqual(text(try reopened.openCard(card, password: secret(cardPassword))), description)
        XCTAssertEqual(reopened.draft.map { text($0.info) }, draftInfo)
        XCTAssertEqual(found(everything, in: rawBytes()), [], "after log in")

        var state = Data()
        for file in try FileManager.default.contentsOfDirectory(atPath: stateDirectory) {
            state.append(try XCTUnwrap(FileManager.default.contents(atPath: stateDirectory + "/" + file)))
            XCTAssertEqual(found(everything + [vault.value], in: Data(file.utf8)), [])
        }
        XCTAssertFalse(state.isEmpty)
        XCTAssertEqual(found(everything, in: state), [], "the local state")
    }

    func testTheSearchFindsATextStoredInTheClear() throws {
        // The control for the test above: the same search sees a text that is in the file.
        let store = try openStore()
        let control = marker("control")
        try store.setLocalState(vault: vault, key: "k", value: Array(control.utf8))
        XCTAssertEqual(found([control], in: rawBytes()), ["\(control) (UTF-8)"])
    }

    func testDeletingAnAccountLeavesNoTraceOfItsVaultAndSparesTheOther() throws {
        let store = try openStore()
        let alice = try signUp(store, "alice", password: "alice's password")
        let bob = try signUp(store, "bob", password: "bob's password")
        /// Slices of every name and blob each vault wrote, by what they are.
        var traces: [VaultID: [String: Data]] = [:]
        func collect(_ session: Session) throws {
            for record in try store.changes(vault: session.vault, since: 0) {
                traces[session.vault, default: [:]]["name \(record.name)"] = Data(record.name.bytes)
                if record.blob.count >= 64 {
                    traces[session.vault, default: [:]]["blob \(record.name) v\(record.version)"] =
                        Data(record.blob[32..<64])
                }
            }
        }
        for session in [alice, bob] {
            let id = try session.saveOnion(id: nil, title: secret("Groceries"), info: secret("milk"))
            try collect(session)
            try session.saveOnion(id: id, title: secret("Shopping"), info: secret("milk and bread"))
            try session.saveCard(id: nil, recipient: secret("Carol"), description: secret("a scarf"),
                                 cardPassword: secret("snow"), kdf: cheap)
            try session.addTask(secret("buy milk"))
            try collect(session)
            try session.deleteTask(0)
            try collect(session)
        }
        let aliceVault = alice.vault
        let aliceHeader = try XCTUnwrap(store.header(vault: aliceVault))
        let aliceTraces = (traces[aliceVault] ?? [:]).merging([
            "salt and vault UUID": Data(aliceHeader.parameters[11..<43]),
            "wrapped key": Data(aliceHeader.wrappedKey),
            "verifier": Data(aliceHeader.verifier), "vault id": Data(aliceVault.value.utf8),
        ]) { a, _ in a }
        let bobRecords = try store.changes(vault: bob.vault, since: 0)
        let bobHeader = try store.header(vault: bob.vault)
        let presentBefore = aliceTraces.filter { rawBytes().range(of: $0.value) != nil }.map(\.key)
        XCTAssertTrue(presentBefore.contains("vault id"))
        XCTAssertTrue(presentBefore.contains("wrapped key"))
        XCTAssertGreaterThanOrEqual(presentBefore.filter { $0.hasPrefix("blob ") }.count, 5, "the live blobs")

        try alice.deleteAccount()
        XCTAssertTrue(alice.isLocked)
        XCTAssertNil(try store.prelogin(vault: aliceVault))
        XCTAssertNil(try store.header(vault: aliceVault))
        XCTAssertEqual(try store.changes(vault: aliceVault, since: 0), [])
        let raw = rawBytes()
        XCTAssertEqual(aliceTraces.filter { raw.range(of: $0.value) != nil }.map(\.key).sorted(), [])
        assertThrows(.noSuchVault) { try logIn(store, "alice", password: "alice's password") }

        XCTAssertEqual(try store.changes(vault: bob.vault, since: 0), bobRecords)
        XCTAssertEqual(try store.header(vault: bob.vault), bobHeader)
        XCTAssertTrue(bobRecords.filter { !$0.deleted }.allSatisfy { raw.range(of: Data($0.blob[32..<64])) != nil })
        let reopened = try logIn(store, "bob", password: "bob's password")
        XCTAssertEqual(titles(reopened), ["Shopping"])
        XCTAssertEqual(reopened.cards.count, 1)
        XCTAssertTrue(reopened.tasks.isEmpty)
        XCTAssertTrue(reopened.issues.isEmpty, "\(reopened.issues)")
    }
}
