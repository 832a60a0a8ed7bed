@testable import OnionsApp
import TerminalUI
import XCTest

/// The view bar under the header: which view is current, the counts, and which column is which
/// view.
final class ViewBarTests: AppTestCase {
    let counts: [VaultView: Int] = [.onions: 12, .cards: 4, .tasks: 3]

    func testEachCellCoversItsOwnTextAndNoOther() {
        let line = "─ Onions 12 · [Cards 4] · Tasks 3 · Trash ─"
        let cells = ViewBar.cells(current: .cards, counts: counts, width: 80)
        XCTAssertEqual(cells.map(\.text), ["Onions 12", "[Cards 4]", "Tasks 3", "Trash"], "the trash has no count")
        let columns = Array(line)
        for cell in cells {
            XCTAssertEqual(String(columns[cell.x..<(cell.x + cell.width)]), cell.text)
        }
        let expected: [VaultView?] = columns.indices.map { column in
            switch column {
            case 2..<11: return .onions
            case 14..<23: return .cards
            case 26..<33: return .tasks
            case 36..<41: return .trash
            default: return nil
            }
        }
        let found = columns.indices.map { ViewBar.view(atColumn: $0, current: .cards, counts: counts, width: 80) }
        XCTAssertEqual(found, expected)
    }

    func testNarrowLinesCloseUpThenDropTheCountsThenTheSpacesThenTheNames() {
        XCTAssertEqual(ViewBar.cells(current: .onions, counts: counts, width: 42).map(\.text),
                       ["[Onions 12]", "Cards 4", "Tasks 3", "Trash"])
        XCTAssertEqual(ViewBar.cells(current: .onions, counts: counts, width: 36).map(\.text),
                       ["[Onions]", "Cards", "Tasks", "Trash"])
        XCTAssertEqual(ViewBar.cells(current: .tasks, counts: counts, width: 30).map(\.text),
                       ["Onions", "Cards", "[Tasks]", "Trash"])
        XCTAssertEqual(ViewBar.cells(current: .tasks, counts: counts, width: 29).map(\.text), ["O", "C", "[T]", "Tr"])
        XCTAssertEqual(ViewBar.cells(current: .tasks, counts: counts, width: 13), [])
    }

    func testTheBarFollowsTheViewAndTheCounts() {
        let driver = signedUpDriver()
        driver.writeOnion(title: "One", info: "1")
        XCTAssertEqual(driver.screen()[1].prefix(42), "─ [Onions 1] · Cards 0 · Tasks 0 · Trash ─")
        driver.press(.character("3"))
        XCTAssertEqual(driver.screen()[1].prefix(42), "─ Onions 1 · Cards 0 · [Tasks 0] · Trash ─")
        driver.press(.character("4"))
        XCTAssertEqual(driver.screen()[1].prefix(42), "─ Onions 1 · Cards 0 · Tasks 0 · [Trash] ─")
        driver.press(.tab)
        XCTAssertEqual(driver.screen()[1].prefix(42), "─ [Onions 1] · Cards 0 · Tasks 0 · Trash ─")
        driver.press(.character("n"))
        XCTAssertFalse(driver.screen()[1].contains("Onions"), "the editor has no view bar")
    }
}
