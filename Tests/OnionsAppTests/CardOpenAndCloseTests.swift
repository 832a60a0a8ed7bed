import OnionsApp
import OnionsCore
import OnionsCrypto
import TerminalUI
import XCTest

/// Opening a card reveals its description only with its own password; every way of leaving it
/// closes it and wipes the description and the password from memory.
final class CardOpenAndCloseTests: AppTestCase {
    /// Ann's card selected in a grid of five, on an 80x24 terminal (three cards a row).
    func driverOnAnnsCard() -> AppDriver {
        let driver = signedUpDriver()
        for card in CardSamples.all.reversed() {
            driver.addCard(to: card.recipient, description: card.description, password: card.password)
        }
        driver.showCards()
        XCTAssertEqual(driver.visibleRecipients.first, CardSamples.ann.recipient)
        return driver
    }

    /// Opens Ann's card and returns the secret memory holding its description and password.
    func openAnnsCard(_ driver: AppDriver, file: StaticString = #filePath,
                      line: UInt = #line) throws -> (description: SecretBytes, password: SecretBytes) {
        driver.openSelectedCard(password: CardSamples.ann.password)
        driver.finishAnimation(file: file, line: line)
        let open = try XCTUnwrap(driver.cards?.open, "the right password opens the card", file: file, line: line)
        XCTAssertEqual(open.description.withUnsafeBytes { String(decoding: $0, as: UTF8.self) },
                       CardSamples.ann.description, file: file, line: line)
        XCTAssertTrue(driver.screenText.contains(CardSamples.ann.secretWord), "face up", file: file, line: line)
        return (open.description, open.password)
    }

    /// A new empty store for the next round of a test that loops over keys.
    func startOver() throws {
        service.removeFiles()
        service = try TestVaultService()
    }

    func assertWiped(_ secret: SecretBytes, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(secret.count, 0, "\(what) is emptied", file: file, line: line)
        let nonZero = secret.withWholeMappingForTesting { $0.filter { $0 != 0 }.count }
        XCTAssertEqual(nonZero, 0, "every byte of \(what)'s memory reads zero", file: file, line: line)
    }

    /// The card is closed, its secrets wiped, and the description gone from the screen.
    func assertClosed(_ driver: AppDriver, _ secrets: (description: SecretBytes, password: SecretBytes),
                      file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNil(driver.cards?.open, "no card is open", file: file, line: line)
        assertWiped(secrets.description, "the description", file: file, line: line)
        assertWiped(secrets.password, "the card password", file: file, line: line)
        XCTAssertFalse(driver.screenText.contains(CardSamples.ann.secretWord), "the description is off the screen",
                       file: file, line: line)
    }

    // MARK: Wrong password

    func testWrongPasswordRevealsNothingInStateOrOnScreen() throws {
        let driver = driverOnAnnsCard()
        driver.press(.enter)
        driver.type("ann-tulip-5")
        let typed = try XCTUnwrap(driver.cards?.passwordPrompt?.bytes)
        driver.press(.enter)
        XCTAssertNil(driver.cards?.open, "no description is held")
        XCTAssertNil(driver.cards?.passwordPrompt)
        assertWiped(typed, "the typed password")
        driver.finishAnimation()
        XCTAssertNil(driver.cards?.open)
        XCTAssertFalse(driver.screenText.contains(CardSamples.ann.secretWord))
        XCTAssertTrue(driver.screenText.contains("wrong password"))
    }

    func testTheVaultPasswordDoesNotOpenACard() {
        let driver = driverOnAnnsCard()
        driver.openSelectedCard(password: "correct horse")
        driver.finishAnimation()
        XCTAssertNil(driver.cards?.open)
        XCTAssertFalse(driver.screenText.contains(CardSamples.ann.secretWord))
    }

    func testAnotherCardsPasswordDoesNotOpenIt() {
        let driver = driverOnAnnsCard()
        driver.press(.right)
        driver.openSelectedCard(password: CardSamples.ann.password)
        driver.finishAnimation()
        XCTAssertNil(driver.cards?.open)
        XCTAssertFalse(driver.screenText.contains(CardSamples.bob.secretWord))
        XCTAssertFalse(driver.screenText.contains(CardSamples.ann.secretWord))
    }

    func testEscapeOnThePasswordPromptWipesWhatWasTyped() throws {
        let driver = driverOnAnnsCard()
        driver.press(.enter)
        driver.type(CardSamples.ann.password)
        let typed = try XCTUnwrap(driver.cards?.passwordPrompt?.bytes)
        driver.press(.escape)
        XCTAssertNil(driver.cards?.passwordPrompt)
        XCTAssertNil(driver.cards?.open)
        assertWiped(typed, "the typed password")
    }

    // MARK: Moving away

    func testMovingToAnotherCardClosesAndWipesTheOpenOne() throws {
        let moves: [(String, Key)] = [("→", .right), ("l", .character("l"))]
        for (name, key) in moves {
            let driver = driverOnAnnsCard()
            let secrets = try openAnnsCard(driver)
            driver.press(key)
            XCTAssertNotEqual(driver.cards?.selection, 0, "\(name) moves")
            assertClosed(driver, secrets)
            driver.press(.home)
            XCTAssertEqual(driver.cards?.selection, 0)
            XCTAssertNil(driver.cards?.open, "coming back after \(name) finds the card face down")
            try startOver()
        }
    }

    func testMovingBackAndForthFromTheLastCardClosesIt() throws {
        let driver = driverOnAnnsCard()
        driver.press(.character("G"))
        driver.openSelectedCard(password: CardSamples.neighbours.password)
        driver.finishAnimation()
        let open = try XCTUnwrap(driver.cards?.open)
        driver.press(.character("h"))
        XCTAssertNil(driver.cards?.open)
        assertWiped(open.description, "the description")
        assertWiped(open.password, "the card password")
        XCTAssertFalse(driver.screenText.contains(CardSamples.neighbours.secretWord))
    }

    func testMovingDuringTheFlipClosesTheCardAndStopsTheFlip() throws {
        let driver = driverOnAnnsCard()
        driver.openSelectedCard(password: CardSamples.ann.password)
        driver.send(.tick(now: BootClock.now()))
        let open = try XCTUnwrap(driver.cards?.open)
        driver.press(.right)
        XCTAssertNil(driver.cards?.animation)
        assertClosed(driver, (open.description, open.password))
    }

    func testAKeyThatDoesNotMoveKeepsTheCardOpen() throws {
        let driver = driverOnAnnsCard()
        _ = try openAnnsCard(driver)
        driver.press(.left)  // already the first card
        XCTAssertNotNil(driver.cards?.open)
        XCTAssertTrue(driver.screenText.contains(CardSamples.ann.secretWord))
    }

    func testEscapeClosesAndWipesTheOpenCard() throws {
        let driver = driverOnAnnsCard()
        let secrets = try openAnnsCard(driver)
        driver.press(.escape)
        XCTAssertEqual(driver.cards?.selection, 0, "the card stays selected")
        assertClosed(driver, secrets)
    }

    // MARK: Leaving the view, locking

    func testLeavingTheViewWithTabOrANumberWipesTheOpenCard() throws {
        for key in [Key.tab, .backTab, .character("1"), .character("3")] {
            let driver = driverOnAnnsCard()
            let secrets = try openAnnsCard(driver)
            driver.press(key)
            XCTAssertNil(driver.cards, "\(key) leaves the cards")
            assertWiped(secrets.description, "the description after \(key)")
            assertWiped(secrets.password, "the card password after \(key)")
            XCTAssertFalse(driver.screenText.contains(CardSamples.ann.secretWord))
            driver.showCards()
            XCTAssertNil(driver.cards?.open, "back on the cards after \(key), all are face down")
            XCTAssertFalse(driver.screenText.contains(CardSamples.ann.secretWord))
            try startOver()
        }
    }

    func testControlLLocksAndWipesTheOpenCardAndUnlockShowsItFaceDown() throws {
        let driver = driverOnAnnsCard()
        let secrets = try openAnnsCard(driver)
        driver.press(.ctrl("l"))
        XCTAssertTrue(driver.isLocked)
        assertWiped(secrets.description, "the description")
        assertWiped(secrets.password, "the card password")
        XCTAssertFalse(driver.screenText.contains(CardSamples.ann.secretWord))
        XCTAssertFalse(driver.screenText.contains("To: Ann"), "no card on the lock screen")

        driver.type("correct horse")
        driver.press(.enter)
        XCTAssertEqual(driver.cards?.selectedID, driver.session?.cards.first?.id, "back on the same card")
        XCTAssertNil(driver.cards?.open, "face down after unlocking")
        XCTAssertFalse(driver.screenText.contains(CardSamples.ann.secretWord))
    }

    func testIdleLockSuspendAndHangUpWipeTheOpenCard() throws {
        let ways: [(String, (AppDriver) -> Void)] = [
            ("idle lock", { $0.send(.tick(now: BootClock.now() + $0.state.lockAfter + 1)) }),
            ("Ctrl-Z", { $0.send(.suspendRequested) }),
            ("hang-up", { $0.send(.hangup) }),
        ]
        for (name, leave) in ways {
            let driver = driverOnAnnsCard()
            let secrets = try openAnnsCard(driver)
            leave(driver)
            XCTAssertNil(driver.session, "\(name) closes the vault")
            assertWiped(secrets.description, "the description after \(name)")
            assertWiped(secrets.password, "the card password after \(name)")
            XCTAssertFalse(driver.screenText.contains(CardSamples.ann.secretWord), "\(name)")
            try startOver()
        }
    }

    func testControlLWhileThePasswordIsTypedWipesIt() throws {
        let driver = driverOnAnnsCard()
        driver.press(.enter)
        driver.type(CardSamples.ann.password)
        let typed = try XCTUnwrap(driver.cards?.passwordPrompt?.bytes)
        driver.press(.ctrl("l"))
        XCTAssertTrue(driver.isLocked)
        assertWiped(typed, "the half-typed card password")
    }

    func testQuittingWipesTheOpenCard() throws {
        let driver = driverOnAnnsCard()
        let secrets = try openAnnsCard(driver)
        // q on the open card closes it (a pager's q) and wipes it; q on the grid quits.
        driver.press(.character("q"))
        XCTAssertEqual(driver.quitCount, 0, "q in the card reader does not quit")
        XCTAssertNil(driver.cards?.open)
        assertWiped(secrets.description, "the description")
        assertWiped(secrets.password, "the card password")
        driver.press(.character("q"))
        XCTAssertEqual(driver.quitCount, 1)
    }

    func testQClosesTheCardReaderAndItsKeyBarSaysSo() { closesTheCardReader(with: .character("q")) }
    func testEscClosesTheCardReaderAndItsKeyBarSaysSo() { closesTheCardReader(with: .escape) }

    func closesTheCardReader(with closer: Key) {
        do {
            let driver = driverReadingZed(lines: 3)
            XCTAssertTrue(driver.screenText.contains("close card"), driver.screenText)
            XCTAssertFalse(driver.screenText.contains("q quit"), driver.screenText)
            driver.press(closer)
            XCTAssertNil(driver.cards?.open, "\(closer) closes the card")
            XCTAssertNotNil(driver.cards, "\(closer) stays on the cards")
            XCTAssertEqual(driver.quitCount, 0)
        }
    }

    // MARK: The reader

    /// Zed's card of `lines` numbered lines, opened in the reader on a fresh driver.
    func driverReadingZed(lines: Int) -> AppDriver {
        driverReadingZed((1...lines).map { "line\($0)" }.joined(separator: "\n"))
    }

    /// Zed's card saying `description`, opened in the reader on a fresh driver.
    func driverReadingZed(_ description: String) -> AppDriver {
        let driver = driverOnAnnsCard()
        driver.addCard(to: "Zed", description: description, password: "zed-pw")
        driver.showTasks()
        driver.showCards()
        XCTAssertEqual(driver.visibleRecipients.first, "Zed")
        driver.openSelectedCard(password: "zed-pw")
        driver.finishAnimation()
        return driver
    }

    func assertShows(_ driver: AppDriver, lines: ClosedRange<Int>, of total: Int, position: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        let screen = driver.screen()
        for number in 1...total {
            let shown = screen.contains { $0.range(of: "│ line\(number) ") != nil }
            XCTAssertEqual(shown, lines.contains(number), "line\(number) shown:\n\(driver.screenText)", file: file, line: line)
        }
        XCTAssertTrue(driver.screenText.contains(position), "\(position):\n\(driver.screenText)", file: file, line: line)
    }

    func testTheReaderShowsTheCardLargeWithItsPosition() {
        let driver = driverReadingZed(lines: 60)
        XCTAssertTrue(driver.screen().contains { $0.contains("╭ To: Zed ─") }, driver.screenText)
        assertShows(driver, lines: 1...18, of: 60, position: "line 1 of 60")
        driver.press(.pageDown)
        assertShows(driver, lines: 18...35, of: 60, position: "line 18 of 60")
        driver.press(.down)
        assertShows(driver, lines: 19...36, of: 60, position: "line 19 of 60")
        driver.press(.character("k"))
        driver.press(.up)
        assertShows(driver, lines: 17...34, of: 60, position: "line 17 of 60")
        driver.press(.end)
        assertShows(driver, lines: 43...60, of: 60, position: "line 43 of 60 · end")
        driver.press(.pageDown)
        assertShows(driver, lines: 43...60, of: 60, position: "line 43 of 60 · end")
        driver.press(.character("g"))
        assertShows(driver, lines: 1...18, of: 60, position: "line 1 of 60")
        driver.press(.character("G"))
        assertShows(driver, lines: 43...60, of: 60, position: "line 43 of 60 · end")
        driver.press(.home)
        assertShows(driver, lines: 1...18, of: 60, position: "line 1 of 60")
        XCTAssertNotNil(driver.cards?.open, "scrolling keeps the card open")
        XCTAssertEqual(driver.cards?.selection, 0, "scrolling moves to no other card")
    }

    func testAShortCardSaysHowManyLinesItHas() {
        let driver = driverReadingZed(lines: 3)
        assertShows(driver, lines: 1...3, of: 3, position: "3 lines")
        driver.press(.pageDown)
        assertShows(driver, lines: 1...3, of: 3, position: "3 lines")
    }

    func testUpAfterAResizeToTallerMovesUpAtOnce() {
        let driver = driverReadingZed(lines: 60)
        driver.press(.end)
        driver.resize(width: 80, height: 40)
        assertShows(driver, lines: 27...60, of: 60, position: "line 27 of 60 · end")
        driver.press(.up)
        assertShows(driver, lines: 26...59, of: 60, position: "line 26 of 60")
    }

    func testATwoThousandCharacterCardIsReadToItsEndInFivePageDowns() {
        let words = (1...400).map { "w\($0 % 10)xy" }.joined(separator: " ")
        let text = String(words.prefix(1_988)) + " final words"
        XCTAssertEqual(text.count, 2_000)
        let driver = driverReadingZed(text)
        XCTAssertFalse(driver.screenText.contains("final words"))
        var presses = 0
        while !driver.screenText.contains("final words"), presses < 5 {
            driver.press(.pageDown)
            presses += 1
        }
        XCTAssertTrue(driver.screenText.contains("final words"), "the end after \(presses) PgDn:\n\(driver.screenText)")
        XCTAssertTrue(driver.screenText.contains("· end"), driver.screenText)
    }

    func testThePasswordPromptNamesTheCard() {
        let driver = driverOnAnnsCard()
        driver.press(.enter)
        XCTAssertTrue(driver.screenText.contains("Password for the card to Ann"), driver.screenText)
    }
}
