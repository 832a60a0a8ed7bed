import TerminalUI
import XCTest

/// A paste keeps text, tabs and line ends; every other control character is left out and counted.
final class PasteTests: XCTestCase {
    func testLineEndsBecomeOneNewlineEach() {
        let paste = Paste("a\r\nb\rc\nd")
        XCTAssertEqual(String(String.UnicodeScalarView(paste.scalars)), "a\nb\nc\nd")
        XCTAssertEqual(paste.leftOut, 0)
    }

    func testControlsAreLeftOutAndCounted() {
        let paste = Paste("x\u{1b}[201~\u{7}\t\u{9b}\u{7f}y")
        XCTAssertEqual(String(String.UnicodeScalarView(paste.scalars)), "x[201~\ty")
        XCTAssertEqual(paste.leftOut, 4)
    }

    func testATabIsKeptAsATab() {
        let paste = Paste("host:\tdb1")
        XCTAssertEqual(String(String.UnicodeScalarView(paste.scalars)), "host:\tdb1")
        XCTAssertEqual(paste.leftOut, 0)
        XCTAssertEqual(paste.tabCount, 1)
    }

    func testAnOverlongPasteIsMarked() {
        let paste = Paste(String(repeating: "a", count: Paste.maximumScalars + 1))
        XCTAssertTrue(paste.overflowed)
        XCTAssertEqual(paste.scalars.count, Paste.maximumScalars)
    }

    func testWipeEmptiesIt() {
        var paste = Paste("secret\t")
        paste.wipe()
        XCTAssertTrue(paste.isEmpty)
        XCTAssertEqual(paste.leftOut, 0)
    }
}
