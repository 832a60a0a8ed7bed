import OnionsApp
import OnionsCore
import TerminalUI
import XCTest

/// `s` cycles the order of the onion list and the card grid, `p` pins to the top, J/K and
/// Shift-↑/↓ move a task, and a long task wraps over several rows.
final class OrderAndPinTests: AppTestCase {
    /// Onions saved as banana, Apple, cherry (so listed newest first: cherry, Apple, banana).
    func driverWithThreeOnions() -> AppDriver {
        let driver = signedUpDriver()
        for title in ["banana", "Apple", "cherry"] { driver.writeOnion(title: title, info: "") }
        XCTAssertEqual(driver.visibleTitles, ["cherry", "Apple", "banana"])
        return driver
    }

    func testSCyclesTitleCreatedAndNewestChangeAndTheHeaderSaysWhich() {
        let driver = driverWithThreeOnions()
        driver.press(.character("s"))
        XCTAssertEqual(driver.visibleTitles, ["Apple", "banana", "cherry"])
        XCTAssertTrue(driver.screenText.contains("3 onions, by title"), driver.screenText)
        XCTAssertEqual(driver.state.notice?.text, "Sorted by title (s changes it).")
        driver.press(.character("s"))
        XCTAssertEqual(driver.visibleTitles, ["cherry", "Apple", "banana"])
        XCTAssertTrue(driver.screenText.contains("3 onions, by created"), driver.screenText)
        driver.press(.character("s"))
        XCTAssertEqual(driver.visibleTitles, ["cherry", "Apple", "banana"])
        XCTAssertFalse(driver.screenText.contains(", by "), driver.screenText)
    }

    func testTheOrderOutlivesLockingAndLoggingInAgain() {
        let driver = driverWithThreeOnions()
        driver.press(.character("s"))
        driver.press(.ctrl("l"))
        XCTAssertTrue(driver.isLocked)
        driver.type("correct horse")
        driver.press(.enter)
        XCTAssertFalse(driver.isLocked)
        XCTAssertEqual(driver.visibleTitles, ["Apple", "banana", "cherry"])
    }

    func testPPinsTheSelectedOnionToTheTopAndUnpinsIt() {
        let driver = driverWithThreeOnions()
        driver.press(.down, .down)
        XCTAssertEqual(driver.list?.selectedID, driver.list?.visible.last?.id)
        driver.press(.character("p"))
        XCTAssertEqual(driver.visibleTitles, ["banana", "cherry", "Apple"])
        XCTAssertEqual(driver.state.notice?.text, "Pinned to the top (p unpins it).")
        XCTAssertTrue(driver.screenText.contains("›*banana"), driver.screenText)
        XCTAssertEqual(driver.list.flatMap { $0.list.selection }, 0, "the pinned onion stays selected")
        driver.press(.character("p"))
        XCTAssertEqual(driver.visibleTitles, ["cherry", "Apple", "banana"])
    }

    func testSAndPOrderTheCardGridToo() {
        let driver = signedUpDriver()
        driver.showCards()
        for name in ["Bob", "ann", "Carl"] {
            driver.addCard(to: name, description: "hi", password: "card pw")
        }
        XCTAssertEqual(driver.visibleRecipients, ["Carl", "ann", "Bob"])
        driver.press(.character("s"))
        XCTAssertEqual(driver.visibleRecipients, ["ann", "Bob", "Carl"])
        XCTAssertTrue(driver.screenText.contains("3 cards, by title"), driver.screenText)
        driver.press(.end, .character("p"))
        XCTAssertEqual(driver.visibleRecipients, ["Carl", "ann", "Bob"])
    }

    // MARK: Tasks

    func driverWithTasks(_ texts: [String], width: Int = 80) -> AppDriver {
        let driver = signedUpDriver(width: width)
        driver.showTasks()
        for text in texts {
            driver.press(.character("n"))
            driver.type(text)
            driver.press(.enter)
        }
        return driver
    }

    func testShiftJAndKMoveTheSelectedTaskAndTheOrderIsSaved() {
        let driver = driverWithTasks(["one", "two", "three"])
        XCTAssertEqual(driver.tasks?.selectedID, 2)
        driver.press(.character("K"))
        XCTAssertEqual(driver.visibleTasks, ["0 [ ] one", "2 [ ] three", "1 [ ] two"])
        XCTAssertEqual(driver.tasks?.selectedID, 2, "the moved task stays selected")
        driver.press(.shiftUp)
        XCTAssertEqual(driver.visibleTasks, ["2 [ ] three", "0 [ ] one", "1 [ ] two"])
        driver.press(.character("J"), .shiftDown)
        XCTAssertEqual(driver.visibleTasks, ["0 [ ] one", "1 [ ] two", "2 [ ] three"])
        driver.press(.up, .up, .character("J"))
        XCTAssertEqual(driver.session?.orderedTasks.map(\.id), [1, 0, 2])
    }

    func testALongTaskWrapsOverSeveralRows() {
        let long = "call the plumber about the dripping tap in the kitchen before the weekend"
        let driver = driverWithTasks([long, "short"], width: 40)
        let rows = driver.screen()
        // Each task shows its number (the one `onions task done N` takes) before its box.
        XCTAssertTrue(rows.contains { $0.hasPrefix("  0 [ ] call the plumber about the") }, rows.joined(separator: "\n"))
        XCTAssertTrue(rows.contains { $0.hasPrefix("        dripping tap in the kitchen") }, rows.joined(separator: "\n"))
        XCTAssertTrue(rows.contains { $0.hasPrefix("        before the weekend") }, rows.joined(separator: "\n"))
        XCTAssertTrue(rows.contains { $0.hasPrefix("  1 [ ] short") }, rows.joined(separator: "\n"))
    }
}
