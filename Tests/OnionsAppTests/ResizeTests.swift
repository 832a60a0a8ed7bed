import OnionsApp
import TerminalUI
import XCTest

/// Any size down to 0×0 renders; below the minimum a notice says so.
final class ResizeTests: AppTestCase {
    func testTooSmallThenBackRestoresTheScreen() {
        let driver = signedUpDriver()
        driver.writeOnion(title: "家族の予定", info: "土曜日は買い物。")
        driver.press(.enter)
        driver.press(.tab)
        let before = driver.screen()
        driver.resize(width: 20, height: 5)
        let small = driver.screenText
        XCTAssertTrue(small.contains("Terminal too small"), small)
        XCTAssertFalse(small.contains("家族"))
        driver.resize(width: 80, height: 24)
        XCTAssertEqual(driver.screen(), before)
    }

    func testEveryScreenRendersAtZeroAndOneCell() {
        let driver = signedUpDriver()
        var screens: [String: () -> Void] = [:]
        screens["list"] = { driver.writeOnion(title: "家族の予定", info: "土曜日") }
        screens["editor"] = { driver.press(.character("n")); driver.type("x") }
        screens["dialog"] = { driver.press(.escape) }
        screens["lock"] = { driver.press(.ctrl("l")) }
        for name in ["list", "editor", "dialog", "lock"] {
            screens[name]!()
            for (width, height) in [(0, 0), (1, 1), (0, 24), (80, 0), (2, 1)] {
                driver.resize(width: width, height: height)
                let lines = driver.screen()
                XCTAssertEqual(lines.count, height, name)
                XCTAssertTrue(lines.allSatisfy { DisplayWidth.of($0) <= width }, name)
            }
            driver.resize(width: 80, height: 24)
        }
        XCTAssertTrue(driver.isLocked)
    }

    func testTypingInATinyEditorKeepsWorking() {
        let driver = signedUpDriver()
        driver.press(.character("n"))
        driver.resize(width: 0, height: 0)
        driver.type("tiny")
        driver.press(.tab)
        driver.typeInfo("a\nb\nc")
        driver.press(.up, .up, .pageDown, .end)
        driver.resize(width: 1, height: 1)
        driver.typeInfo("d")
        XCTAssertEqual(driver.editorTitle, "tiny")
        XCTAssertEqual(driver.editorInfo?.count, 6)
        driver.resize(width: 80, height: 24)
        XCTAssertTrue(driver.screenText.contains("Title tiny"))
    }

    func testTheLogInScreenAtEverySmallSize() {
        let driver = makeDriver()
        driver.logIn("bob", password: "pw")
        for width in 0...30 {
            for height in 0...14 {
                let lines = driver.render(width: width, height: height)
                XCTAssertEqual(lines.count, height)
            }
        }
    }
}
