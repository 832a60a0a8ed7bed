import OnionsCore
import XCTest

final class ChangeTimeTests: XCTestCase {
    func testTimesReadAsUTCDateAndMinute() {
        XCTAssertEqual(ChangeTime.text(1), "1970-01-01 00:00 UTC")
        XCTAssertEqual(ChangeTime.text(1_763_647_320_000), "2025-11-20 14:02 UTC")
        XCTAssertEqual(ChangeTime.text(951_782_400_000), "2000-02-29 00:00 UTC", "a leap day")
        XCTAssertEqual(ChangeTime.text(4_102_444_799_000), "2099-12-31 23:59 UTC")
    }

    func testAnUnknownTimeHasNoText() {
        XCTAssertNil(ChangeTime.text(0))
    }
}
