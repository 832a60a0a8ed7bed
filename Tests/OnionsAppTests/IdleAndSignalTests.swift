import OnionsApp
import OnionsCore
import TerminalUI
import XCTest

/// Idle lock, suspend, hang-up and termination.
final class IdleAndSignalTests: AppTestCase {
    func testATickPastTheIdleTimeLocks() {
        let driver = makeDriver(lockAfter: 60)
        driver.signUp()
        driver.press(.character("j"))
        driver.send(.tick(now: BootClock.now() + 61))
        XCTAssertTrue(driver.isLocked)
        XCTAssertNil(driver.session)
        XCTAssertTrue(driver.screenText.contains("Locked after 60 s without a key."), driver.screenText)
    }

    func testATickBeforeTheIdleTimeDoesNotLock() {
        let driver = makeDriver(lockAfter: 60)
        driver.signUp()
        driver.press(.character("j"))
        driver.send(.tick(now: BootClock.now() + 50))
        XCTAssertNotNil(driver.session)
        XCTAssertNotNil(driver.list)
    }

    func testAKeyRestartsTheIdleTime() {
        let driver = makeDriver(lockAfter: 60)
        driver.signUp()
        let start = BootClock.now()
        driver.send(.tick(now: start + 30))
        driver.press(.character("j"))
        XCTAssertGreaterThanOrEqual(driver.state.lastActivity, start)
        driver.send(.tick(now: driver.state.lastActivity + 59))
        XCTAssertNotNil(driver.session)
    }

    func testSuspendLocksFirstAndThenSuspends() {
        let driver = signedUpDriver()
        driver.press(.character("n"))
        driver.type("Unsaved title")
        let before = driver.effects.count
        driver.send(.suspendRequested)
        XCTAssertEqual(Array(driver.effects.dropFirst(before)), [.clearTerminal, .suspend, .clearTerminal])
        XCTAssertEqual(driver.unlockedAtSuspend, [false])
        XCTAssertTrue(driver.isLocked)
        XCTAssertFalse(driver.screenText.contains("Unsaved title"))
        XCTAssertTrue(driver.screenText.contains("Locked while suspended."), driver.screenText)
    }

    func testSuspendOnTheLogInScreenWipesThePassword() {
        let driver = makeDriver()
        driver.type("alice")
        driver.press(.enter)
        driver.type("half typed")
        driver.send(.suspendRequested)
        XCTAssertEqual(driver.suspendCount, 1)
        guard case .login(let form) = driver.state.screen else { return XCTFail("left the log in screen") }
        XCTAssertTrue(form.password.isEmpty)
    }

    func testHangupSealsTheDraftForTheNextLogIn() {
        let driver = signedUpDriver()
        driver.press(.character("n"))
        driver.type("Half a plan")
        driver.press(.tab)
        driver.typeInfo("step one\nstep two")
        driver.send(.hangup)
        XCTAssertEqual(driver.quitCount, 1)
        XCTAssertNil(driver.session)
        XCTAssertFalse(driver.screenText.contains("Half a plan"))

        let again = makeDriver()
        again.logIn()
        XCTAssertEqual(again.editorTitle, "Half a plan")
        XCTAssertEqual(again.editorInfo, "step one\nstep two")
        XCTAssertTrue(again.screenText.contains("Restored an unsaved draft."), again.screenText)
        again.press(.ctrl("s"))
        XCTAssertEqual(again.sessionTitles, ["Half a plan"])
    }

    func testTerminateQuitsWithoutADraftToSeal() {
        let driver = signedUpDriver()
        driver.send(.terminate)
        XCTAssertEqual(driver.quitCount, 1)
        XCTAssertNil(driver.session)
        let again = makeDriver()
        again.logIn()
        XCTAssertNotNil(again.list)
    }
}
