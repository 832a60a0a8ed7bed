@testable import OnionsCore
import OnionsCrypto
import XCTest

/// Tasks take the lowest free id, give it back on delete, and keep text and done state.
final class TaskTests: VaultTestCase {
    func testTasksTakeIdsFromZeroUpward() throws {
        let session = try signUp()
        XCTAssertEqual(try session.addTask(secret("one")), 0)
        XCTAssertEqual(try session.addTask(secret("two")), 1)
        XCTAssertEqual(try session.addTask(secret("three")), 2)
        XCTAssertEqual(taskTexts(session), [0: "one", 1: "two", 2: "three"])
    }

    func testADeletedIdIsReusedByTheNextTask() throws {
        let session = try signUp()
        for text in ["a", "b", "c", "d"] { try session.addTask(secret(text)) }
        try session.deleteTask(1)
        try session.deleteTask(2)
        XCTAssertEqual(try session.addTask(secret("e")), 1)
        XCTAssertEqual(try session.addTask(secret("f")), 2)
        XCTAssertEqual(try session.addTask(secret("g")), 4)
        XCTAssertEqual(session.tasks.map(\.id), [0, 1, 2, 3, 4])
    }

    func testTheLowestFreeIdIsFoundAgainAfterLogIn() throws {
        let session = try signUp()
        for text in ["a", "b", "c"] { try session.addTask(secret(text)) }
        try session.deleteTask(0)
        session.lock()
        let reopened = try logIn()
        XCTAssertEqual(taskTexts(reopened), [1: "b", 2: "c"])
        XCTAssertEqual(try reopened.addTask(secret("z")), 0)
        XCTAssertEqual(try reopened.addTask(secret("y")), 3)
        XCTAssertEqual(taskTexts(try logIn()), [0: "z", 1: "b", 2: "c", 3: "y"])
    }

    func testDeletingTheHighestTaskFreesItsId() throws {
        let session = try signUp()
        for text in ["a", "b", "c"] { try session.addTask(secret(text)) }
        try session.deleteTask(2)
        try session.deleteTask(1)
        let reopened = try logIn()
        XCTAssertEqual(try reopened.addTask(secret("again")), 1)
        try reopened.deleteTask(0)
        try reopened.deleteTask(1)
        XCTAssertTrue(try logIn().tasks.isEmpty)
        XCTAssertEqual(try logIn().addTask(secret("first again")), 0)
    }

    func testDoneStateAndEditedTextSurviveLogIn() throws {
        let session = try signUp()
        try session.addTask(secret("buy milk"))
        try session.addTask(secret("call mum"))
        try session.setTask(0, done: true)
        try session.editTask(1, text: secret("call mum \u{260E}"))
        let reopened = try logIn()
        XCTAssertEqual(reopened.tasks.map(\.done), [true, false])
        XCTAssertEqual(taskTexts(reopened), [0: "buy milk", 1: "call mum \u{260E}"])
        try reopened.setTask(0, done: false)
        XCTAssertEqual(try logIn().tasks.map(\.done), [false, false])
    }

    func testUnknownTaskIdsAreRefused() throws {
        let session = try signUp()
        try session.addTask(secret("only"))
        assertThrows(.noSuchItem("task 7")) { try session.setTask(7, done: true) }
        assertThrows(.noSuchItem("task 7")) { try session.editTask(7, text: secret("x")) }
        assertThrows(.noSuchItem("task 7")) { try session.deleteTask(7) }
    }

    /// A task's add writes the task and the manifest in one batch, and not the task counter: a
    /// name only a task's add wrote would tell a server which saves added tasks. Nor does a delete.
    func testAddingATaskWritesTheTaskAndTheManifestInOneBatchButNotTheCounter() throws {
        let session = try signUp()
        let written = try recordsWritten(of: session) { try session.addTask(secret("one")) }
        XCTAssertEqual(written.count, 5, "the task, two parts, the root and the head record")
        XCTAssertEqual(written.filter { $0.blob.count == SealedLength.small }.count, 1, "the task")
        XCTAssertEqual(written.filter { SealedLength.isManifest($0.blob) }.count, 3,
                       "the two parts of the manifest the counter names (every save writes two) and the root")
        let second = try recordsWritten(of: session) { try session.addTask(secret("two")) }
        let deleted = try recordsWritten(of: session) { try session.deleteTask(0) }
        for batch in [written, second, deleted] {
            XCTAssertFalse(batch.contains { $0.name == session.keys.name(.taskCounter) }, "the counter was written")
        }
        let shared = Set(written.map(\.name)).intersection(second.map(\.name))
        XCTAssertTrue(shared.contains(session.keys.name(.manifest)), "the root is rewritten")
        XCTAssertFalse(shared.contains(session.keys.name(.task(0))))
        XCTAssertFalse(shared.contains(session.keys.name(.task(1))))
    }
}
