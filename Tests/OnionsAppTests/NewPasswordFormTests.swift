import OnionsApp
import OnionsCore
import TerminalUI
import XCTest

/// The sign-up and card forms: the strength line as the password is typed, a refusal under 8
/// characters, a second Enter for a weak password, and the fixed-width mask with Ctrl-T.
final class NewPasswordFormTests: AppTestCase {
    /// An unknown username and `password`: the form asks to repeat it.
    func creating(_ password: String, width: Int = 80, height: Int = 24) -> AppDriver {
        let driver = makeDriver(width: width, height: height)
        driver.logIn("dora", password: password)
        XCTAssertEqual(driver.login?.creating, true)
        return driver
    }

    func testTheStrengthLineFollowsThePasswordAsItIsTyped() {
        let driver = creating("password123")
        XCTAssertTrue(driver.screenText.contains("strength: very weak (about 10^1 guesses)"), driver.screenText)
        driver.press(.backTab)
        XCTAssertEqual(driver.login?.focus, .password)
        driver.press(.ctrl("u"))
        driver.type("vY7#qLz!9mWx@4Rt")
        XCTAssertTrue(driver.screenText.contains("strength: very strong"), driver.screenText)
    }

    func testAFiveCharacterPasswordIsRefusedWithASentence() {
        let driver = creating("abcde")
        driver.type("abcde")
        driver.press(.enter)
        XCTAssertNil(driver.session)
        XCTAssertEqual(driver.state.notice?.text, "A new password needs at least 8 characters. Type a longer one.")
        XCTAssertEqual(driver.login?.focus, .password)
        XCTAssertEqual(driver.login?.password.isEmpty, true, "the short password is wiped")
    }

    func testAWeakPasswordNeedsASecondEnter() {
        let driver = creating("password123")
        driver.type("password123")
        driver.press(.enter)
        XCTAssertNil(driver.session, "not created on the first Enter")
        XCTAssertEqual(driver.state.notice?.text,
                       "This password is very weak: about 10^1 guesses would find it. "
                       + "Press Enter again to use it anyway, or type a stronger one.")
        driver.press(.enter)
        XCTAssertEqual(driver.session?.username, "dora")
    }

    func testAStrongPasswordCreatesTheVaultAtOnce() {
        let driver = creating("vY7#qLz!9mWx@4Rt")
        driver.type("vY7#qLz!9mWx@4Rt")
        driver.press(.enter)
        XCTAssertEqual(driver.session?.username, "dora")
    }

    func testTheMaskHasEightBulletsWhateverTheLengthAndCtrlTShowsThePassword() {
        let driver = makeDriver()
        driver.type("dora")
        driver.press(.enter)
        driver.type("ab")
        XCTAssertTrue(driver.screenText.contains("Password  ••••••••"), driver.screenText)
        driver.type("cdefghijklmnop")
        XCTAssertTrue(driver.screenText.contains("Password  •••••••• "), driver.screenText)
        XCTAssertFalse(driver.screenText.contains("•••••••••"), driver.screenText)
        XCTAssertTrue(driver.screenText.contains("^T show"), driver.screenText)
        driver.press(.ctrl("t"))
        XCTAssertTrue(driver.screenText.contains("Password  abcdefghijklmnop"), driver.screenText)
        XCTAssertTrue(driver.screenText.contains("^T hide"), driver.screenText)
        driver.press(.ctrl("t"))
        XCTAssertFalse(driver.screenText.contains("abcdefghijklmnop"), driver.screenText)
    }

    func testTheCardFormRefusesAShortPasswordAndAsksTwiceForAWeakOne() {
        let driver = signedUpDriver()
        driver.showCards()
        driver.createCardWithForm(to: "Eve", description: "hi", password: "abcde", repeat: "abcde")
        XCTAssertEqual(driver.state.notice?.text, "A new password needs at least 8 characters. Type a longer one.")
        XCTAssertEqual(driver.sessionRecipients, [])
        driver.press(.ctrl("u"))
        driver.type("password123")
        XCTAssertTrue(driver.screenText.contains("strength: very weak"), driver.screenText)
        driver.press(.tab, .ctrl("u"))
        driver.type("password123")
        driver.press(.enter)
        XCTAssertEqual(driver.sessionRecipients, [], "not saved on the first Enter")
        XCTAssertTrue(driver.state.notice?.text.hasPrefix("This password is very weak") == true)
        driver.press(.enter)
        driver.settle()
        XCTAssertEqual(driver.sessionRecipients, ["Eve"])
    }

    func testStrengthLineFixtures() {
        for (width, height) in [(80, 24), (200, 50), (40, 12)] {
            let driver = creating("password123", width: width, height: height)
            assertScreen(driver, matches: "signup-strength", width: width, height: height)
        }
    }
}

extension AppDriver {
    var login: LoginForm? {
        if case .login(let form) = state.screen { return form }
        return nil
    }
}
