@testable import OnionsApp
import OnionsCore
import OnionsCrypto
import TerminalUI
import XCTest

/// Keys, pastes and clicks that arrive while work is in flight wait for its answer and are then
/// handled in the order they came, as if typed slowly; Ctrl-L sets them aside instead (after
/// giving the open draft the ones that edit it), and nothing set aside comes back.
final class InputQueueTests: AppTestCase {
    private func holding(_ driver: AppDriver, _ picks: @escaping (VaultRequest) -> Bool) {
        driver.gate.hold { job in
            if case .vault(let request) = job { return picks(request) }
            return false
        }
    }

    func testTwoTasksTypedInOneBurstDuringTheFirstSaveAreBothAdded() {
        let driver = signedUpDriver()
        driver.showTasks()
        holding(driver) { if case .saveTask = $0 { return true } else { return false } }
        driver.press(.character("n"))
        driver.type("five")
        driver.press(.enter)
        XCTAssertEqual(driver.state.busy?.label, "Saving", "the first task's save is in flight")
        driver.press(.character("n"))
        driver.type("six")
        driver.press(.enter)
        XCTAssertEqual(driver.state.queued.count, 5, "n, s, i, x, Enter wait for the save's answer")
        XCTAssertNil(driver.state.notice, "nothing was refused")
        XCTAssertEqual(driver.tasks?.input.map { String($0.characters) }, "five",
                       "the keys did not go anywhere before the answer")

        driver.gate.releaseAll()
        driver.settle()
        XCTAssertEqual(driver.sessionTasks, ["0 [ ] five", "1 [ ] six"])
        XCTAssertTrue(driver.state.queued.isEmpty)
        XCTAssertNil(driver.state.busy)
    }

    func testKeysWaitingBehindASaveOpenTheNextEditorInOrder() {
        let driver = signedUpDriver()
        driver.press(.character("n"))
        driver.type("first")
        holding(driver) { if case .saveOnion = $0 { return true } else { return false } }
        driver.press(.ctrl("s"))
        driver.press(.character("n"))
        driver.type("second")
        XCTAssertEqual(driver.editorTitle, "first", "the editor saving is left alone meanwhile")

        driver.gate.releaseAll()
        driver.settle()
        XCTAssertEqual(driver.sessionTitles, ["first"])
        XCTAssertEqual(driver.editorTitle, "second", "n opened a new editor on the list the save returned to")
        XCTAssertNil(driver.editor?.target)
    }

    func testAPasteAndAClickWaitTheirTurnToo() {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Alpha", info: "a")
        driver.writeOnion(title: "Beta", info: "b")
        driver.press(.character("n"))
        driver.type("Gamma")
        holding(driver) { if case .saveOnion = $0 { return true } else { return false } }
        driver.press(.ctrl("s"))
        driver.press(.character("/"))
        driver.paste("Alp")
        XCTAssertEqual(driver.state.queued.count, 2)
        driver.gate.releaseAll()
        driver.settle()
        XCTAssertEqual(driver.list.map { String($0.search.characters) }, "Alp", "the paste went to the search after /")
        XCTAssertEqual(driver.visibleTitles, ["Alpha"])
    }

    func testTicksRunWhileKeysWait() {
        let driver = signedUpDriver()
        driver.showTasks()
        holding(driver) { if case .saveTask = $0 { return true } else { return false } }
        driver.press(.character("n"))
        driver.type("five")
        driver.press(.enter)
        driver.type("abc")
        let ticks = driver.state.tickCount
        driver.send(.tick(now: driver.state.now + 1))
        XCTAssertEqual(driver.state.tickCount, ticks + 1)
        XCTAssertTrue(driver.screenText.contains("Saving…"), "the working dialog is up: \(driver.screenText)")
        XCTAssertEqual(driver.state.queued.count, 3)
        driver.gate.releaseAll()
        driver.settle()
    }

    func testControlLGivesTheDraftItsQueuedKeysAndSetsTheRestAsideWiped() throws {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Seeds", info: "tomatoes")
        driver.press(.character("e"))
        XCTAssertNotNil(driver.editor)
        driver.press(.tab, .end)
        holding(driver) { if case .saveOnion = $0 { return true } else { return false } }
        var sealed: String?
        let record = driver.loop.onEffect
        driver.loop.onEffect = { effect in
            if case .vault(.lock(let draft?)) = effect {
                sealed = draft.info.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            }
            record?(effect)
        }
        driver.press(.ctrl("s"))
        driver.type(", basil")
        driver.press(.escape)
        driver.type("dy")
        let waiting = driver.state.queued.items
        XCTAssertEqual(waiting.count, 10)

        driver.press(.ctrl("l"))
        XCTAssertTrue(driver.isLocked, "Ctrl-L locks at once")
        XCTAssertEqual(sealed, "tomatoes, basil", "the draft sealed holds the keys that edited it")
        XCTAssertTrue(driver.state.queued.isEmpty)
        XCTAssertEqual(driver.state.notice?.text, "3 keys typed while locking were set aside (wiped, not used).")
        XCTAssertTrue(driver.screenText.contains("3 keys typed while locking were set aside"), driver.screenText)
        for item in waiting {
            if case .character(let bytes, _) = item { XCTAssertEqual(bytes.count, 0, "a typed character is wiped") }
        }

        driver.gate.releaseAll()
        driver.settle()
        XCTAssertEqual(driver.lockState?.password.isEmpty, true, "nothing set aside went into the password field")
        driver.type("correct horse")
        driver.press(.enter)
        XCTAssertEqual(driver.editorInfo, "tomatoes, basil", "the draft came back with what was typed")
        XCTAssertNil(driver.state.overlay, "Esc, d and y were not replayed after the unlock")
        XCTAssertEqual(driver.sessionTitles, ["Seeds"])
    }

    func testKeysSetAsideByALockAreNeverReplayedAfterTheUnlock() {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Keep me", info: "safe")
        holding(driver) { if case .openInfo(_, .read) = $0 { return true } else { return false } }
        driver.press(.enter)
        XCTAssertEqual(driver.state.busy?.label, "Opening")
        driver.press(.escape)
        driver.type("dy")
        driver.press(.ctrl("l"))
        XCTAssertTrue(driver.isLocked)
        XCTAssertEqual(driver.state.notice?.text, "3 keys typed while locking were set aside (wiped, not used).")
        driver.gate.releaseAll()
        driver.settle()
        driver.type("correct horse")
        driver.press(.enter)
        XCTAssertNotNil(driver.list)
        XCTAssertNil(driver.state.overlay, "no delete question from the d set aside")
        XCTAssertEqual(driver.sessionTitles, ["Keep me"], "nothing was deleted")
        XCTAssertTrue(driver.state.queued.isEmpty)
    }

    func testTheQueueIsBounded() {
        var state = AppState(size: Size(width: 80, height: 24))
        state.busy = Busy(label: "Saving", since: 0, shown: false)
        for _ in 0..<InputQueue.limit { _ = App.update(&state, .key(.character("a"), now: 1)) }
        XCTAssertNil(state.notice)
        _ = App.update(&state, .key(.character("b"), now: 1))
        XCTAssertEqual(state.queued.count, InputQueue.limit)
        XCTAssertEqual(state.notice?.isError, true, "past the bound a key is refused out loud, never silently")
        state.queued.wipe()
    }
}

extension AppDriver {
    var lockState: LockState? {
        if case .locked(let lockState) = state.screen { return lockState }
        return nil
    }
}
