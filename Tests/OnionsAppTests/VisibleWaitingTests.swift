@testable import OnionsApp
import OnionsCore
import TerminalUI
import XCTest

/// Waiting the person can see: the countdown before the idle lock, the spinner of a slow sync,
/// and the username given on the command line waiting in the log-in form.
final class VisibleWaitingTests: AppTestCase {
    func header(_ driver: AppDriver) -> String { driver.screen().first ?? "" }

    func testTheHeaderCountsDownTheLastThirtySecondsAndEachTickRedrawsIt() {
        let driver = makeDriver(lockAfter: 60)
        driver.signUp()
        let start = driver.state.lastActivity
        driver.send(.tick(now: start + 29))
        XCTAssertFalse(header(driver).contains("locks in"), header(driver))
        driver.send(.tick(now: start + 30.5))
        XCTAssertTrue(header(driver).contains("locks in 30 s"), header(driver))
        driver.send(.tick(now: start + 31.5))
        XCTAssertTrue(header(driver).contains("locks in 29 s"), "the quiet tick drew the new second: \(header(driver))")
        driver.send(.tick(now: start + 59.2))
        XCTAssertTrue(header(driver).contains("locks in 1 s"), header(driver))
        XCTAssertNotNil(driver.session)
    }

    func testAKeyEndsTheCountdown() {
        let driver = makeDriver(lockAfter: 60)
        driver.signUp()
        driver.send(.tick(now: driver.state.lastActivity + 45))
        XCTAssertTrue(header(driver).contains("locks in 15 s"), header(driver))
        driver.press(.character("j"))
        XCTAssertFalse(header(driver).contains("locks in"), header(driver))
    }

    func testNoCountdownWhileLockedOrLoggedOut() {
        let driver = makeDriver(lockAfter: 60)
        driver.send(.tick(now: driver.state.lastActivity + 45))
        XCTAssertFalse(driver.screenText.contains("locks in"))
        driver.signUp()
        driver.press(.ctrl("l"))
        driver.send(.tick(now: driver.state.lastActivity + 45))
        XCTAssertFalse(driver.screenText.contains("locks in"))
    }

    func testASlowSyncTurnsASpinnerInTheHeader() {
        let driver = signedUpDriver()
        driver.gate.hold { job in
            if case .vault(.sync) = job { return true }
            return false
        }
        let start = BootClock.now() + 1
        driver.send(.tick(now: start))
        XCTAssertTrue(driver.state.syncing)
        XCTAssertFalse(header(driver).contains("syncing"), "a quick sync shows nothing: \(header(driver))")
        driver.send(.tick(now: start + 0.3))
        XCTAssertTrue(header(driver).contains("syncing"), header(driver))
        let first = header(driver)
        driver.send(.tick(now: start + 0.4))
        XCTAssertNotEqual(header(driver), first, "the spinner turns on a tick")
        driver.finishAuthentication()
        XCTAssertFalse(driver.state.syncing)
        XCTAssertFalse(header(driver).contains("syncing"), header(driver))
    }

    // MARK: --user and ONIONS_USER

    func loginForm(_ driver: AppDriver) -> LoginForm? {
        if case .login(let form) = driver.state.screen { return form }
        return nil
    }

    func testAGivenUsernameFillsTheFormAndTheCursorWaitsInThePassword() throws {
        let driver = signedUpDriver()
        driver.press(.character("q"))
        let again = makeDriver()
        again.loop.fillUsername("alice")
        again.settle()
        let form = try XCTUnwrap(loginForm(again))
        XCTAssertEqual(String(form.username.characters), "alice")
        XCTAssertEqual(form.focus, .password)
        again.type("correct horse")
        again.press(.enter)
        XCTAssertNotNil(again.list, "the password alone logs in:\n\(again.screenText)")
    }

    func testAUsernameTooLongOrWithAControlCharacterIsLeftOutWithANotice() throws {
        let cases = [(String(repeating: "a", count: 65), "longer than 64 characters"),
                     ("ali\u{1b}[2Jce", "control character"), ("bob\n", "control character")]
        for (name, reason) in cases {
            let driver = makeDriver()
            driver.loop.fillUsername(name)
            driver.settle()
            let form = try XCTUnwrap(loginForm(driver))
            XCTAssertTrue(form.username.isEmpty, "nothing of \(name.debugDescription) goes in")
            XCTAssertEqual(form.focus, .username)
            let notice = try XCTUnwrap(driver.state.notice)
            XCTAssertTrue(notice.isError)
            XCTAssertTrue(notice.text.contains(reason), notice.text)
            XCTAssertTrue(notice.text.contains("--user or ONIONS_USER"), notice.text)
            XCTAssertTrue(driver.screenText.contains("The user named by"), driver.screenText)
        }
    }

    func testSixtyFourCharactersAreTaken() throws {
        let driver = makeDriver()
        let name = String(repeating: "é", count: 64)
        driver.loop.fillUsername(name)
        driver.settle()
        XCTAssertEqual(String(try XCTUnwrap(loginForm(driver)).username.characters), name)
    }
}
