import OnionsApp
import TerminalUI
import XCTest

/// Ctrl-R draws the whole screen again and changes nothing else.
final class RepaintKeyTests: AppTestCase {
    func testControlRRepaintsEveryScreenAndKeepsWhatWasTyped() {
        let driver = signedUpDriver()
        driver.press(.character("n"))
        driver.type("Half a title")
        let before = driver.terminal.repaintCount
        let frames = driver.frames.drawn.count
        driver.press(.ctrl("r"))
        XCTAssertEqual(driver.terminal.repaintCount, before + 1)
        XCTAssertEqual(driver.frames.drawn.count, frames + 1, "a frame is drawn at once")
        XCTAssertEqual(driver.editorTitle, "Half a title", "nothing typed is lost")
        XCTAssertEqual(driver.clearCount, 0, "the screen is not wiped")
        XCTAssertNotNil(driver.session, "nothing locks")
        driver.press(.escape, .character("y"))
        driver.press(.ctrl("r"))
        XCTAssertEqual(driver.terminal.repaintCount, before + 2, "on the list too")
        driver.press(.ctrl("l"))
        driver.press(.ctrl("r"))
        XCTAssertEqual(driver.terminal.repaintCount, before + 3, "and on the lock screen")
        XCTAssertTrue(driver.isLocked)
    }

    func testControlRIsInTheHelp() {
        let driver = signedUpDriver()
        driver.press(.character("?"))
        XCTAssertTrue(driver.screenText.contains("Ctrl-R"), driver.screenText)
    }
}
