import OnionsApp
import TerminalUI
import XCTest

/// `?` and F1 show every key; the help scrolls where it does not fit and any other key closes it.
final class HelpTests: AppTestCase {
    func testQuestionMarkOpensAndAnyOtherKeyCloses() {
        let driver = signedUpDriver()
        driver.press(.character("?"))
        XCTAssertEqual(driver.state.overlay, .help)
        XCTAssertTrue(driver.screenText.contains("lock now"))
        driver.press(.character("x"))
        XCTAssertNil(driver.state.overlay)
        XCTAssertNotNil(driver.list)
        XCTAssertFalse(driver.screenText.contains("lock now"))
    }

    func testF1OpensHelpInTheEditorAndKeepsTheDraft() {
        let driver = signedUpDriver()
        driver.press(.character("n"))
        driver.type("Keep me")
        driver.press(.function(1))
        XCTAssertEqual(driver.state.overlay, .help)
        XCTAssertTrue(driver.screenText.contains("title ⇄ info"), "the editor's keys show at 80x24")
        driver.press(.escape)
        XCTAssertNil(driver.state.overlay)
        XCTAssertEqual(driver.editorTitle, "Keep me")
    }

    func testScrollingReachesTheLastKeyAndClosingStartsOverAtTheTop() {
        let driver = signedUpDriver()
        driver.press(.character("?"))
        XCTAssertFalse(driver.screenText.contains("back to the username"))
        for _ in 0..<200 { driver.press(.character("j")) }
        XCTAssertEqual(driver.state.overlay, .help)
        XCTAssertTrue(driver.screenText.contains("back to the username"), driver.screenText)
        XCTAssertFalse(driver.screenText.contains("Everywhere"))
        driver.press(.character("x"))
        driver.press(.character("?"))
        XCTAssertTrue(driver.screenText.contains("Everywhere"))
    }
}
