import TerminalUI
import XCTest

final class CanvasTests: XCTestCase {
    func testTextIsClippedAtTheRightEdge() {
        var canvas = Canvas(width: 5, height: 2)
        let used = canvas.put("onions", x: 1, y: 0)
        XCTAssertEqual(used, 4)
        assertScreen(canvas, [" onio", ""])
    }

    func testWideCharacterThatDoesNotFitIsNotHalfDrawn() {
        var canvas = Canvas(width: 5, height: 1)
        let used = canvas.put("ab家族", x: 0, y: 0)
        XCTAssertEqual(used, 4)
        assertScreen(canvas.lines(trimmingTrailingSpaces: false), ["ab家 "])
        XCTAssertTrue(canvas[x: 3, y: 0].isContinuation)
        XCTAssertEqual(canvas[x: 4, y: 0], .blank)
    }

    func testMaxWidthClipsByDisplayWidth() {
        var canvas = Canvas(width: 10, height: 1)
        canvas.put("家族です", x: 0, y: 0, maxWidth: 5)
        assertScreen(canvas, ["家族"])
    }

    func testOverwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.put("家族", x: 0, y: 0)
        canvas.put("x", x: 1, y: 0)
        assertScreen(canvas, [" x族"])
        canvas.put("y", x: 2, y: 0)
        assertScreen(canvas, [" xy"])
        XCTAssertFalse(canvas[x: 3, y: 0].isContinuation)
    }

    func testCombiningClusterStaysInOneCell() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.put("e\u{301}x", x: 0, y: 0)
        XCTAssertEqual(canvas[x: 0, y: 0].character, "e\u{301}")
        XCTAssertEqual(canvas[x: 1, y: 0].character, "x")
    }

    func testChangesReportOnlyDifferingCells() {
        var old = Canvas(width: 4, height: 2)
        old.put("abcd", x: 0, y: 0)
        var new = old
        new.put("X", x: 2, y: 0)
        new.put("家", x: 0, y: 1)
        let changes = new.changes(from: old)
        XCTAssertEqual(changes.map { Point(x: $0.x, y: $0.y) },
                       [Point(x: 2, y: 0), Point(x: 0, y: 1), Point(x: 1, y: 1)])
        XCTAssertEqual(changes[0].cell.character, "X")
        XCTAssertTrue(changes[2].cell.isContinuation)
        XCTAssertTrue(new.changes(from: new).isEmpty)
    }

    func testChangesAfterAResizeCoverEveryCell() {
        let old = Canvas(width: 2, height: 2)
        let new = Canvas(width: 3, height: 2)
        XCTAssertEqual(new.changes(from: old).count, 6)
    }

    func testStyleChangeAloneIsAChange() {
        var old = Canvas(width: 2, height: 1)
        old.put("ab", x: 0, y: 0)
        var new = old
        new.restyle(Rect(x: 1, y: 0, width: 1, height: 1), style: Style.plain.reversed())
        XCTAssertEqual(new.changes(from: old).map(\.x), [1])
    }

    func testBoxWithTitleAndFill() {
        var canvas = Canvas(width: 10, height: 4)
        canvas.fill(canvas.bounds, with: ".")
        let inside = canvas.drawBox(Rect(x: 1, y: 0, width: 8, height: 4), title: "Hi")
        XCTAssertEqual(inside, Rect(x: 2, y: 1, width: 6, height: 2))
        assertScreen(canvas, [
            ".┌ Hi ──┐.",
            ".│......│.",
            ".│......│.",
            ".└──────┘.",
        ])
    }

    func testClearBlanksEveryCell() {
        var canvas = Canvas(width: 3, height: 2)
        canvas.put("abc", x: 0, y: 0)
        canvas.put("家", x: 0, y: 1)
        canvas.clear()
        XCTAssertEqual(canvas, Canvas(width: 3, height: 2))
    }

    func testDrawingOutsideTheGridIsIgnored() {
        var canvas = Canvas(width: 3, height: 1)
        XCTAssertEqual(canvas.put("abc", x: 0, y: 5), 0)
        canvas.put("xyz", x: -1, y: 0)
        canvas.fill(Rect(x: -5, y: -5, width: 2, height: 2), with: "#")
        assertScreen(canvas, ["yz"])
    }
}
