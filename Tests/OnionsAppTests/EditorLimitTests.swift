import OnionsApp
import TerminalUI
import XCTest

/// The title and info limits hold while typing, and a refusal is said on screen.
final class EditorLimitTests: AppTestCase {
    func newOnionEditor() -> AppDriver {
        let driver = signedUpDriver()
        driver.press(.character("n"))
        XCTAssertNotNil(driver.editor)
        return driver
    }

    func testTitleStopsAcceptingCharactersAtThirty() {
        let driver = newOnionEditor()
        let thirty = String(repeating: "abcdefghij", count: 3)
        driver.type(thirty)
        XCTAssertNil(driver.state.notice)
        driver.type("Z")
        XCTAssertEqual(driver.editorTitle, thirty)
        XCTAssertEqual(driver.state.notice?.isError, true)
        XCTAssertTrue(driver.screenText.contains("at most 30 characters"), driver.screenText)
        XCTAssertTrue(driver.screenText.contains("30/30"))
    }

    func testTitleStopsAcceptingEmojiAtThirty() {
        let driver = newOnionEditor()
        let thirty = String(repeating: "👍🏽", count: 30)
        driver.type(thirty)
        XCTAssertEqual(driver.editor?.title.count, 30)
        driver.press(.character("🎄"))
        XCTAssertEqual(driver.editorTitle, thirty)
        XCTAssertTrue(driver.screenText.contains("at most 30 characters"), driver.screenText)
    }

    /// A terminal sends 👍🏽 as two keys, 👍 and the skin tone; when 👍 is refused the tone must
    /// not join the 30th emoji instead.
    func testTheSkinToneOfARefusedEmojiIsRefusedToo() {
        let driver = newOnionEditor()
        let thirty = String(repeating: "👍🏽", count: 30)
        driver.type(thirty)
        driver.type("👍🏽")
        XCTAssertEqual(driver.editorTitle, thirty)
        XCTAssertTrue(driver.screenText.contains("at most 30 characters"), driver.screenText)
    }

    func testInfoStopsAcceptingCharactersAt2500() {
        let driver = newOnionEditor()
        driver.press(.tab)
        let line = String(repeating: "x", count: 99) + "\n"
        let full = String(repeating: line, count: 25)
        driver.typeInfo(full)
        XCTAssertEqual(driver.editor?.info.count, 2_500)
        XCTAssertNil(driver.state.notice)
        driver.typeInfo("y")
        XCTAssertEqual(driver.editorInfo, full)
        XCTAssertTrue(driver.screenText.contains("at most 2500 characters"), driver.screenText)
        XCTAssertTrue(driver.screenText.contains("2500/2500"))
    }

    func testPastePastTheTitleLimitIsRefusedWithANotice() {
        let driver = newOnionEditor()
        let before = "Twenty-five characters..."
        XCTAssertEqual(before.count, 25)
        driver.type(before)
        driver.type("PASTED TEXT")
        let title = driver.editorTitle ?? ""
        XCTAssertTrue(title.hasPrefix(before), title)
        XCTAssertEqual(title.count, 30)
        XCTAssertTrue(driver.screenText.contains("that was not added"), driver.screenText)
    }

    func testPastePastTheInfoLimitIsRefusedWithANotice() {
        let driver = newOnionEditor()
        driver.press(.tab)
        let before = String(repeating: "word ", count: 499)
        driver.typeInfo(before)
        driver.typeInfo("a pasted paragraph")
        let info = driver.editorInfo ?? ""
        XCTAssertTrue(info.hasPrefix(before))
        XCTAssertEqual(info.count, 2_500)
        XCTAssertTrue(driver.screenText.contains("that was not added"), driver.screenText)
    }

    func testTheNextKeyClearsTheNotice() {
        let driver = newOnionEditor()
        driver.type(String(repeating: "a", count: 31))
        XCTAssertNotNil(driver.state.notice)
        driver.press(.backspace)
        XCTAssertNil(driver.state.notice)
        XCTAssertEqual(driver.editor?.title.count, 29)
    }

    /// 1,000 👍🏽 take 8,000 bytes, the info's byte cap, long before its 2,500 characters: the
    /// counter says so while typing, the next character is refused like one past the character
    /// limit, and the save goes through.
    func testInfoCounterShowsTheByteCapOnceItBindsAndTypingStopsThere() {
        let driver = newOnionEditor()
        driver.type("Thumbs")
        driver.press(.tab)
        driver.typeInfo(String(repeating: "👍🏽", count: 999))
        XCTAssertNil(driver.state.notice)
        XCTAssertTrue(driver.screenText.contains("999/2500 · 7992/8000 bytes"), driver.screenText)
        driver.typeInfo("👍🏽")
        XCTAssertTrue(driver.screenText.contains("1000/2500 · 8000/8000 bytes"), driver.screenText)
        driver.typeInfo("👍🏽a")
        XCTAssertEqual(driver.editor?.info.count, 1_000)
        XCTAssertEqual(driver.editor?.info.byteCount, 8_000)
        XCTAssertTrue(driver.screenText.contains("at most 8000 bytes"), driver.screenText)

        driver.press(.ctrl("s"))
        driver.settle()
        XCTAssertEqual(driver.state.notice?.text, "Saved.")
    }

    func testPlainTextCounterShowsCharactersOnly() {
        let driver = newOnionEditor()
        driver.press(.tab)
        driver.typeInfo("café 家")
        XCTAssertTrue(driver.screenText.contains(" 6/2500 "), driver.screenText)
        XCTAssertFalse(driver.screenText.contains("bytes"), driver.screenText)
    }

    /// A combining mark that would pass the byte cap is refused, though it adds no character.
    func testACombiningMarkPastTheByteCapIsRefused() {
        let driver = newOnionEditor()
        driver.press(.tab)
        driver.typeInfo(String(repeating: "👍🏽", count: 999) + "abcdefg")
        XCTAssertEqual(driver.editor?.info.byteCount, 7_999)
        driver.typeInfo("\u{301}\u{301}")
        XCTAssertEqual(driver.editor?.info.byteCount, 7_999)
        XCTAssertTrue(driver.screenText.contains("at most 8000 bytes"), driver.screenText)
    }
}
