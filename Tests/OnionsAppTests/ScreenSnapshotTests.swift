import OnionsApp
import TerminalUI
import XCTest

/// Every screen on the headless renderer, compared with the fixtures in Snapshots/.
final class ScreenSnapshotTests: AppTestCase {
    static let sizes = [(80, 24), (40, 12)]

    /// A vault of "alice" with three onions; the CJK one was saved last, so it is listed first
    /// and selected.
    func driverWithOnions() -> AppDriver {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Groceries", info: "milk, eggs, bread")
        driver.writeOnion(title: "🎄 gifts 👍🏽", info: "Socks for Bob, a book for Ann.\n手袋 for 花子.")
        driver.writeOnion(title: "家族の予定", info: "土曜日は買い物。\nSunday: call mum about the 🎂.")
        XCTAssertEqual(driver.visibleTitles, ["家族の予定", "🎄 gifts 👍🏽", "Groceries"])
        return driver
    }

    func assertEverySize(_ driver: AppDriver, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        for (width, height) in Self.sizes {
            assertScreen(driver, matches: name, width: width, height: height, file: file, line: line)
        }
    }

    func testLogInScreen() {
        let driver = makeDriver()
        driver.type("alice")
        driver.press(.enter)
        driver.type("secret")
        assertEverySize(driver, "login")
    }

    func testSignUpConfirmation() {
        let driver = makeDriver()
        driver.logIn("bob", password: "pw")
        XCTAssertTrue(driver.isOnLogin)
        assertEverySize(driver, "signup-confirm")
    }

    func testOnionListWithPreview() {
        let driver = driverWithOnions()
        assertEverySize(driver, "list")
    }

    /// The view bar on a wide terminal too (the list fixtures above show it at 80 and 40 columns).
    func testViewBarOnAWideTerminal() {
        let driver = driverWithOnions()
        assertScreen(driver, matches: "list", width: 200, height: 50)
    }

    /// The header counts the last 30 seconds down before the idle lock.
    func testCountdownBeforeTheIdleLock() {
        let driver = driverWithOnions()
        driver.send(.tick(now: driver.state.lastActivity + driver.state.lockAfter - 24.5))
        XCTAssertNotNil(driver.state.vault, "not locked yet")
        assertEverySize(driver, "countdown")
        assertScreen(driver, matches: "countdown", width: 200, height: 50)
    }

    func testListWhileSearching() {
        let driver = driverWithOnions()
        driver.press(.character("/"))
        driver.type("gift")
        assertEverySize(driver, "list-searching")
    }

    func testSpinnerWhileTheVaultOpens() {
        let driver = makeDriver()
        driver.holdsAuthentication = true
        driver.logIn("alice", password: "secret")
        XCTAssertNotNil(driver.state.busy)
        assertEverySize(driver, "busy")
    }

    func testEmptyList() {
        let driver = signedUpDriver()
        assertEverySize(driver, "list-empty")
    }

    func testEditorForANewOnion() {
        let driver = driverWithOnions()
        driver.press(.character("n"))
        driver.type("Trip to 京都")
        driver.press(.tab)
        driver.typeInfo("Train at 7:40.\nBring the 📷 and a warm coat; it will be cold in the hills.")
        assertEverySize(driver, "editor-new")
    }

    func testEditorEditingAnOnion() {
        let driver = driverWithOnions()
        driver.press(.character("e"))
        XCTAssertEqual(driver.editorTitle, "家族の予定")
        assertEverySize(driver, "editor-editing")
    }

    func testDiscardDialog() {
        let driver = driverWithOnions()
        driver.press(.character("n"))
        driver.type("Half a thought")
        driver.press(.escape)
        assertEverySize(driver, "discard")
    }

    func testDeleteDialog() {
        let driver = driverWithOnions()
        driver.press(.down)
        driver.press(.character("d"))
        assertEverySize(driver, "delete")
    }

    func testHelpOverlay() {
        let driver = driverWithOnions()
        driver.press(.character("?"))
        assertEverySize(driver, "help")
    }

    func testHelpInTheEditor() {
        let driver = driverWithOnions()
        driver.press(.character("e"), .function(1))
        assertEverySize(driver, "help-editor")
    }

    func testShortTerminalsKeepTheFocusedFieldVisible() {
        let signUp = makeDriver()
        signUp.logIn("bob", password: "pw")
        assertScreen(signUp, matches: "signup-confirm", width: 40, height: 8)
        let logIn = makeDriver()
        logIn.type("alice")
        logIn.press(.enter)
        assertScreen(logIn, matches: "login", width: 30, height: 8)
        let locked = driverWithOnions()
        locked.press(.ctrl("l"))
        locked.type("pw")
        assertScreen(locked, matches: "lock", width: 30, height: 8)
    }

    func testLockScreen() {
        let driver = driverWithOnions()
        driver.press(.ctrl("l"))
        driver.type("wro")
        assertEverySize(driver, "lock")
    }

    func testLockScreenAfterAWrongPassword() {
        let driver = driverWithOnions()
        driver.press(.ctrl("l"))
        driver.type("wrong")
        driver.press(.enter)
        assertEverySize(driver, "lock-wrong-password")
    }

    func testTerminalTooSmall() {
        let driver = driverWithOnions()
        assertScreen(driver, matches: "too-small", width: 20, height: 5)
        assertScreen(driver, matches: "too-small", width: 23, height: 24)
        assertScreen(driver, matches: "too-small", width: 9, height: 3)
    }
}
