import OnionsCore
import OnionsCrypto
import XCTest

/// A push after offline saves sends each record's last version only, in one write that skips
/// the versions the server never saw.
final class SyncPushAfterOfflineTests: MemorySyncTestCase {
    func testManyOfflineEditsOfOneOnionPushOneWritePerRecord() throws {
        let (onA, _) = try twoMachines { try self.save($0, "Groceries", "milk\n") }
        server.setReachable(false, a.name)
        for i in 1...20 { try edit(onA, "Groceries", info: "milk \(i)\n") }
        XCTAssertNotNil(try onA.syncNow().offline)
        server.setReachable(true, a.name)
        let before = server.store.applied.count
        XCTAssertNil(try onA.syncNow().offline)

        let pushed = Array(server.store.applied[before...])
        // Title, info, the five fillers every save's shape touches, the manifest parts the
        // counter's schedule named over the twenty saves (at most every part) and the
        // manifest's root: once each, not once per edit.
        XCTAssertEqual(Set(pushed.map(\.name)).count, pushed.count, "no record written twice")
        XCTAssertLessThanOrEqual(pushed.count, 7 + 16 + 1, "a small vault has 16 parts")
        XCTAssertGreaterThanOrEqual(pushed.map(\.newVersion).max() ?? 0, 21, "the info skipped to its 21st version")
        let reopened = try b.logIn("alice", "pw")
        XCTAssertEqual(reopened.issues, [])
        XCTAssertEqual(try info(reopened, "Groceries"), "milk 20\n")
    }
}
