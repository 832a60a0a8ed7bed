@testable import OnionsApp
import OnionsCore
import OnionsCrypto
import TerminalUI
import XCTest

/// The real loop on the headless terminal: a key goes in, the effect runs on the runner's
/// thread, its answer comes back as a message, and the frame shows the result.
final class AppLoopTests: AppTestCase {
    /// A new vault's editor holding "Seed packets" / "tomatoes, basil", with the runner set to
    /// hold the next save in flight.
    private func editorWithASaveHeld() -> AppDriver {
        let driver = signedUpDriver()
        driver.press(.character("n"))
        driver.type("Seed packets")
        driver.press(.tab)
        driver.typeInfo("tomatoes, basil")
        driver.gate.hold { job in
            if case .vault(.saveOnion) = job { return true }
            return false
        }
        return driver
    }

    func testASaveRunsOnTheRunnerAndItsAnswerDrawsTheNewTitle() {
        let driver = editorWithASaveHeld()
        let requests = driver.vaultRequests
        driver.press(.ctrl("s"))

        XCTAssertEqual(driver.vaultRequests, requests + 1, "Ctrl-S asks the runner for the save")
        XCTAssertEqual(driver.state.busy?.label, "Saving", "the state waits for the answer")
        XCTAssertNotNil(driver.editor, "nothing changes screen before the answer")
        XCTAssertFalse(driver.screenText.contains("Saved."))
        XCTAssertTrue(driver.loop.runner.isWorking, "the save is in flight on the runner's thread")

        let drawn = driver.terminal.drawCount
        driver.gate.releaseAll()
        driver.loop.runUntilIdle()

        XCTAssertFalse(driver.loop.runner.isWorking)
        XCTAssertNil(driver.state.busy, "the answer was handled")
        XCTAssertGreaterThan(driver.terminal.drawCount, drawn, "the answer drew a frame")
        XCTAssertEqual(driver.terminal.screenText()[2], " › Seed packets                 │ tomatoes, basil")
        XCTAssertTrue(driver.screenText.contains("Saved."), driver.screenText)
        XCTAssertEqual(driver.visibleTitles, ["Seed packets"], "the list shows the new snapshot")
        XCTAssertEqual(driver.sessionTitles, ["Seed packets"], "the runner's session saved it")
    }

    func testALockWhileASaveIsInFlightKeepsTheSaveAndMakesNoDraftOfIt() {
        let driver = editorWithASaveHeld()
        driver.press(.ctrl("s"))
        driver.press(.ctrl("l"))
        XCTAssertTrue(driver.isLocked, "Ctrl-L locks at once, the save still in flight")

        driver.gate.releaseAll()
        driver.loop.runUntilIdle()
        driver.type("correct horse")
        driver.press(.enter)
        XCTAssertNotNil(driver.list, "the save went through, so unlocking shows the list, not a draft of it")
        XCTAssertNil(driver.editor)
        XCTAssertEqual(driver.visibleTitles, ["Seed packets"])
        XCTAssertNil(driver.state.vault?.draft, "no draft was sealed for text the save already holds")
    }

    func testKeysDuringASlowCardOpenWaitTheSpinnerShowsAndControlLStillLocksSettingThemAside() {
        let driver = signedUpDriver()
        driver.addCard(to: "Ann", description: "A scarf, the blue one", password: "blue scarf")
        driver.showCards()
        driver.gate.hold { job in
            if case .vault(.openCard) = job { return true }
            return false
        }
        driver.openSelectedCard(password: "blue scarf")
        XCTAssertEqual(driver.state.busy?.label, "Opening the card")
        XCTAssertTrue(driver.loop.runner.isWorking, "the key derivation is in flight")

        driver.press(.character("n"))
        XCTAssertNil(driver.cards?.form, "a key typed meanwhile waits for the answer")
        XCTAssertEqual(driver.state.queued.count, 1)
        XCTAssertNil(driver.state.notice, "and is not refused")

        driver.send(.tick(now: driver.state.now + 1))
        XCTAssertTrue(driver.screenText.contains("Opening the card…"), "the working dialog is up: \(driver.screenText)")

        driver.press(.ctrl("l"))
        XCTAssertTrue(driver.isLocked, "Ctrl-L locks at once")
        XCTAssertEqual(driver.state.notice?.text, "1 key typed while locking was set aside (wiped, not used).")
        XCTAssertNil(driver.state.vault, "the snapshot is wiped at once")
        XCTAssertFalse(driver.screenText.contains("Ann"), driver.screenText)

        driver.gate.releaseAll()
        driver.loop.runUntilIdle()
        XCTAssertTrue(driver.isLocked, "the late answer does not reopen anything")
        XCTAssertNil(driver.session, "the lock ran after the card open and wiped the session")
        XCTAssertNil(driver.state.busy)
        XCTAssertFalse(driver.screenText.contains("scarf"), driver.screenText)

        driver.type("correct horse")
        driver.press(.enter)
        XCTAssertNotNil(driver.cards, "unlocking goes back to the cards")
        XCTAssertNil(driver.cards?.open, "face down")
        XCTAssertNil(driver.cards?.form, "the n set aside is not replayed after the unlock")
    }

    func testKeysTypedWhileACardOpensLandInOrderOnTheOpenCard() {
        let driver = signedUpDriver()
        driver.addCard(to: "Ann", description: "A scarf, the blue one", password: "blue scarf")
        driver.addCard(to: "Bob", description: "Socks", password: "grey socks")
        driver.showCards()
        driver.gate.hold { job in
            if case .vault(.openCard) = job { return true }
            return false
        }
        driver.openSelectedCard(password: driver.visibleRecipients.first == "Ann" ? "blue scarf" : "grey socks")
        let opening = driver.cards?.selectedID
        driver.press(.character("e"))
        driver.press(.ctrlEnd)
        driver.type("!")
        XCTAssertEqual(driver.state.queued.count, 3)
        driver.gate.releaseAll()
        driver.settle()
        XCTAssertEqual(driver.cards?.open?.id, opening, "the card opened first")
        XCTAssertEqual(driver.cards?.form?.target, opening, "then e edited it")
        XCTAssertEqual(driver.cards?.form?.focus, .description)
        XCTAssertTrue(driver.cards?.form.map { String($0.description.characters).hasSuffix("!") } ?? false,
                      "then Ctrl-End went to the end of the description and ! was typed there")
    }

    func testAMovedSelectionShowsWithItsPreviewInOneFrame() {
        let driver = signedUpDriver()
        driver.writeOnion(title: "First", info: "one one")
        driver.writeOnion(title: "Second", info: "two two")
        XCTAssertEqual(driver.screen()[2], " › Second                       │ two two")
        let before = driver.frames.drawn.count
        // The loop's clock stands still, so a loaded machine cannot pass the working dialog's
        // delay while the preview is opened (after it, a frame is drawn anyway, by design).
        driver.clock.fixed = BootClock.now()
        driver.press(.down)
        driver.clock.fixed = nil
        let after = driver.frames.drawn.dropFirst(before)
        XCTAssertFalse(after.isEmpty, "the move was drawn")
        for frame in after {
            XCTAssertEqual(frame[2], "   Second                       │ one one", "no frame shows the selection without its preview")
            XCTAssertEqual(frame[3], " › First                        │")
        }
    }

    func testSuspendWaitsForTheLockToWipeTheRunnersSession() {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Keys", info: "under the mat")
        driver.gate.slow({ job in
            if case .vault(.lock) = job { return true }
            return false
        }, seconds: 0.3)
        driver.send(.suspendRequested)
        XCTAssertEqual(driver.unlockedAtSuspend, [false], "the session was wiped before the process stopped")
        XCTAssertNil(driver.session)
    }
}
