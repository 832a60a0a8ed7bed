import Foundation
import OnionsCore
import OnionsCrypto
import OnionsStore
import XCTest

/// A vault written to the SQLite file reads back whole after the store is closed and opened
/// again, and a password change holds across reopening.
final class VaultFileRoundTripTests: VaultFileTestCase {
    func testEverythingSavedReadsBackFromTheReopenedFile() throws {
        var store: SQLiteStore? = try openStore()
        var session: Session? = try signUp(store!, "alice", password: "correct horse")
        let onion = try session!.saveOnion(id: nil, title: secret("Groceries \u{1F6D2}"), info: secret("milk\neggs"))
        let card = try session!.saveCard(id: nil, recipient: secret("Z\u{F6}e"), description: secret("a scarf"),
                                         cardPassword: secret("snow"), kdf: cheap)
        for task in ["a", "b", "c"] { try session!.addTask(secret(task)) }
        try session!.deleteTask(1)
        try session!.setTask(2, done: true)
        try session!.saveDraft(Draft(target: nil, title: secret("unsaved"), info: secret("half")))
        session = nil
        store = nil

        let reopened = try logIn(try openStore(), "alice", password: "correct horse")
        XCTAssertTrue(reopened.issues.isEmpty, "\(reopened.issues)")
        XCTAssertEqual(titles(reopened), ["Groceries \u{1F6D2}"])
        XCTAssertEqual(text(try reopened.info(of: onion)), "milk\neggs")
        XCTAssertEqual(reopened.cards.map { reopened.texts.string($0.recipient) }, ["Z\u{F6}e"])
        XCTAssertEqual(text(try reopened.openCard(card, password: secret("snow"))), "a scarf")
        assertThrows(.cardWrongPassword) { try reopened.openCard(card, password: secret("ice")) }
        XCTAssertEqual(reopened.tasks.map(\.id), [0, 2])
        XCTAssertEqual(reopened.tasks.map(\.done), [false, true])
        XCTAssertEqual(try reopened.addTask(secret("b again")), 1)
        XCTAssertEqual(reopened.draft.map { text($0.title) }, "unsaved")
    }

    func testAfterAPasswordChangeTheReopenedFileOpensOnlyWithTheNewPassword() throws {
        var store: SQLiteStore? = try openStore()
        var session: Session? = try signUp(store!, "alice", password: "old password")
        let onion = try session!.saveOnion(id: nil, title: secret("Groceries"), info: secret("milk"))
        let card = try session!.saveCard(id: nil, recipient: secret("Bob"), description: secret("a hat"),
                                         cardPassword: secret("snow"), kdf: cheap)
        try session!.addTask(secret("buy milk"))
        try session!.changePassword(to: secret("new password"), kdf: cheap)
        session = nil
        store = nil

        let reopenedStore = try openStore()
        assertThrows(.wrongPassword) { try logIn(reopenedStore, "alice", password: "old password") }
        let reopened = try logIn(reopenedStore, "alice", password: "new password")
        XCTAssertTrue(reopened.issues.isEmpty, "\(reopened.issues)")
        XCTAssertEqual(titles(reopened), ["Groceries"])
        XCTAssertEqual(text(try reopened.info(of: onion)), "milk")
        XCTAssertEqual(text(try reopened.openCard(card, password: secret("snow"))), "a hat")
        XCTAssertEqual(reopened.tasks.map { reopened.texts.string($0.text) }, ["buy milk"])
    }

    func testEveryRecordOfAClassHasTheSameLengthInTheFile() throws {
        let store = try openStore()
        let session = try signUp(store, "alice", password: "correct horse")
        try session.saveOnion(id: nil, title: secret("a"), info: secret(""))
        try session.saveOnion(id: nil, title: secret(String(repeating: "\u{1F44D}\u{1F3FD}", count: 30)),
                              info: secret(String(repeating: "\u{5BB6}", count: 2_500)))
        try session.addTask(secret("t"))
        try session.addTask(secret(String(repeating: "x", count: 280)))
        try session.saveCard(id: nil, recipient: secret("B"), description: secret(""), cardPassword: secret("p"),
                             kdf: cheap)
        try session.saveCard(id: nil, recipient: secret(String(repeating: "\u{5BB6}", count: 30)),
                             description: secret(String(repeating: "e\u{0301}", count: 2_500)),
                             cardPassword: secret("p"), kdf: cheap)
        var counts: [Int: Int] = [:]
        for record in try store.changes(vault: session.vault, since: 0) where !record.deleted {
            counts[record.blob.count, default: 0] += 1
        }
        // small: 2 titles, 2 tasks, the heads of the 2 cards, the task counter and 2 fillers;
        // large: 2 infos, 2 cards, the bodies of the 2 tasks and a filler; the manifest's root and
        // its parts (a small vault's parts all of one length, its root of its own).
        XCTAssertGreaterThanOrEqual(counts.removeValue(forKey: Self.manifestPartLength) ?? 0, 2)
        XCTAssertEqual(counts.removeValue(forKey: Self.manifestRootLength), 1, "the root, padded to one length for 16 parts")
        // The head record: the last save's commit (FORMAT.md "Commits"), 2,078 bytes.
        XCTAssertEqual(counts.removeValue(forKey: 2_078), 1)
        XCTAssertEqual(counts, [Self.smallLength: 9, Self.largeLength: 7])
    }
}
