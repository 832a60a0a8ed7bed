import TerminalUI
import XCTest

/// The read-only view: wrapping, scrolling, and highlights drawn over whole graphemes.
final class TextViewTests: XCTestCase {
    func testHighlightsAreDrawnInTheirStyleAcrossWrappedRows() {
        let view = TextView(Array("red onion, white onion"), width: 12, height: 3)
        var canvas = Canvas(width: 12, height: 3)
        let mark = Style.plain.reversed()
        view.render(in: canvas.bounds, on: &canvas, highlights: [4..<9, 17..<22], highlightStyle: mark)
        assertScreen(canvas, ["red onion,", "white onion", ""])
        let marked = (0..<2).map { y in String((0..<12).map { x in canvas[x: x, y: y].style == mark ? "^" : " " }) }
        XCTAssertEqual(marked, ["    ^^^^^   ", "      ^^^^^ "])
    }

    func testByteRangesBecomeWholeGraphemes() {
        let text = Array("a家e\u{301}b")
        // Bytes: a(0) 家(1..<4) é(4..<7) b(7).
        XCTAssertEqual(TextView.graphemeRanges(ofByteRanges: [1..<4, 5..<7], in: text), [1..<2, 2..<3])
        XCTAssertEqual(TextView.graphemeRanges(ofByteRanges: [0..<5], in: text), [0..<3])
        XCTAssertEqual(TextView.graphemeRanges(ofByteRanges: [7..<8], in: text), [3..<4])
    }

    func testScrollingStaysInsideTheText() {
        var view = TextView(Array((1...10).map { "row \($0)" }.joined(separator: "\n")), width: 10, height: 4)
        XCTAssertEqual(view.lineCount, 10)
        XCTAssertTrue(view.scroll(by: 100))
        XCTAssertEqual(view.top, 6)
        XCTAssertFalse(view.scroll(by: 1))
        view.reveal(0)
        XCTAssertEqual(view.top, 0)
        view.reveal(view.characters.count - 1)
        XCTAssertEqual(view.top, 6)
    }
}
