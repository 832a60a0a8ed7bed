import OnionsApp
import OnionsCore
import TerminalUI
import XCTest

/// A bracketed paste goes into the focused field whole or not at all, and never runs a command.
final class PasteTests: AppTestCase {
    func driverWithOnions() -> AppDriver {
        let driver = signedUpDriver()
        driver.writeOnion(title: "zz-throwaway", info: "keep me")
        driver.writeOnion(title: "Groceries", info: "milk")
        return driver
    }

    func testAMultiLinePasteInSearchRunsNoCommand() {
        let driver = driverWithOnions()
        driver.press(.character("/"))
        driver.paste("zz-throw\ndy")
        XCTAssertEqual(driver.sessionTitles.sorted(), ["Groceries", "zz-throwaway"], "nothing was deleted")
        XCTAssertNil(driver.state.overlay, "no delete question was asked")
        XCTAssertEqual(driver.list.map { String($0.search.characters) }, "", "nothing was put in the search")
        XCTAssertTrue(driver.list?.searching == true, "the search is still being typed")
        XCTAssertTrue(driver.screenText.contains("line breaks; nothing was pasted"), driver.screenText)
    }

    func testAPasteInTheListOpensNothing() {
        let driver = driverWithOnions()
        driver.paste("milk\nnq")
        XCTAssertNotNil(driver.list, "still on the list: no new onion, no quit")
        XCTAssertEqual(driver.quitCount, 0)
        XCTAssertTrue(driver.screenText.contains("Nothing here takes text; nothing was pasted."), driver.screenText)
    }

    func testAOneLinePasteGoesIntoTheSearch() {
        let driver = driverWithOnions()
        driver.press(.character("/"))
        driver.paste("groc")
        XCTAssertEqual(driver.visibleTitles, ["Groceries"])
    }

    func testAPasteThatMatchesNothingStaysInTheSearch() {
        let driver = driverWithOnions()
        driver.press(.character("/"))
        driver.paste("zebra")
        XCTAssertEqual(driver.list.map { String($0.search.characters) }, "zebra")
        XCTAssertEqual(driver.visibleTitles, [])
    }

    func testAPasteGoesIntoANewTask() {
        let driver = driverWithOnions()
        driver.press(.character("3"))
        driver.press(.character("n"))
        driver.paste("buy stamps")
        driver.press(.enter)
        XCTAssertTrue(driver.screenText.contains("buy stamps"), driver.screenText)
    }

    func testAMultiLinePasteGoesIntoTheInfoAsLines() {
        let driver = driverWithOnions()
        driver.press(.character("n"))
        driver.paste("Title\u{1b}[A")
        XCTAssertEqual(driver.editorTitle, "Title[A", "the escape was left out, never taken as a key")
        XCTAssertTrue(driver.screenText.contains("Left out 1 control character"), driver.screenText)
        driver.press(.tab)
        driver.paste("one\r\ntwo\rthree\tfour")
        XCTAssertEqual(driver.editorInfo, "one\ntwo\nthree\tfour", "the tab is kept in the info")
        XCTAssertEqual(driver.editor?.dirty, true)
    }

    func testAPastedTabStaysATabInTheInfoAndIsLeftOutOfTheTitle() {
        let driver = driverWithOnions()
        driver.press(.character("n"))
        driver.paste("a\tb")
        XCTAssertEqual(driver.editorTitle, "ab", "a title is one line of text: the tab is left out")
        XCTAssertTrue(driver.screenText.contains("Left out 1 control character"), driver.screenText)
        driver.press(.tab)
        driver.paste("host:\tdb1")
        XCTAssertEqual(driver.editorInfo, "host:\tdb1")
        XCTAssertTrue(driver.screenText.contains("host:   db1"), "shown to the next tab stop:\n\(driver.screenText)")
    }

    func testAPastePastTheLimitInsertsWhatFitsAndSaysHowMuchDidNot() {
        let driver = driverWithOnions()
        driver.press(.character("n"))
        driver.type("abc")
        let limit = FieldLimit.onionTitle.maxCharacters
        driver.paste(String(repeating: "x", count: limit - 3 + 5))
        XCTAssertEqual(driver.editorTitle, "abc" + String(repeating: "x", count: limit - 3), "what fits is taken")
        XCTAssertTrue(driver.screenText.contains("the last 5 did not fit"), driver.screenText)
        XCTAssertEqual(driver.editor?.dirty, true)
    }

    func testAPasteThatFitsExactlyIsTakenWhole() {
        let driver = driverWithOnions()
        driver.press(.character("n"))
        driver.type("abc")
        let limit = FieldLimit.onionTitle.maxCharacters
        driver.paste(String(repeating: "x", count: limit - 3))
        XCTAssertEqual(driver.editor?.title.count, limit, "a paste that fits exactly is taken")
        XCTAssertNil(driver.state.notice)
    }

    func testAPasteIntoThePasswordFieldStaysMasked() {
        let driver = makeDriver()
        driver.type("alice")
        driver.press(.enter)
        driver.paste("correct horse")
        guard case .login(let form) = driver.state.screen else { return XCTFail("not on the log-in screen") }
        XCTAssertEqual(form.password.count, 13)
        XCTAssertFalse(driver.screenText.contains("correct"), driver.screenText)
    }
}
