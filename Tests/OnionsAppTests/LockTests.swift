import OnionsApp
import TerminalUI
import XCTest

/// Ctrl-L locks from every screen; nothing readable stays; unlocking returns to the same place.
final class LockTests: AppTestCase {
    static let secrets = ["家族の予定", "土曜日は買い物", "Groceries", "milk, eggs", "Unsaved title", "draft words"]

    func driverWithOnions() -> AppDriver {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Groceries", info: "milk, eggs, bread")
        driver.writeOnion(title: "家族の予定", info: "土曜日は買い物。")
        return driver
    }

    func assertNothingReadable(_ driver: AppDriver, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(driver.isLocked, file: file, line: line)
        XCTAssertNil(driver.session, file: file, line: line)
        XCTAssertNil(driver.state.overlay, file: file, line: line)
        for size in [(80, 24), (40, 12)] {
            let text = driver.render(width: size.0, height: size.1).joined(separator: "\n")
            for secret in Self.secrets {
                XCTAssertFalse(text.contains(secret), "the lock screen shows \(secret)", file: file, line: line)
            }
        }
    }

    func unlock(_ driver: AppDriver, password: String = "correct horse") {
        driver.type(password)
        driver.press(.enter)
    }

    func testLockFromTheListShowsNothingAndUnlocksToTheSameScreen() {
        let driver = driverWithOnions()
        driver.press(.down)
        let before = driver.screen()
        XCTAssertTrue(before.joined().contains("milk, eggs"), "the preview shows the second onion")
        let clears = driver.clearCount
        driver.press(.ctrl("l"))
        XCTAssertEqual(driver.clearCount, clears + 1, "locking clears the terminal")
        assertNothingReadable(driver)
        unlock(driver)
        XCTAssertNotNil(driver.session)
        XCTAssertEqual(driver.screen(), before)
    }

    func testLockWhileSearchingShowsNothing() {
        let driver = driverWithOnions()
        driver.press(.character("/"))
        driver.type("milk")
        driver.press(.ctrl("l"))
        assertNothingReadable(driver)
        XCTAssertFalse(driver.screenText.contains("/ milk"))
    }

    func testLockMidEditSealsTheDraftAndRestoresIt() {
        let driver = driverWithOnions()
        driver.press(.character("n"))
        driver.type("Unsaved title")
        driver.press(.tab)
        driver.typeInfo("draft words\nand more")
        let before = driver.screen()
        driver.press(.ctrl("l"))
        assertNothingReadable(driver)
        XCTAssertNil(driver.editor)
        unlock(driver)
        XCTAssertEqual(driver.editorTitle, "Unsaved title")
        XCTAssertEqual(driver.editorInfo, "draft words\nand more")
        XCTAssertEqual(driver.editor?.focus, .info)
        XCTAssertEqual(driver.editor?.target, nil)
        XCTAssertEqual(driver.screen(), before)
        driver.press(.ctrl("s"))
        XCTAssertEqual(driver.sessionTitles.first, "Unsaved title")
    }

    func testLockWhileEditingAnOnionKeepsTitleFocusAndTarget() {
        let driver = driverWithOnions()
        driver.press(.character("e"))
        let target = driver.editor?.target
        XCTAssertNotNil(target)
        driver.type(" 2")
        let before = driver.screen()
        driver.press(.ctrl("l"))
        assertNothingReadable(driver)
        unlock(driver)
        XCTAssertEqual(driver.editorTitle, "家族の予定 2")
        XCTAssertEqual(driver.editor?.focus, .title)
        XCTAssertEqual(driver.editor?.target, target)
        XCTAssertEqual(driver.screen(), before)
    }

    func testLockInAnUntouchedEditorReturnsToTheList() {
        let driver = driverWithOnions()
        driver.press(.enter)
        driver.press(.ctrl("l"))
        assertNothingReadable(driver)
        unlock(driver)
        XCTAssertNotNil(driver.list)
        XCTAssertEqual(driver.visibleTitles.first, "家族の予定")
    }

    func testLockOverADialogShowsNothing() {
        let driver = driverWithOnions()
        driver.press(.character("n"))
        driver.type("Unsaved title")
        driver.press(.escape)
        XCTAssertEqual(driver.state.overlay, .confirmDiscard)
        driver.press(.ctrl("l"))
        assertNothingReadable(driver)
        unlock(driver)
        XCTAssertEqual(driver.editorTitle, "Unsaved title")
        XCTAssertNil(driver.state.overlay)
    }

    func testWrongPasswordOnTheLockScreenStaysLocked() {
        let driver = driverWithOnions()
        driver.press(.ctrl("l"))
        unlock(driver, password: "incorrect horse")
        XCTAssertTrue(driver.isLocked)
        XCTAssertNil(driver.session)
        XCTAssertEqual(driver.state.notice?.text, "wrong password")
        XCTAssertTrue(driver.screenText.contains("wrong password"))
        XCTAssertEqual(driver.effects.last, .authenticate(.unlock))
        unlock(driver)
        XCTAssertNotNil(driver.list)
    }

    func testEnterWithoutAPasswordAsksForIt() {
        let driver = driverWithOnions()
        driver.press(.ctrl("l"))
        let effects = driver.effects.count
        driver.press(.enter)
        XCTAssertEqual(driver.effects.count, effects, "nothing is derived from an empty password")
        XCTAssertTrue(driver.screenText.contains("Type the password."))
    }
}
