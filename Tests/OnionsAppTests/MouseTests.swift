import OnionsApp
import TerminalUI
import XCTest

/// Clicks select and open, the wheel scrolls; reports are never keys, and reporting is on
/// only while the vault is open.
final class MouseTests: AppTestCase {
    /// Seconds between two clicks that are not a double click.
    enum MouseInputTiming { static let apart = 0.5 }

    func driverWithOnions() -> AppDriver {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Groceries", info: "milk")
        driver.writeOnion(title: "Gifts", info: "socks")
        driver.writeOnion(title: "Garden", info: "tulips")
        XCTAssertEqual(driver.visibleTitles, ["Garden", "Gifts", "Groceries"])
        return driver
    }

    func testAClickSelectsTheThirdOnionAndADoubleClickReadsIt() {
        let driver = driverWithOnions()
        // The list's rows start at row 2, column 1.
        driver.click(x: 4, y: 4)
        XCTAssertEqual(driver.list?.list.selection, 2)
        XCTAssertNil(driver.list?.reader)
        driver.click(x: 4, y: 4)
        XCTAssertNotNil(driver.list?.reader)
        XCTAssertTrue(driver.screenText.contains("milk"))
    }

    /// A click on a view's name in the view bar shows that view; a click between names does nothing.
    func testAClickInTheViewBarShowsThatView() {
        let driver = driverWithOnions()
        let row = driver.screenText.split(separator: "\n", omittingEmptySubsequences: false)[1]
        let column = { (name: String) -> Int in
            row.distance(from: row.startIndex, to: row.range(of: name)!.lowerBound)
        }
        let cards = column("Cards"), tasks = column("Tasks")
        driver.click(x: cards + 1, y: 1)
        XCTAssertTrue(driver.screenText.contains("[Cards 0]"), driver.screenText)
        driver.clock.fixed = driver.state.now + 10
        driver.click(x: tasks + 1, y: 1)
        XCTAssertTrue(driver.screenText.contains("[Tasks 0]"), driver.screenText)
    }

    func testClicksFarApartInTimeAreTwoClicks() {
        let driver = driverWithOnions()
        let now = driver.state.now
        driver.clock.fixed = now + 10
        driver.click(x: 4, y: 3)
        driver.clock.fixed = now + 10 + MouseInputTiming.apart
        driver.click(x: 4, y: 3)
        driver.clock.fixed = nil
        XCTAssertNil(driver.list?.reader)
        XCTAssertEqual(driver.list?.list.selection, 1)
    }

    func testAClickBelowTheRowsOrOnTheHeaderDoesNothing() {
        let driver = driverWithOnions()
        driver.click(x: 4, y: 12)
        driver.click(x: 4, y: 0)
        XCTAssertEqual(driver.list?.list.selection, 0)
        XCTAssertNotNil(driver.list)
    }

    func testAClickNeverAnswersADialog() {
        let driver = driverWithOnions()
        driver.press(.character("d"))
        XCTAssertNotNil(driver.state.overlay)
        // A double click on the selected row, which would open it.
        driver.click(x: 4, y: 2)
        driver.click(x: 4, y: 2)
        XCTAssertNotNil(driver.state.overlay)
        XCTAssertEqual(driver.sessionTitles.count, 3)
    }

    func testTheWheelMovesTheListAndScrollsTheReadView() {
        let driver = signedUpDriver()
        for n in 1...8 { driver.writeOnion(title: "Onion \(n)", info: "x") }
        driver.wheel(down: true)
        XCTAssertEqual(driver.list?.list.selection, 3)
        driver.wheel(down: false)
        XCTAssertEqual(driver.list?.list.selection, 0)
        driver.press(.character("n"))
        driver.type("Long")
        driver.press(.tab)
        driver.paste((1...40).map { "row \($0)" }.joined(separator: "\n"))
        driver.press(.ctrl("s"), .enter)
        driver.wheel(down: true)
        XCTAssertTrue(driver.screenText.contains("line 4 of 40"), driver.screenText)
    }

    func testAClickInTheEditorPutsTheCursorThereAndTheWheelScrollsTheInfo() {
        let driver = signedUpDriver()
        driver.press(.character("n"))
        driver.type("Title")
        driver.press(.tab)
        driver.paste((1...40).map { "row \($0)" }.joined(separator: "\n"))
        // The title field starts at column 7.
        driver.click(x: 9, y: 2)
        XCTAssertEqual(driver.editor?.focus, .title)
        XCTAssertEqual(driver.editor?.title.cursor, 2)
        driver.press(.tab, .ctrlHome)
        driver.click(x: 3, y: 5)
        XCTAssertEqual(driver.editor?.focus, .info)
        // Row 5 is the info's second row ("row 2"), column 3 is its third cell.
        XCTAssertEqual(driver.editor?.info.cursor, 8)
        driver.wheel(down: true)
        XCTAssertEqual(driver.editor?.info.scroll, 3)
    }

    func testTasksAreClickable() {
        let driver = signedUpDriver()
        driver.press(.character("3"))
        for text in ["one", "two", "three"] {
            driver.press(.character("n"))
            driver.type(text)
            driver.press(.enter)
        }
        let before = driver.state
        guard case .tasks(let tasks) = before.screen else { return XCTFail("not on the tasks") }
        XCTAssertNotEqual(tasks.list.selection, 0)
        driver.click(x: 8, y: 2)
        guard case .tasks(let after) = driver.state.screen else { return XCTFail("not on the tasks") }
        XCTAssertEqual(after.list.selection, 0)
        driver.click(x: 8, y: 2)
        guard case .tasks(let editing) = driver.state.screen else { return XCTFail("not on the tasks") }
        XCTAssertNotNil(editing.input, "a double click edits the task")
    }

    func testACardIsSelectedByAClickAndADoubleClickAsksItsPassword() {
        let driver = signedUpDriver()
        for name in ["Ann", "Bob", "Cy"] { driver.addCard(to: name, description: "hi", password: "pw") }
        driver.showCards()
        XCTAssertEqual(driver.cards?.selection, 0)
        // The second card starts one card width and a gap to the right of the first.
        let x = 1 + CardArt.width + 1 + 2
        driver.click(x: x, y: 4)
        XCTAssertEqual(driver.cards?.selection, 1)
        XCTAssertNil(driver.cards?.passwordPrompt)
        driver.click(x: x, y: 4)
        XCTAssertNotNil(driver.cards?.passwordPrompt)
        // The gap between two cards is no card.
        driver.press(.escape)
        driver.click(x: 1 + CardArt.width, y: 4)
        XCTAssertEqual(driver.cards?.selection, 1)
    }

    func testReportingIsOnOnlyWhileTheVaultIsOpen() {
        let driver = makeDriver()
        driver.press(.character("a"))
        XCTAssertFalse(driver.terminal.mouseReporting)
        driver.click(x: 3, y: 3)
        XCTAssertTrue(driver.isOnLogin)
        driver.press(.backspace)
        driver.signUp()
        XCTAssertTrue(driver.terminal.mouseReporting)
        driver.press(.ctrl("l"))
        XCTAssertFalse(driver.terminal.mouseReporting)
    }
}
