import OnionsCore
import OnionsCrypto
import XCTest

/// The order, the pins and the task order a session saves in the vault and shows in its snapshots.
final class ListOrderTests: VaultTestCase {
    private func snapshotTitles(_ session: Session) -> [String] {
        let snapshot = session.snapshot()
        defer { snapshot.wipe() }
        return snapshot.onions.map { snapshot.title($0) }
    }

    func testTheOrderAndThePinsAreSavedInTheVaultAndReadAtTheNextLogIn() throws {
        let session = try signUp()
        try saveOnion(session, title: "banana")
        let apple = try saveOnion(session, title: "Apple")
        try saveOnion(session, title: "cherry")
        XCTAssertEqual(snapshotTitles(session), ["cherry", "Apple", "banana"])
        try session.setListOrder(.title)
        XCTAssertEqual(snapshotTitles(session), ["Apple", "banana", "cherry"])
        try session.setPinned(try XCTUnwrap(onion(session, titled: "cherry")).id, true)
        XCTAssertEqual(snapshotTitles(session), ["cherry", "Apple", "banana"])
        session.lock()

        let again = try logIn()
        XCTAssertEqual(again.issues, [])
        XCTAssertEqual(again.settings.order, .title)
        XCTAssertEqual(snapshotTitles(again), ["cherry", "Apple", "banana"])
        try again.setPinned(apple, true)
        try again.setPinned(try XCTUnwrap(onion(again, titled: "cherry")).id, false)
        XCTAssertEqual(snapshotTitles(again), ["Apple", "banana", "cherry"])
    }

    func testTheSettingsRecordIsOfTheLargeClassLikeAnInfo() throws {
        let session = try signUp()
        let written = try recordsWritten(of: session) { try session.setListOrder(.created) }
        XCTAssertEqual(written.filter { $0.blob.count == 8_478 }.count, 1,
                       "\(written.map(\.blob.count))")
    }

    func testAPinOfAnItemNotInTheVaultIsRefused() throws {
        let session = try signUp()
        XCTAssertThrowsError(try session.setPinned(ItemID.random(), true))
    }

    func testMovingATaskKeepsTheNewOrderAcrossLogIns() throws {
        let session = try signUp()
        for text in ["first", "second", "third"] { try session.addTask(secret(text)) }
        try session.moveTask(2, by: -1)
        try session.moveTask(2, by: -1)
        try session.moveTask(0, by: 5)
        XCTAssertEqual(session.orderedTasks.map(\.id), [2, 1, 0])
        session.lock()
        let again = try logIn()
        let snapshot = again.snapshot()
        defer { snapshot.wipe() }
        XCTAssertEqual(snapshot.tasks.map { snapshot.texts.string($0.text) }, ["third", "second", "first"])
    }

    func testMovingATaskAmongTheShownOnesSkipsTheHiddenOnes() throws {
        let session = try signUp()
        for text in ["a", "b", "c"] { try session.addTask(secret(text)) }
        try session.moveTask(2, by: -1, among: [0, 2])  // task 1 hidden: 2 goes above 0
        XCTAssertEqual(session.orderedTasks.map(\.id), [2, 0, 1])
    }

    func testANewTaskUnderTheNumberOfADeletedOneDoesNotTakeItsPlace() throws {
        let session = try signUp()
        for text in ["a", "b", "c"] { try session.addTask(secret(text)) }
        try session.moveTask(2, by: -2)
        XCTAssertEqual(session.orderedTasks.map(\.id), [2, 0, 1])
        try session.deleteTask(2)
        XCTAssertEqual(try session.addTask(secret("d")), 2)
        XCTAssertEqual(session.orderedTasks.map(\.id), [0, 1, 2])
    }
}
