import TerminalUI
import XCTest

final class ListViewTests: XCTestCase {
    private func draw(_ list: ListView, rows: Int) -> [String] {
        var canvas = Canvas(width: 10, height: rows)
        list.render(in: canvas.bounds, on: &canvas) { index, row, isSelected, canvas in
            canvas.put((isSelected ? "> " : "  ") + "item \(index)", x: row.x, y: row.y)
        }
        return canvas.lines()
    }

    func testMovingDownScrollsToKeepTheSelectionVisible() {
        var list = ListView(count: 20, visibleRows: 4)
        for _ in 0..<5 { list.moveDown() }
        XCTAssertEqual(list.selection, 5)
        XCTAssertEqual(list.scroll, 2)
        assertScreen(draw(list, rows: 4), ["  item 2", "  item 3", "  item 4", "> item 5"])
    }

    func testPagingAndEndsClampToTheList() {
        var list = ListView(count: 20, visibleRows: 4)
        XCTAssertTrue(list.handle(.pageDown))
        XCTAssertEqual(list.selection, 3)
        XCTAssertTrue(list.handle(.end))
        XCTAssertEqual(list.selection, 19)
        XCTAssertEqual(list.scroll, 16)
        XCTAssertFalse(list.moveDown())
        XCTAssertTrue(list.handle(.pageUp))
        XCTAssertEqual(list.selection, 16)
        XCTAssertEqual(list.scroll, 16)
        XCTAssertTrue(list.handle(.home))
        XCTAssertEqual(list.selection, 0)
        XCTAssertEqual(list.scroll, 0)
        XCTAssertFalse(list.handle(.character("j")))
        XCTAssertTrue(list.handle(.character("j"), viKeys: true))
        XCTAssertEqual(list.selection, 1)
    }

    func testRenderKeepsSelectionVisibleInASmallerArea() {
        let list = ListView(count: 10, selection: 7, visibleRows: 10)
        assertScreen(draw(list, rows: 3), ["  item 5", "  item 6", "> item 7"])
    }

    func testShrinkingTheListKeepsTheSelectionInRange() {
        var list = ListView(count: 10, selection: 9, visibleRows: 3)
        list.setCount(4)
        XCTAssertEqual(list.selection, 3)
        XCTAssertEqual(list.scroll, 1)
        list.setCount(0)
        XCTAssertNil(list.selection)
        XCTAssertFalse(list.moveDown())
        assertScreen(draw(list, rows: 2), ["", ""])
    }
}
