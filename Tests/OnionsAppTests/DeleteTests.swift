import OnionsApp
import TerminalUI
import XCTest

/// `d` deletes the selected onion after a confirmation.
final class DeleteTests: AppTestCase {
    func driverWithTwoOnions() -> AppDriver {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Keep me", info: "a")
        driver.writeOnion(title: "Delete me", info: "b")
        return driver
    }

    func testDeleteAsksFirst() {
        let driver = driverWithTwoOnions()
        driver.press(.character("d"))
        XCTAssertNotNil(driver.state.overlay)
        XCTAssertTrue(driver.screenText.contains("Delete the onion “Delete me”?"), "the dialog names it:\n\(driver.screenText)")
        XCTAssertEqual(driver.sessionTitles.count, 2)
    }

    func testYesDeletesTheSelectedOnion() {
        let driver = driverWithTwoOnions()
        driver.press(.character("d"), .character("y"))
        XCTAssertNil(driver.state.overlay)
        XCTAssertEqual(driver.sessionTitles, ["Keep me"])
        XCTAssertEqual(driver.visibleTitles, ["Keep me"])
        XCTAssertFalse(driver.screenText.contains("Delete me"))
        driver.send(.terminate)
        let again = makeDriver()
        again.logIn()
        XCTAssertEqual(again.sessionTitles, ["Keep me"])
    }

    func testNoKeepsTheOnion() {
        let driver = driverWithTwoOnions()
        driver.press(.character("d"), .character("n"))
        XCTAssertNil(driver.state.overlay)
        XCTAssertEqual(driver.sessionTitles, ["Delete me", "Keep me"])
    }

    func testDeletingTheSecondOnionLeavesTheFirst() {
        let driver = driverWithTwoOnions()
        driver.press(.down, .character("d"), .character("y"))
        XCTAssertEqual(driver.sessionTitles, ["Delete me"])
    }

    func testDeleteOnAnEmptyListDoesNothing() {
        let driver = signedUpDriver()
        driver.press(.character("d"))
        XCTAssertNil(driver.state.overlay)
    }
}
