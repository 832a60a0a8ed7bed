@testable import OnionsCore
import OnionsCrypto
import XCTest

/// Every task and card is one small and one large record like an onion (FORMAT.md section 5):
/// its companion is written, checked and deleted with it.
final class CompanionRecordTests: VaultTestCase {
    /// Live records of `session`'s vault per sealed length: small, large.
    private func classCounts(_ session: Session) throws -> [Int] {
        let live = try store.changes(vault: session.vault, since: 0).filter { !$0.deleted }
        return [SealedLength.small, SealedLength.large].map { length in live.filter { $0.blob.count == length }.count }
    }

    func testATaskAndACardAreEachOneSmallAndOneLargeRecordLikeAnOnion() throws {
        let session = try signUp()
        let empty = try classCounts(session)
        XCTAssertEqual(empty, [SaveShape.smallPuts + 1, SaveShape.largePuts], "sign-up's fillers and the task counter")
        try saveOnion(session, title: "onion", info: "text")
        XCTAssertEqual(try classCounts(session), [empty[0] + 1, empty[1] + 1])
        let task = try session.addTask(secret("task"))
        XCTAssertEqual(try classCounts(session), [empty[0] + 2, empty[1] + 2])
        let card = try saveCard(session, to: "card", description: "text", password: "card pass")
        XCTAssertEqual(try classCounts(session), [empty[0] + 3, empty[1] + 3])
        XCTAssertNotNil(session.manifest.entries[.taskBody(task)])
        XCTAssertNotNil(session.manifest.entries[.cardHead(card)])

        // An edit writes both records again, at the save's counter (not one above the version
        // they had: a version tells nothing of how often an item was saved); a delete removes both.
        let bodyVersion = try XCTUnwrap(session.manifest.entries[.taskBody(task)]).version
        try session.setTask(task, done: true)
        XCTAssertEqual(session.manifest.entries[.taskBody(task)]?.version, session.manifest.counter)
        XCTAssertEqual(session.manifest.entries[.task(task)]?.version, session.manifest.counter)
        XCTAssertGreaterThan(session.manifest.counter, bodyVersion + 1)
        try session.deleteTask(task)
        try session.deleteCard(card)
        XCTAssertNotNil(session.manifest.tombstones[.taskBody(task)])
        XCTAssertNotNil(session.manifest.tombstones[.cardHead(card)])
        XCTAssertEqual(try classCounts(session), [empty[0] + 1, empty[1] + 1])
        session.lock()
        let reopened = try logIn()
        XCTAssertEqual(reopened.issues, [])
        XCTAssertEqual(titles(reopened), ["onion"])
        XCTAssertTrue(reopened.tasks.isEmpty && reopened.cards.isEmpty)
    }

    func testAMissingCompanionIsReportedByItsItemsName() throws {
        let session = try signUp()
        let task = try session.addTask(secret("buy milk"))
        let card = try saveCard(session, to: "Alice", description: "a scarf", password: "card pass")
        let names = [session.keys.name(.taskBody(task)), session.keys.name(.cardHead(card))]
        let vault = session.vault
        session.lock()
        for name in names { store.erase(vault: vault, name: name) }
        let reopened = try logIn()
        let missing = reopened.issues.filter { $0.kind == .missing }.map(\.label).sorted()
        XCTAssertEqual(missing.count, 2, "\(reopened.issues)")
        XCTAssertTrue(missing.contains { $0.contains("buy milk") }, "\(missing)")
        XCTAssertTrue(missing.contains { $0.contains("Alice") }, "\(missing)")
    }
}
