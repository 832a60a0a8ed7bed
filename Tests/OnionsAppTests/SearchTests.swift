@testable import OnionsApp
import TerminalUI
import XCTest

/// `/` searches titles and infos as you type; Enter keeps the filter, Esc clears it.
final class SearchTests: AppTestCase {
    func driverWithOnions() -> AppDriver {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Groceries", info: "milk, eggs, bread")
        driver.writeOnion(title: "Gifts", info: "socks for Bob")
        driver.writeOnion(title: "Garden", info: "plant the tulips; buy EGGSHELL paint")
        return driver
    }

    func testTypingFiltersByTitle() {
        let driver = driverWithOnions()
        driver.press(.character("/"))
        driver.type("gift")
        XCTAssertEqual(driver.visibleTitles, ["Gifts"])
        XCTAssertTrue(driver.screenText.contains("1 of 3 match"))
        XCTAssertFalse(driver.screenText.contains("Groceries"))
    }

    func testTypingFiltersByInfoText() {
        let driver = driverWithOnions()
        driver.press(.character("/"))
        driver.type("eggs")
        XCTAssertEqual(driver.visibleTitles, ["Garden", "Groceries"])
        driver.type("h")
        XCTAssertEqual(driver.visibleTitles, ["Garden"])
    }

    func testEachKeyNarrowsAndBackspaceWidens() {
        let driver = driverWithOnions()
        driver.press(.character("/"))
        driver.type("g")
        XCTAssertEqual(driver.visibleTitles.count, 3)
        driver.type("r")
        XCTAssertEqual(driver.visibleTitles, ["Groceries"])
        driver.press(.backspace)
        XCTAssertEqual(driver.visibleTitles.count, 3)
    }

    func testNothingMatchingSaysSo() {
        let driver = driverWithOnions()
        driver.press(.character("/"))
        driver.type("zebra")
        XCTAssertEqual(driver.visibleTitles, [])
        XCTAssertTrue(driver.screenText.contains("Nothing matches the search."))
    }

    func testEnterKeepsTheFilter() {
        let driver = driverWithOnions()
        driver.press(.character("/"))
        driver.type("socks")
        driver.press(.enter)
        XCTAssertEqual(driver.list?.searching, false)
        XCTAssertEqual(driver.visibleTitles, ["Gifts"])
        XCTAssertTrue(driver.screenText.contains("/ socks"))
        // Keys act on the list again: n opens a new onion rather than typing "n".
        driver.press(.character("n"))
        XCTAssertNotNil(driver.editor)
    }

    func testEscClearsTheSearch() {
        let driver = driverWithOnions()
        driver.press(.character("/"))
        driver.type("socks")
        driver.press(.escape)
        XCTAssertEqual(driver.list?.searching, false)
        XCTAssertEqual(driver.list?.search.isEmpty, true)
        XCTAssertEqual(driver.visibleTitles, ["Garden", "Gifts", "Groceries"])
        XCTAssertFalse(driver.screenText.contains("/ socks"))
    }

    func testEscAfterEnterClearsAKeptFilter() {
        let driver = driverWithOnions()
        driver.press(.character("/"))
        driver.type("socks")
        driver.press(.enter, .escape)
        XCTAssertEqual(driver.visibleTitles.count, 3)
    }

    func testEOnAFilteredListEditsTheMatch() {
        let driver = driverWithOnions()
        driver.press(.character("/"))
        driver.type("milk")
        driver.press(.enter, .character("e"))
        XCTAssertEqual(driver.editorTitle, "Groceries")
    }

    /// Typing on searches within the last results and Backspace goes back to earlier ones; a
    /// query typed in another case, or edited in the middle, still finds what a fresh search finds.
    func testNarrowingAndWideningAgreeWithAFreshSearchAtEveryStep() {
        let driver = driverWithOnions()
        driver.writeOnion(title: "Egg timer", info: "three minutes")
        driver.press(.character("/"))
        func check(_ line: UInt = #line) {
            guard case .list(let list) = driver.state.screen, let session = driver.session else {
                return XCTFail("not on the list", line: line)
            }
            let query = Array(String(list.search.characters).utf8)
            XCTAssertEqual(list.visible.map(\.id), session.searchOnions(query).map(\.id), line: line)
        }
        for text in ["e", "g", "G", "s"] { driver.type(text); check() }
        driver.press(.backspace); check()
        driver.press(.backspace); check()
        driver.type("gsh"); check()
        driver.press(.left, .left, .backspace); check()
        driver.press(.backspace, .backspace, .backspace); check()
    }

    /// The first search of a session opens every info, which takes a while in a large vault: it
    /// runs on the runner's thread, so the keys typed meanwhile are handled at once (the loop
    /// draws them once `Busy.showAfter` has passed), and the rows change only with the answer
    /// for the query now typed.
    func testKeysTypedWhileTheFirstSearchRunsAreHandledAndTheRowsWaitForTheirOwnAnswer() {
        let driver = driverWithOnions()
        driver.gate.hold { job in
            if case .vault(.search) = job { return true }
            return false
        }
        driver.press(.character("/"))
        driver.type("e")
        XCTAssertTrue(driver.loop.runner.isWorking, "the first search is in flight on the runner's thread")
        driver.type("ggs")
        XCTAssertEqual(driver.list.map { String($0.search.characters) }, "eggs", "keys are handled meanwhile")
        let rendered = driver.render(width: 80, height: 24).joined(separator: "\n")
        XCTAssertTrue(rendered.contains("/ eggs"), rendered)

        // The answer for "e" (Garden and Groceries) comes while "eggs" is typed: the rows stay.
        driver.gate.hold { job in
            if case .vault(.search(let query, _)) = job { return query != Array("e".utf8) }
            return false
        }
        XCTAssertTrue(driver.loop.runner.waitForResult())
        XCTAssertTrue(driver.loop.step())
        XCTAssertEqual(driver.visibleTitles.count, 3)

        driver.gate.releaseAll()
        driver.loop.runUntilIdle()
        XCTAssertEqual(driver.visibleTitles, ["Garden", "Groceries"], "the answer for \"eggs\", not for \"e\"")
    }
}
