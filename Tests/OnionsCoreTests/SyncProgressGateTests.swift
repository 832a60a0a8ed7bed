import OnionsCore
import XCTest

/// A long copy's progress shows once it has taken a second, then every tenth of a second at
/// most, and at its end; a short one shows nothing.
final class SyncProgressGateTests: XCTestCase {
    func testNothingBeforeASecondThenRecordsOfTotal() {
        var gate = SyncProgressGate()
        XCTAssertNil(gate.sentence(SyncProgress(done: 0, total: 20_514, sending: false), now: 10))
        XCTAssertNil(gate.sentence(SyncProgress(done: 256, total: 20_514, sending: false), now: 10.9))
        XCTAssertEqual(gate.sentence(SyncProgress(done: 2_048, total: 20_514, sending: false), now: 11.0),
                       "Receiving from the server: 2,048 of 20,514 records")
        XCTAssertNil(gate.sentence(SyncProgress(done: 2_304, total: 20_514, sending: false), now: 11.05))
        XCTAssertNotNil(gate.sentence(SyncProgress(done: 2_560, total: 20_514, sending: false), now: 11.2))
        XCTAssertEqual(gate.sentence(SyncProgress(done: 20_514, total: 20_514, sending: false), now: 11.21),
                       "Receiving from the server: 20,514 of 20,514 records")
    }

    func testAShortCopyShowsNothingAndANewCopyStartsTheClockAgain() {
        var gate = SyncProgressGate()
        XCTAssertNil(gate.sentence(SyncProgress(done: 0, total: 600, sending: true), now: 5))
        XCTAssertNil(gate.sentence(SyncProgress(done: 600, total: 600, sending: true), now: 5.5))
        XCTAssertNil(gate.sentence(SyncProgress(done: 0, total: 600, sending: true), now: 7))
        XCTAssertNil(gate.sentence(SyncProgress(done: 256, total: 600, sending: true), now: 7.5))
        XCTAssertEqual(gate.sentence(SyncProgress(done: 512, total: 600, sending: true), now: 8.1),
                       "Sending to the server: 512 of 600 records")
    }
}
