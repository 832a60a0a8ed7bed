import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

/// Versions and the trash in this machine's store (FORMAT.md "Versions and trash").
final class VersionsAndTrashTests: SQLiteStoreTestCase {
    let kdf = ScryptParameters(logN: 10, r: 8, p: 1)
    var state: String { directory.appendingPathComponent("state").path }

    private func secret(_ text: String) -> SecretBytes { SecretBytes(copying: Array(text.utf8)) }
    private func text(_ bytes: SecretBytes) -> String { bytes.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }

    private func signUp() throws -> Session {
        try Session.signUp(store: try openStore(), username: "ada", password: secret("pw 1"), kdf: kdf, stateDirectory: state)
    }

    private func logIn() throws -> Session {
        try Session.logIn(store: try openStore(), username: "ada", password: secret("pw 1"), stateDirectory: state)
    }

    private func info(_ session: Session, _ id: ItemID) throws -> String {
        let info = try session.info(of: id)
        defer { info.wipe() }
        return text(info)
    }

    private func versionTexts(_ session: Session, _ item: ItemRef) throws -> [String] {
        try session.versions(of: item).map { version in
            let texts = try session.texts(of: version, of: item)
            defer { texts.wipe() }
            return text(texts.name) + ":" + text(texts.info)
        }
    }

    /// The rows of the SQLite file: kept versions, and every byte of the file.
    private func keptRows() throws -> Int64 {
        let store = try openStore()
        return try store.connection.integer("SELECT count(*) FROM record_history") ?? -1
    }

    func testAnOnionEditedThreeTimesHasFourVersionsAndTheFirstComesBackAsTheFifth() throws {
        let session = try signUp()
        let id = try session.saveOnion(id: nil, title: secret("Bank"), info: secret("one"))
        for info in ["two", "three", "four"] { try session.saveOnion(id: id, title: secret("Bank"), info: secret(info)) }
        let versions = try session.versions(of: .onion(id))
        XCTAssertEqual(versions.map(\.number), [1, 2, 3, 4])
        XCTAssertEqual(versions.map(\.isCurrent), [false, false, false, true])
        XCTAssertEqual(try versionTexts(session, .onion(id)), ["Bank:one", "Bank:two", "Bank:three", "Bank:four"])
        XCTAssertTrue(versions.allSatisfy { $0.machine == session.thisMachine })
        XCTAssertEqual(versions.compactMap(\.commit), versions.compactMap(\.commit).sorted())

        try session.restore(versions[0], of: .onion(id))
        XCTAssertEqual(try info(session, id), "one")
        XCTAssertEqual(try session.versions(of: .onion(id)).count, 5, "a restore is a new version; nothing is overwritten")
        session.lock()
        // A fresh process sees the same versions.
        let again = try logIn()
        XCTAssertEqual(try versionTexts(again, .onion(id)).last, "Bank:one")
    }

    func testTitleOnlyChangesPairWithTheInfoOfTheirTime() throws {
        let session = try signUp()
        let id = try session.saveOnion(id: nil, title: secret("A"), info: secret("first"))
        try session.moveOnion(id, folder: secret("web"))
        try session.saveOnion(id: id, title: secret("B"), info: secret("second"))
        XCTAssertEqual(try versionTexts(session, .onion(id)), ["A:first", "A:first", "B:second"])
    }

    func testDeletedOnionsCardsAndTasksGoToTheTrashAndComeBack() throws {
        let session = try signUp()
        let onion = try session.saveOnion(id: nil, title: secret("Bank"), info: secret("pin 1234"))
        let card = try session.saveCard(id: nil, recipient: secret("Mom"), description: secret("gift code"),
                                        cardPassword: secret("card password 9"), kdf: kdf)
        let task = try session.addTask(secret("buy milk"))
        try session.deleteOnion(onion)
        try session.deleteCard(card)
        try session.deleteTask(task)
        XCTAssertTrue(session.onions.isEmpty && session.cards.isEmpty && session.tasks.isEmpty)

        let trash = try session.trash()
        XCTAssertEqual(Set(trash.map { $0.item.kind }), ["onion", "card", "task"])
        XCTAssertEqual(Set(trash.map { session.texts.string($0.label) }), ["Bank", "Mom", "buy milk"])
        for entry in trash { try session.restoreFromTrash(entry) }
        session.forget(trash)
        XCTAssertEqual(try info(session, onion), "pin 1234")
        let opened = try session.openCard(card, password: secret("card password 9"))
        XCTAssertEqual(text(opened), "gift code")
        XCTAssertEqual(session.tasks.map { session.texts.string($0.text) }, ["buy milk"])
        XCTAssertTrue(try session.trash().isEmpty)
    }

    func testUndoBringsBackTheLastDeleteOnly() throws {
        let session = try signUp()
        let a = try session.saveOnion(id: nil, title: secret("A"), info: secret("a"))
        let b = try session.saveOnion(id: nil, title: secret("B"), info: secret("b"))
        try session.deleteOnion(a)
        try session.deleteOnion(b)
        XCTAssertEqual(try session.undoDelete(), .onion(b))
        XCTAssertEqual(session.onions.map(\.id), [b])
        XCTAssertNil(try session.undoDelete(), "one undo per delete")
    }

    func testATaskWhoseNumberWasGivenOutAgainComesBackUnderANewOneAndTheOtherStays() throws {
        let session = try signUp()
        let first = try session.addTask(secret("buy milk"))
        try session.deleteTask(first)
        let second = try session.addTask(secret("call mom"))
        XCTAssertEqual(first, second, "the number is given out again")
        let trash = try session.trash()
        XCTAssertEqual(trash.map { session.texts.string($0.label) }, ["buy milk"])
        try session.restoreFromTrash(trash[0])
        session.forget(trash)
        XCTAssertEqual(session.tasks.map { session.texts.string($0.text) }.sorted(), ["buy milk", "call mom"])
        XCTAssertEqual(try versionTexts(session, .task(second)), ["call mom:"], "the old task is not a version of the new")
    }

    func testPurgeRemovesTheKeptBytesFromTheFile() throws {
        let session = try signUp()
        let marker = "purge-marker-" + UUID().uuidString
        let id = try session.saveOnion(id: nil, title: secret("Gone"), info: secret(marker))
        try session.saveOnion(id: id, title: secret("Gone"), info: secret("second"))
        try session.deleteOnion(id)
        XCTAssertGreaterThan(try keptRows(), 0)
        let trash = try session.trash()
        XCTAssertEqual(trash.count, 1)
        let removed = try session.purge(trash)
        session.forget(trash)
        XCTAssertGreaterThanOrEqual(removed, 3, "two title versions and two info versions (one kept as the tombstone's predecessor)")
        XCTAssertEqual(try keptRows(), 0)
        XCTAssertTrue(try session.trash().isEmpty)
        XCTAssertTrue(try session.versions(of: .onion(id)).isEmpty)
        // The purge is sealed in the chain: the newest commit names what it released.
        let chain = try XCTUnwrap(session.chain)
        let head = try XCTUnwrap(chain.head)
        let commit = try XCTUnwrap(chain.graph[head.hash])
        XCTAssertEqual(Set(commit.releases), Set([session.keys.name(.onionTitle(id)), session.keys.name(.onionInfo(id))]))
    }

    func testItemsPastTheirRetentionGoAtTheNextSave() throws {
        var session = try signUp()
        let id = try session.saveOnion(id: nil, title: secret("Old"), info: secret("v1"))
        try session.saveOnion(id: id, title: secret("Old"), info: secret("v2"))
        try session.saveOnion(id: id, title: secret("Old"), info: secret("v3"))
        try session.setRetention(Retention(versions: 2, days: 0, trashDays: 30))
        let gone = try session.saveOnion(id: nil, title: secret("Deleted"), info: secret("x"))
        try session.deleteOnion(gone)
        session.lock()
        // Age every kept row and the tombstone by 31 days, as if this machine held them that long.
        let store = try openStore()
        try store.connection.execute("UPDATE record_history SET held_at = held_at - 31 * 86400000")
        try store.connection.execute("UPDATE records SET held_at = held_at - 31 * 86400000 WHERE deleted = 1")
        session = try logIn()
        XCTAssertEqual(try session.trash().count, 1, "nothing goes before a save")
        try session.addTask(secret("any save"))
        XCTAssertTrue(try session.trash().isEmpty, "the delete older than the trash's 30 days went")
        XCTAssertEqual(try versionTexts(session, .onion(id)), ["Old:v2", "Old:v3"], "two versions kept: the current and one")
    }

    func testRetentionIsASealedSettingThatSurvivesALogIn() throws {
        let session = try signUp()
        try session.setRetention(Retention(versions: 5, days: 7, trashDays: 3))
        session.lock()
        XCTAssertEqual(try logIn().settings.retention, Retention(versions: 5, days: 7, trashDays: 3))
    }

    func testFillersCountersAndSettingsKeepNoVersions() throws {
        let session = try signUp()
        let id = try session.saveOnion(id: nil, title: secret("A"), info: secret("a"))
        let before = try keptRows()
        for i in 0..<5 { try session.saveOnion(id: id, title: secret("A"), info: secret("a\(i)")) }
        // Five saves of one onion keep its five replaced title and info rows, nothing else.
        XCTAssertEqual(try keptRows() - before, 10)
    }
}
