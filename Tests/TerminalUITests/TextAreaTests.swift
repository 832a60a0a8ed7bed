import TerminalUI
import XCTest

final class TextAreaTests: XCTestCase {
    func testWrapsAtWordsByDisplayWidth() {
        let area = TextArea(Array("The quick brown fox jumps over the lazy dog"), width: 10, height: 6)
        var canvas = Canvas(width: 10, height: 6)
        area.render(in: canvas.bounds, on: &canvas)
        assertScreen(canvas, [
            "The quick",
            "brown fox",
            "jumps over",
            "the lazy",
            "dog",
            "",
        ])
    }

    func testBreaksWordsLongerThanARow() {
        let area = TextArea(Array("abcdefghijklmnop qr"), width: 6, height: 4)
        XCTAssertEqual(area.wrappedLines, ["abcdef", "ghijkl", "mnop ", "qr"])
    }

    func testWideCharactersWrapWithoutBeingSplit() {
        let area = TextArea(Array("家族と一緒に"), width: 5, height: 3)
        var canvas = Canvas(width: 5, height: 3)
        area.render(in: canvas.bounds, on: &canvas)
        assertScreen(canvas, ["家族", "と一", "緒に"])
    }

    func testNewlinesStartNewRowsAndKeepEmptyLines() {
        let area = TextArea(Array("one\n\ntwo three"), width: 6, height: 5)
        XCTAssertEqual(area.wrappedLines, ["one", "", "two ", "three"])
    }

    func testCursorAtTheEndOfAFullRowGetsARowOfItsOwn() {
        var area = TextArea(Array("abcdef"), width: 6, height: 3)
        _ = area.moveToEnd()
        XCTAssertEqual(area.cursorLocation, Point(x: 0, y: 1))
        var canvas = Canvas(width: 6, height: 3)
        XCTAssertEqual(area.render(in: canvas.bounds, on: &canvas), Point(x: 0, y: 1))
    }

    func testUpAndDownMoveByVisualRow() {
        var area = TextArea(Array("The quick brown fox"), width: 10, height: 4)
        XCTAssertEqual(area.moveDown(), .moved)
        XCTAssertEqual(area.cursor, 10)
        XCTAssertEqual(area.cursorLocation, Point(x: 0, y: 1))
        for _ in 0..<3 { _ = area.moveRight() }
        XCTAssertEqual(area.moveUp(), .moved)
        XCTAssertEqual(area.cursor, 3)
        XCTAssertEqual(area.moveDown(), .moved)
        XCTAssertEqual(area.cursor, 13)
        XCTAssertEqual(area.moveDown(), .moved, "down on the last row goes to the end")
        XCTAssertEqual(area.cursor, 19)
    }

    func testVerticalMovesKeepTheGoalColumnAcrossShortLines() {
        var area = TextArea(Array("abcdefgh\nab\nabcdefgh"), width: 20, height: 5)
        area.setCursor(6)
        _ = area.moveDown()
        XCTAssertEqual(area.cursorLocation, Point(x: 2, y: 1))
        _ = area.moveDown()
        XCTAssertEqual(area.cursorLocation, Point(x: 6, y: 2))
    }

    func testUpIntoASoftWrappedRowStopsBeforeItsEnd() {
        var area = TextArea(Array("abc defghij"), width: 8, height: 3)
        XCTAssertEqual(area.wrappedLines, ["abc ", "defghij"])
        _ = area.moveToEnd()
        XCTAssertEqual(area.cursorLocation, Point(x: 7, y: 1))
        _ = area.moveUp()
        XCTAssertEqual(area.cursor, 3, "index 4 would show at the start of the next row")
        XCTAssertEqual(area.cursorLocation, Point(x: 3, y: 0))
        _ = area.moveDown()
        XCTAssertEqual(area.cursor, 11, "the goal column survives the short row")
    }

    func testVerticalMovesCountWideCharactersByCells() {
        var area = TextArea(Array("家族と\nabcdef"), width: 20, height: 5)
        area.setCursor(2)
        _ = area.moveDown()
        XCTAssertEqual(area.cursorLocation, Point(x: 4, y: 1))
        _ = area.moveRight()
        _ = area.moveUp()
        XCTAssertEqual(area.cursor, 2, "column 5 falls inside と, so the cursor stays before it")
    }

    func testInfoStopsAcceptingCharactersAt2500() {
        var info = TextArea(limit: 2500, width: 40, height: 10)
        let pattern: [Character] = ["a", "家", "👍🏽", "e\u{301}", " ", "\n"]
        for index in 0..<2500 { XCTAssertEqual(info.insert(pattern[index % pattern.count]), .changed) }
        XCTAssertEqual(info.count, 2500)
        XCTAssertEqual(info.insert("b"), .refused)
        XCTAssertEqual(info.handle(.enter), .refused)
        XCTAssertEqual(info.insert(contentsOf: Array("pasted")), .refused)
        XCTAssertEqual(info.count, 2500)
        XCTAssertEqual(info.backspace(), .changed)
        XCTAssertEqual(info.insert("b"), .changed)
        XCTAssertEqual(info.characters.last, "b")
    }

    func testScrollFollowsTheCursorDownAndUp() {
        let text = (1...10).map(String.init).joined(separator: "\n")
        var area = TextArea(Array(text), width: 5, height: 3)
        for _ in 0..<5 { _ = area.moveDown() }
        XCTAssertEqual(area.scroll, 3)
        var canvas = Canvas(width: 5, height: 3)
        XCTAssertEqual(area.render(in: canvas.bounds, on: &canvas), Point(x: 0, y: 2))
        assertScreen(canvas, ["4", "5", "6"])
        XCTAssertEqual(area.pageDown(), .moved)
        XCTAssertEqual(area.cursorLocation.y, 7)
        XCTAssertEqual(area.pageUp(), .moved)
        XCTAssertEqual(area.pageUp(), .moved)
        XCTAssertEqual(area.pageUp(), .moved)
        XCTAssertEqual(area.cursorLocation.y, 1)
        XCTAssertEqual(area.scroll, 1)
    }

    func testTypingAtTheEndRewrapsTheLastRow() {
        var area = TextArea(width: 8, height: 3)
        for character in "hello world" { _ = area.insert(character) }
        XCTAssertEqual(area.wrappedLines, ["hello ", "world"])
        XCTAssertEqual(area.cursorLocation, Point(x: 5, y: 1))
        _ = area.handle(.enter)
        XCTAssertEqual(area.wrappedLines, ["hello ", "world", ""])
        XCTAssertEqual(area.cursorLocation, Point(x: 0, y: 2))
    }

    func testHomeAndEndWorkOnTheWholeLine() {
        var area = TextArea(Array("first\nsecond line here"), width: 8, height: 4)
        area.setCursor(15)
        _ = area.handle(.home)
        XCTAssertEqual(area.cursor, 6)
        _ = area.handle(.end)
        XCTAssertEqual(area.cursor, 22)
    }

    func testRenderAtAnotherWidthWrapsForThatWidth() {
        let area = TextArea(Array("aaa bbb ccc"), width: 80, height: 3)
        var canvas = Canvas(width: 4, height: 3)
        area.render(in: canvas.bounds, on: &canvas)
        assertScreen(canvas, ["aaa", "bbb", "ccc"])
    }

    func testNoRowIsWiderThanTheAreaWhenAWideCharacterFollowsABreak() {
        for (text, width) in [(" ab家", 3), (" 一二三四五", 5), (" 一二三四五", 7), ("a b 家族の予定", 4)] {
            let area = TextArea(Array(text), width: width, height: 10)
            let rows = area.wrappedLines
            XCTAssertTrue(rows.allSatisfy { DisplayWidth.of($0) <= width }, "\(text) at \(width): \(rows)")
            XCTAssertEqual(rows.joined().filter { $0 != " " }, text.filter { $0 != " " }, "nothing is lost")
        }
    }
}

/// A tab stays a tab in the text and shows as spaces to the next tab stop (every 8 columns
/// from the row's start); the cursor steps over it whole.
final class TabTests: XCTestCase {
    func testATabReachesTheNextTabStop() {
        let area = TextArea(Array("host:\tdb1\nab\tc\n\td"), width: 30, height: 4)
        var canvas = Canvas(width: 30, height: 4)
        area.render(in: canvas.bounds, on: &canvas)
        assertScreen(canvas, ["host:   db1", "ab      c", "        d", ""])
        XCTAssertEqual(area.characters.filter { $0 == "\t" }.count, 3, "the tabs are kept")
    }

    func testTheCursorStepsOverATabWhole() {
        var area = TextArea(Array("ab\tc"), width: 30, height: 3)
        _ = area.moveToStart()
        _ = area.moveRight()
        _ = area.moveRight()
        XCTAssertEqual(area.cursorLocation, Point(x: 2, y: 0), "before the tab")
        _ = area.moveRight()
        XCTAssertEqual(area.cursorLocation, Point(x: 8, y: 0), "after the tab, at the tab stop")
        _ = area.moveLeft()
        XCTAssertEqual(area.cursorLocation, Point(x: 2, y: 0))
    }

    func testUpAndDownKeepTheColumnAcrossATab() {
        var area = TextArea(Array("\tx\nabcdefghij"), width: 30, height: 3)
        _ = area.moveToEnd()
        _ = area.moveUp()
        // Column 10 on the second row: past the tab and the x on the first, so its end.
        XCTAssertEqual(area.cursorLocation, Point(x: 9, y: 0))
        _ = area.moveToEnd()
        _ = area.moveToLineStart()
        for _ in 0..<4 { _ = area.moveRight() }
        _ = area.moveUp()
        // Column 4 is inside the tab: the cursor goes before it, never into it.
        XCTAssertEqual(area.cursorLocation, Point(x: 0, y: 0))
    }

    func testCtrlTTypesATab() {
        var area = TextArea(Array("ab"), width: 30, height: 3)
        _ = area.moveToEnd()
        XCTAssertEqual(area.handle(.ctrl("t")), .changed)
        XCTAssertEqual(String(area.characters), "ab\t")
        XCTAssertEqual(area.cursorLocation, Point(x: 8, y: 0))
    }

    func testARowWrapsAfterATabThatDoesNotFit() {
        let area = TextArea(Array("abcdefghij\tk"), width: 12, height: 3)
        XCTAssertEqual(area.wrappedLines, ["abcdefghij\t", "k"])
    }

    func testTheReadViewDrawsTabsToTheirStops() {
        let view = TextView(Array("a\tb\tc"), width: 30, height: 2)
        var canvas = Canvas(width: 30, height: 2)
        view.render(in: canvas.bounds, on: &canvas)
        assertScreen(canvas, ["a       b       c", ""])
    }

    func testATabWithoutTabStopsIsAControlCharacter() {
        var canvas = Canvas(width: 5, height: 1)
        canvas.put("a\tb", x: 0, y: 0)
        assertScreen(canvas, ["a\u{FFFD}b"])
    }
}
