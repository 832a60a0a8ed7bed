import Foundation
import OnionsApp
import OnionsCore
import OnionsCrypto
import TerminalUI
import XCTest

/// Log in, and sign up through an unknown username.
final class LoginTests: AppTestCase {
    func testUnknownUsernameAsksToRepeatThePassword() {
        let driver = makeDriver()
        driver.logIn("carol", password: "pw one two 3")
        XCTAssertTrue(driver.isOnLogin)
        XCTAssertEqual(driver.state.notice?.text,
                       "No vault for 'carol' here. Repeat the password to create it (Esc to go back).")
        XCTAssertTrue(driver.screenText.contains("No vault for 'carol' here."), driver.screenText)
        XCTAssertTrue(driver.screenText.contains("Repeat"))
        XCTAssertNil(driver.session)
    }

    /// A server answers an unknown username like a known one, so Ctrl-N asks for a new vault
    /// without a log in first; nothing is sent until the password is repeated.
    func testCtrlNAsksForANewVaultWithoutALogInFirst() throws {
        let driver = makeDriver()
        driver.type("dora")
        driver.press(.enter)
        driver.type("wild plum 47 tree")
        driver.press(.ctrl("n"))
        XCTAssertTrue(driver.screenText.contains("A new vault"), driver.screenText)
        XCTAssertTrue(driver.screenText.contains("Repeat"), driver.screenText)
        XCTAssertEqual(driver.effects.filter { $0 != .clearTerminal }, [])
        driver.type("wild plum 47 tree")
        driver.press(.enter)
        XCTAssertNotNil(driver.list)
        XCTAssertEqual(driver.effects.filter { $0 != .clearTerminal }, [.authenticate(.signUp)])
    }

    func testRepeatingThePasswordCreatesTheVaultAndOpensTheList() throws {
        let driver = makeDriver()
        driver.signUp("carol", password: "pw one two 3")
        XCTAssertNotNil(driver.list)
        XCTAssertEqual(driver.session?.username, "carol")
        XCTAssertEqual(driver.effects.filter { $0 != .clearTerminal }, [.authenticate(.logIn), .authenticate(.signUp)])
        XCTAssertTrue(driver.screenText.contains("No onions yet."))
        let session = try service.logIn(username: "carol", password: SecretBytes(copying: Array("pw one two 3".utf8)))
        session.lock()
    }

    func testADifferentRepeatIsRefused() {
        let driver = makeDriver()
        driver.logIn("carol", password: "pw one two 3")
        driver.type("pw two")
        driver.press(.enter)
        XCTAssertTrue(driver.isOnLogin)
        XCTAssertNil(driver.session)
        XCTAssertEqual(driver.state.notice?.isError, true)
        XCTAssertTrue(driver.screenText.contains("The passwords differ."), driver.screenText)
        XCTAssertFalse(driver.effects.contains(.authenticate(.signUp)))
        XCTAssertThrowsError(try service.logIn(username: "carol", password: SecretBytes(copying: Array("pw two".utf8)))) {
            XCTAssertEqual($0 as? VaultError, .noSuchVault)
        }
    }

    func testEscGoesBackFromTheRepeat() {
        let driver = makeDriver()
        driver.logIn("carol", password: "pw one two 3")
        driver.press(.escape)
        guard case .login(let form) = driver.state.screen else { return XCTFail("left the log in screen") }
        XCTAssertFalse(form.creating)
        XCTAssertFalse(driver.screenText.contains("Repeat"))
    }

    func testAFirstLogInOnThisMachineShowsTheVaultsSaveCountAndLastChange() throws {
        let first = signedUpDriver()
        first.send(.terminate)
        try FileManager.default.removeItem(atPath: service.stateDirectory)  // a new machine
        let driver = makeDriver()
        driver.logIn("alice", password: "correct horse")
        XCTAssertNotNil(driver.list)
        let notice = try XCTUnwrap(driver.state.notice?.text)
        XCTAssertTrue(notice.contains("First log in on this machine: the vault is at save 1, last changed 20"), notice)
        XCTAssertTrue(notice.hasSuffix(" UTC."), notice)

        driver.send(.terminate)
        let again = makeDriver()
        again.logIn("alice", password: "correct horse")
        XCTAssertFalse(again.state.notice?.text.contains("First log in") ?? false, "only the first time")
    }

    /// A new machine's first log in names the six words of the vault's latest save, to compare
    /// with `onions verify` on another machine.
    func testAFirstLogInOnThisMachineShowsTheWordsOfTheLatestSave() throws {
        let first = signedUpDriver()
        let session = try XCTUnwrap(first.session)
        _ = try session.saveOnion(id: nil, title: SecretBytes(copying: Array("one".utf8)),
                                  info: SecretBytes(copying: Array("x".utf8)))
        let words = try XCTUnwrap(try session.fingerprint()?.words)
        first.send(.terminate)
        try FileManager.default.removeItem(atPath: service.stateDirectory)  // a new machine
        let driver = makeDriver()
        driver.logIn("alice", password: "correct horse")
        let notice = try XCTUnwrap(driver.state.notice?.text)
        XCTAssertTrue(notice.contains("The vault's latest save (1) reads \"\(words)\""), notice)
        XCTAssertTrue(notice.hasSuffix(" UTC."), notice)
    }

    func testWrongPasswordAtLogInSaysSoAndStays() {
        let first = signedUpDriver()
        first.send(.terminate)
        let driver = makeDriver()
        driver.logIn("alice", password: "not it")
        XCTAssertTrue(driver.isOnLogin)
        XCTAssertNil(driver.session)
        XCTAssertEqual(driver.state.notice?.text, "wrong password (or no vault of that name on the server yet: Ctrl-N creates one)")
        XCTAssertTrue(driver.screenText.contains("wrong password"))
        guard case .login(let form) = driver.state.screen else { return XCTFail("left the log in screen") }
        XCTAssertTrue(form.password.isEmpty, "the wrong password is wiped")
        XCTAssertEqual(form.focus, .password)
        driver.type("correct horse")
        driver.press(.enter)
        XCTAssertNotNil(driver.list)
    }

    func testKeysWaitWhileTheKeyDerivationRunsAndTheSpinnerTurns() {
        let first = signedUpDriver()
        first.send(.terminate)
        let driver = makeDriver()
        driver.holdsAuthentication = true
        driver.logIn()
        XCTAssertEqual(driver.state.busy?.label, "Opening the vault")
        let still = driver.screen()
        XCTAssertTrue(driver.screenText.contains("Opening the vault…"))
        driver.type("typed while busy")
        driver.press(.escape, .enter)
        XCTAssertEqual(driver.screen(), still)
        XCTAssertEqual(driver.effects.filter { $0 != .clearTerminal }.count, 1)
        driver.send(.tick(now: BootClock.now()))
        let turned = driver.screen()
        XCTAssertNotEqual(turned, still, "a tick turns the spinner")
        XCTAssertEqual(zip(turned, still).filter { $0 != $1 }.count, 1, "only the spinner's row changes")
        driver.finishAuthentication()
        XCTAssertNil(driver.state.busy)
        XCTAssertNotNil(driver.list)
    }

    func testThePasswordIsNeverShown() {
        let driver = makeDriver()
        driver.type("alice")
        driver.press(.enter)
        driver.type("hunter2")
        XCTAssertFalse(driver.screenText.contains("hunter2"))
        XCTAssertTrue(driver.screenText.contains("•••••••"))
    }
}
