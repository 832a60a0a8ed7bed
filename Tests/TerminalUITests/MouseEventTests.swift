import TerminalUI
import XCTest

/// SGR (1006) mouse reports decode to clicks and wheel turns; anything else is no report.
final class MouseEventTests: XCTestCase {
    private func report(_ body: String, _ final: Character = "M") -> MouseEvent? {
        MouseEvent(sgrBody: Array(body.utf8), final: final.asciiValue!)
    }

    func testPressReleaseAndWheel() {
        XCTAssertEqual(report("0;5;4"), MouseEvent(.press(.left), x: 4, y: 3))
        XCTAssertEqual(report("0;5;4", "m"), MouseEvent(.release(.left), x: 4, y: 3))
        XCTAssertEqual(report("2;1;1"), MouseEvent(.press(.right), x: 0, y: 0))
        XCTAssertEqual(report("64;10;2"), MouseEvent(.wheelUp, x: 9, y: 1))
        XCTAssertEqual(report("65;10;2"), MouseEvent(.wheelDown, x: 9, y: 1))
        // Shift, Alt and Ctrl held make no difference.
        XCTAssertEqual(report("16;3;3"), MouseEvent(.press(.left), x: 2, y: 2))
    }

    func testColumnsPast223Decode() {
        XCTAssertEqual(report("0;300;49"), MouseEvent(.press(.left), x: 299, y: 48))
    }

    func testAnythingElseIsNoReport() {
        for body in ["", "0;5", "0;5;4;1", "0;;4", "a;5;4", "0;0;4", "0;5;0", "32;5;4", "66;5;4", "0;123456;1",
                     "0;5;4 ", "-1;5;4", "0;5;4" + String(repeating: "0", count: 20)] {
            XCTAssertNil(report(body), body)
        }
        XCTAssertNil(report("0;5;4", "X"))
        XCTAssertNil(report("64;5;4", "m"), "a wheel has no release")
    }
}
