import OnionsCore
import XCTest

/// Every read a sync makes from the server happens inside a round the server was told of
/// (`RemoteStore.beginRound`, `endRound`), so that a server's answers in one round share one
/// read budget (PostgresStore) and cannot grow the client by being many.
final class SyncRoundTests: MemorySyncTestCase {
    func testEveryServerReadOfASyncIsInsideARound() throws {
        let (onA, onB) = try twoMachines { _ = try self.save($0, "Groceries", "milk\n") }
        _ = try save(onB, "Plans", "a trip\n")
        onB.pushPending()
        let roundsBefore = server.roundsBegun
        let outsideBefore = server.readsOutsideRounds
        let report = try onA.syncNow()
        XCTAssertEqual(report.refused, nil)
        XCTAssertEqual(titles(onA), ["Groceries", "Plans"], "the sync read B's onion")
        XCTAssertGreaterThan(server.roundsBegun, roundsBefore, "the sync began no round")
        XCTAssertEqual(server.readsOutsideRounds, outsideBefore, "the sync read the server outside a round")
    }
}
