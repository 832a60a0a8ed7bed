import OnionsApp
import TerminalUI
import XCTest

/// Ctrl-C says how to quit where it does not quit; unlocking puts the editor's cursors and
/// scroll back where they were.
final class QuitHintAndEditorPlaceTests: AppTestCase {
    func testControlCInTheListAndTheEditorSaysHowToQuitAndQuitsNothing() {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Groceries", info: "milk")
        driver.press(.ctrl("c"))
        XCTAssertTrue(driver.screenText.contains("Ctrl-C does not quit: press q to quit"), driver.screenText)
        XCTAssertEqual(driver.quitCount, 0)
        driver.press(.character("n"))
        driver.type("half typed")
        driver.press(.ctrl("c"))
        XCTAssertTrue(driver.screenText.contains("Ctrl-C does not quit: Ctrl-S saves"), driver.screenText)
        XCTAssertEqual(driver.editorTitle, "half typed", "the typing is kept")
        XCTAssertEqual(driver.quitCount, 0)
    }

    func testUnlockPutsTheCursorsAndTheScrollBack() {
        let driver = signedUpDriver()
        driver.press(.character("n"))
        driver.type("Title here")
        driver.press(.left, .left, .left, .left)
        driver.press(.tab)
        let lines = (1...60).map { "line \($0)" }.joined(separator: "\n")
        driver.typeInfo(lines)
        for _ in 0..<25 { driver.press(.up) }
        driver.press(.right, .right)
        guard let before = driver.editor else { return XCTFail("not in the editor") }
        XCTAssertGreaterThan(before.info.scroll, 0, "the info is scrolled")
        let screenBefore = driver.screen()

        driver.press(.ctrl("l"))
        XCTAssertTrue(driver.isLocked)
        driver.type("correct horse")
        driver.press(.enter)
        guard let after = driver.editor else { return XCTFail("the draft is not back in the editor") }
        XCTAssertEqual(after.focus, .info)
        XCTAssertEqual(after.info.cursor, before.info.cursor)
        XCTAssertEqual(after.info.scroll, before.info.scroll)
        XCTAssertEqual(after.title.cursor, before.title.cursor)
        XCTAssertEqual(driver.screen().dropFirst(2).dropLast(2), screenBefore.dropFirst(2).dropLast(2),
                       "the editor shows the same lines")
    }
}
