import Foundation
import OnionsCore
import OnionsCrypto
import OnionsStore
import XCTest

/// Two sessions on one SQLite file changing the same task or card: the later save follows the
/// rules of sync (merge, conflict copy, an edit wins over a delete) and nothing typed is lost.
final class SQLitePeerItemTests: SQLiteStoreTestCase {
    let kdf = ScryptParameters(logN: 10, r: 8, p: 1)
    let cardKDF = ScryptParameters(logN: 10, r: 8, p: 1)
    var state: String { directory.appendingPathComponent("state").path }

    private func twoSessions() throws -> (Session, Session) {
        let first = try Session.signUp(store: try openStore(), username: "ada", password: secret("pw 1"), kdf: kdf,
                                       stateDirectory: state)
        let second = try Session.logIn(store: try openStore(), username: "ada", password: secret("pw 1"),
                                       stateDirectory: state)
        return (first, second)
    }

    private func secret(_ text: String) -> SecretBytes { SecretBytes(copying: Array(text.utf8)) }

    /// Every task as "number text" with " done" when ticked, in number order.
    private func tasks(_ session: Session) -> [String] {
        session.tasks.map { "\($0.id) \(session.texts.string($0.text))\($0.done ? " done" : "")" }
    }

    private func recipients(_ session: Session) -> Set<String> {
        Set(session.cards.map { session.texts.string($0.recipient) })
    }

    private func description(_ session: Session, _ id: ItemID, _ password: String) throws -> String {
        let opened = try session.openCard(id, password: secret(password))
        defer { opened.wipe() }
        return opened.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    // MARK: Tasks

    func testATasksTextAndDoneMarkChangedByEachWriterMerge() throws {
        let (first, second) = try twoSessions()
        let id = try first.addTask(secret("milk"))
        try second.catchUpWithPeers()
        let base = try XCTUnwrap(first.taskBase(of: id))
        defer { base.wipe() }
        try second.setTask(id, done: true)
        let saved = try first.saveTask(text: secret("oat milk"), done: nil, since: base)
        XCTAssertEqual(saved.id, id)
        XCTAssertEqual(saved.outcome, .merged)
        XCTAssertEqual(tasks(first), ["0 oat milk done"])
        try second.catchUpWithPeers()
        XCTAssertEqual(tasks(second), ["0 oat milk done"])
    }

    func testATaskBothWritersRewroteKeepsTheOtherAndThisOneAsACopy() throws {
        let (first, second) = try twoSessions()
        let id = try first.addTask(secret("milk"))
        try first.addTask(secret("bread"))
        try second.catchUpWithPeers()
        let base = try XCTUnwrap(first.taskBase(of: id))
        defer { base.wipe() }
        try second.editTask(id, text: secret("soy milk"))
        let saved = try first.saveTask(text: secret("oat milk"), done: nil, since: base)
        XCTAssertEqual(saved.outcome, .keptAsCopy)
        XCTAssertEqual(saved.id, 2, "the lowest free number")
        XCTAssertEqual(tasks(first), ["0 soy milk", "1 bread", "2 oat milk (conflict 2)"])
        try second.catchUpWithPeers()
        XCTAssertEqual(tasks(second), tasks(first))
        XCTAssertEqual(try second.conflictSource(of: .task(2))?.origin.item, .task(id), "the copy names task 0")
        XCTAssertEqual(try second.restoreOtherSide(.task(2)), .task(id))
        XCTAssertEqual(tasks(second), ["0 oat milk", "1 bread"])
    }

    func testATaskTheOtherWriterDeletedComesBackWithTheEdit() throws {
        let (first, second) = try twoSessions()
        try first.addTask(secret("bread"))
        let id = try first.addTask(secret("milk"))
        try second.catchUpWithPeers()
        let base = try XCTUnwrap(first.taskBase(of: id))
        defer { base.wipe() }
        try second.deleteTask(id)
        let saved = try first.saveTask(text: secret("oat milk"), done: nil, since: base)
        XCTAssertEqual(saved.outcome, .restored)
        XCTAssertEqual(tasks(first), ["0 bread", "1 oat milk"])
        try second.catchUpWithPeers()
        XCTAssertEqual(tasks(second), ["0 bread", "1 oat milk"])
        XCTAssertEqual(try second.addTask(secret("eggs")), 2, "the counter covers the restored number")
    }

    func testATickOnATaskTheOtherWriterDeletedBringsItBack() throws {
        let (first, second) = try twoSessions()
        let id = try first.addTask(secret("milk"))
        try second.catchUpWithPeers()
        let base = try XCTUnwrap(first.taskBase(of: id))
        defer { base.wipe() }
        try second.deleteTask(id)
        XCTAssertEqual(try first.saveTask(text: nil, done: true, since: base).outcome, .restored)
        XCTAssertEqual(tasks(first), ["0 milk done"])
    }

    func testDeletingATaskTheOtherWriterChangedKeepsTheChange() throws {
        let (first, second) = try twoSessions()
        let id = try first.addTask(secret("milk"))
        try second.catchUpWithPeers()
        let base = try XCTUnwrap(first.taskBase(of: id))
        defer { base.wipe() }
        try second.editTask(id, text: secret("oat milk"))
        XCTAssertFalse(try first.deleteTask(since: base))
        XCTAssertEqual(tasks(first), ["0 oat milk"])
        let seen = try XCTUnwrap(first.taskBase(of: id))
        defer { seen.wipe() }
        XCTAssertTrue(try first.deleteTask(since: seen), "deleting what is seen now goes through")
        XCTAssertEqual(tasks(first), [])
    }

    func testTwoWritersAddingATaskAtOnceTakeDifferentNumbers() throws {
        let (first, second) = try twoSessions()
        try first.addTask(secret("bread"))
        try second.catchUpWithPeers()
        var attempts = 0
        let mine = try first.afterPeers {
            attempts += 1
            // The other writer takes number 1 after this session caught up, just before its save.
            if attempts == 1 { try second.addTask(secret("eggs")) }
            return try first.addTask(secret("milk"))
        }
        XCTAssertEqual(attempts, 2)
        XCTAssertEqual(mine, 2)
        XCTAssertEqual(tasks(first), ["0 bread", "1 eggs", "2 milk"])
        try second.catchUpWithPeers()
        XCTAssertEqual(tasks(second), ["0 bread", "1 eggs", "2 milk"])
        XCTAssertEqual(first.issues, [])
    }

    // MARK: Cards

    func testACardBothWritersChangedKeepsTheOtherAndThisOneAsACopy() throws {
        let (first, second) = try twoSessions()
        let id = try first.saveCard(id: nil, recipient: secret("Bob"), description: secret("old"),
                                    cardPassword: secret("card pw"), kdf: cardKDF)
        try second.catchUpWithPeers()
        let base = try XCTUnwrap(first.cardBase(of: id))
        try second.saveCard(id: id, recipient: secret("Bob"), description: secret("theirs"),
                            cardPassword: secret("their pw"), kdf: cardKDF)
        let saved = try first.saveCard(id: id, recipient: secret("Bob"), description: secret("mine"),
                                       cardPassword: secret("card pw"), kdf: cardKDF, since: base)
        XCTAssertEqual(saved.outcome, .keptAsCopy)
        XCTAssertNotEqual(saved.id, id)
        XCTAssertEqual(recipients(first), ["Bob", "Bob (conflict 2)"])
        XCTAssertEqual(try description(first, id, "their pw"), "theirs")
        XCTAssertEqual(try description(first, saved.id, "card pw"), "mine")
        try second.catchUpWithPeers()
        XCTAssertEqual(try description(second, saved.id, "card pw"), "mine")
    }

    func testACardSavedOverItsOwnLastVersionReplacesIt() throws {
        let (first, second) = try twoSessions()
        let id = try first.saveCard(id: nil, recipient: secret("Bob"), description: secret("old"),
                                    cardPassword: secret("card pw"), kdf: cardKDF)
        try second.catchUpWithPeers()
        try second.addTask(secret("unrelated"))
        let base = try XCTUnwrap(first.cardBase(of: id))
        let saved = try first.saveCard(id: id, recipient: secret("Bobby"), description: secret("new"),
                                       cardPassword: secret("card pw"), kdf: cardKDF, since: base)
        XCTAssertEqual(saved.outcome, .saved)
        XCTAssertEqual(saved.id, id)
        XCTAssertEqual(recipients(first), ["Bobby"])
        XCTAssertEqual(try description(first, id, "card pw"), "new")
    }

    func testACardTheOtherWriterDeletedComesBackAsANewOne() throws {
        let (first, second) = try twoSessions()
        let id = try first.saveCard(id: nil, recipient: secret("Bob"), description: secret("old"),
                                    cardPassword: secret("card pw"), kdf: cardKDF)
        try second.catchUpWithPeers()
        let base = try XCTUnwrap(first.cardBase(of: id))
        try second.deleteCard(id)
        let saved = try first.saveCard(id: id, recipient: secret("Bob"), description: secret("kept"),
                                       cardPassword: secret("card pw"), kdf: cardKDF, since: base)
        XCTAssertEqual(saved.outcome, .restored)
        XCTAssertEqual(recipients(first), ["Bob"])
        XCTAssertEqual(try description(first, saved.id, "card pw"), "kept")
    }

    func testDeletingACardTheOtherWriterChangedKeepsTheChange() throws {
        let (first, second) = try twoSessions()
        let id = try first.saveCard(id: nil, recipient: secret("Bob"), description: secret("old"),
                                    cardPassword: secret("card pw"), kdf: cardKDF)
        try second.catchUpWithPeers()
        let base = try XCTUnwrap(first.cardBase(of: id))
        try second.saveCard(id: id, recipient: secret("Bob"), description: secret("theirs"),
                            cardPassword: secret("card pw"), kdf: cardKDF)
        XCTAssertFalse(try first.deleteCard(since: base))
        XCTAssertEqual(try description(first, id, "card pw"), "theirs")
    }
}
