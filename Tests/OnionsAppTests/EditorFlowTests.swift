import OnionsApp
import OnionsCore
import TerminalUI
import XCTest

/// Saving, discarding and leaving the editor.
final class EditorFlowTests: AppTestCase {
    func testEscWithChangesAsksBeforeDiscarding() {
        let driver = signedUpDriver()
        driver.press(.character("n"))
        driver.type("Plans")
        driver.press(.escape)
        XCTAssertEqual(driver.state.overlay, .confirmDiscard)
        XCTAssertTrue(driver.screenText.contains("Discard changes? (y/n)"))
    }

    func testNoKeepsEditingWithTheTextIntact() {
        let driver = signedUpDriver()
        driver.press(.character("n"))
        driver.type("Plans")
        driver.press(.tab)
        driver.typeInfo("first line\nsecond")
        driver.press(.escape, .character("n"))
        XCTAssertNil(driver.state.overlay)
        XCTAssertEqual(driver.editorTitle, "Plans")
        XCTAssertEqual(driver.editorInfo, "first line\nsecond")
        XCTAssertEqual(driver.editor?.focus, .info)
        driver.typeInfo("!")
        XCTAssertEqual(driver.editorInfo, "first line\nsecond!")
    }

    func testYesGoesBackAndSavesNothing() {
        let driver = signedUpDriver()
        driver.press(.character("n"))
        driver.type("Plans")
        driver.press(.escape, .character("y"))
        XCTAssertNotNil(driver.list)
        XCTAssertEqual(driver.sessionTitles, [])
        XCTAssertFalse(driver.screenText.contains("Plans"))

        driver.press(.ctrl("l"))
        driver.type("correct horse")
        driver.press(.enter)
        XCTAssertNotNil(driver.list, "no draft may come back after a discard")
        XCTAssertEqual(driver.sessionTitles, [])
    }

    func testEscWithoutChangesGoesStraightBack() {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Kept", info: "as it was")
        driver.press(.character("e"))
        XCTAssertEqual(driver.editorTitle, "Kept")
        driver.press(.escape)
        XCTAssertNil(driver.state.overlay)
        XCTAssertNotNil(driver.list)
        XCTAssertEqual(driver.list?.selectedID, driver.session?.onions.first?.id)
    }

    func testControlSSavesAndListsTheOnionFirst() {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Older", info: "one")
        driver.writeOnion(title: "家族の予定", info: "土曜日")
        XCTAssertNotNil(driver.list)
        XCTAssertEqual(driver.sessionTitles, ["家族の予定", "Older"])
        let session = driver.session!
        let info = try? session.info(of: session.onions[0].id)
        XCTAssertEqual(info.map { $0.withUnsafeBytes { Array($0) } }, Array("土曜日".utf8))
        XCTAssertEqual(driver.screen()[2], " › 家族の予定                   │ 土曜日")
        XCTAssertEqual(driver.screen()[3], "   Older                        │")
    }

    func testSavingAnEditReplacesTheOnion() {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Draft", info: "v1")
        driver.press(.character("e"))
        driver.press(.backspace, .backspace, .backspace, .backspace, .backspace)
        driver.type("Final")
        driver.press(.tab)
        driver.press(.end)
        driver.typeInfo("+v2")
        driver.press(.ctrl("s"))
        XCTAssertEqual(driver.sessionTitles, ["Final"])
        let session = driver.session!
        let info = try? session.info(of: session.onions[0].id)
        XCTAssertEqual(info.map { $0.withUnsafeBytes { Array($0) } }, Array("v1+v2".utf8))
    }

    func testSavedOnionsSurviveLoggingInAgain() {
        let driver = signedUpDriver()
        driver.writeOnion(title: "🎄 gifts 👍🏽", info: "socks")
        driver.send(.terminate)
        let again = makeDriver()
        again.logIn()
        XCTAssertEqual(again.sessionTitles, ["🎄 gifts 👍🏽"])
    }
}
