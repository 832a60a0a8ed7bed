import OnionsCore
import OnionsCrypto
import XCTest

/// A save is committed here and nothing more: it never reaches for the server, which may be
/// slow or away. What it leaves for the server goes with `pushPending`, a step of its own.
final class SaveWithoutNetworkTests: MemorySyncTestCase {
    func testSavesCallNoServerAndPushPendingSendsThemInOneRound() throws {
        let (onA, onB) = try twoMachines()
        let before = server.calls
        let id = try onA.saveOnion(id: nil, title: secret("Groceries"), info: secret("milk\n"))
        _ = try onA.addTask(secret("call mom"))
        try onA.setPinned(id, true)
        try onA.saveDraft(Draft(target: nil, title: secret("half"), info: secret("written")))
        XCTAssertEqual(server.calls, before, "a save reaches for no server")
        XCTAssertTrue(onA.hasPendingPush)
        XCTAssertFalse(onB.pollRemote(timeoutMs: 0), "nothing was sent yet")

        let report = try XCTUnwrap(onA.pushPending())
        XCTAssertNil(report.offline)
        XCTAssertGreaterThan(report.pushed, 0)
        XCTAssertGreaterThan(server.calls, before)
        XCTAssertFalse(onA.hasPendingPush)
        XCTAssertNil(onA.pushPending(), "nothing is left to send")
        XCTAssertTrue(onB.pollRemote(timeoutMs: 0), "B is told of A's saves")
        try onB.syncNow()
        XCTAssertEqual(try onions(onB), ["Groceries: milk\n"])
        XCTAssertEqual(tasks(onB), ["0 call mom"])
    }

    func testASaveWhileTheServerIsAwayTriesNothingAndKeepsThePushPending() throws {
        let (onA, onB) = try twoMachines()
        server.setReachable(false, a.name)
        let before = server.calls
        _ = try onA.saveOnion(id: nil, title: secret("Groceries"), info: secret("milk\n"))
        XCTAssertEqual(server.calls, before, "not even a connection is tried")
        XCTAssertEqual(try onions(onA), ["Groceries: milk\n"], "the save is kept here")

        XCTAssertNotNil(try XCTUnwrap(onA.pushPending()).offline)
        XCTAssertTrue(onA.hasPendingPush, "still to send")
        server.setReachable(true, a.name)
        XCTAssertNil(try XCTUnwrap(onA.pushPending()).offline)
        XCTAssertFalse(onA.hasPendingPush)
        try onB.syncNow()
        XCTAssertEqual(try onions(onB), ["Groceries: milk\n"])
    }
}
