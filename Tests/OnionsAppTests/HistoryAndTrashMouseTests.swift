@testable import OnionsApp
import OnionsCore
import OnionsCrypto
import TerminalUI
import XCTest

/// Clicks in the history and the Trash view: a click selects the row under it, a second click
/// on it acts as Enter does there (restores the version, brings the item back).
final class HistoryAndTrashMouseTests: AppTestCase {
    func testAVersionIsSelectedByAClickAndRestoredByASecondOne() throws {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Groceries", info: "milk")
        let id = try XCTUnwrap(driver.list?.selectedID)
        for info in ["milk\neggs", "milk\neggs\nbread"] {
            driver.loop.runner.changeSessionForTesting { session in
                _ = try session.saveOnion(id: id, title: SecretBytes(copying: Array("Groceries".utf8)),
                                          info: SecretBytes(copying: Array(info.utf8)))
            }
            driver.settle()
        }
        driver.press(.character("H"))
        guard case .history(let opened) = driver.state.screen else { return XCTFail("no history") }
        XCTAssertEqual(opened.list.selection, 1)
        // At 80x24 the versions are listed above the comparison from row 2: version 1 first.
        driver.click(x: 10, y: 2)
        guard case .history(let clicked) = driver.state.screen else { return XCTFail("the click left the history") }
        XCTAssertEqual(clicked.list.selection, 0)
        XCTAssertEqual(clicked.shown?.number, 1, "the clicked version is shown beside the current one")
        XCTAssertEqual(clicked.lines.count, 3, "one click restores nothing")
        // Below the three versions: nothing.
        driver.click(x: 10, y: 5)
        guard case .history(let below) = driver.state.screen else { return XCTFail("the click left the history") }
        XCTAssertEqual(below.list.selection, 0)

        driver.click(x: 10, y: 2)
        driver.click(x: 10, y: 2)
        XCTAssertTrue(driver.state.notice?.text.hasPrefix("Version 1 restored") ?? false, driver.screenText)
        guard case .history(let restored) = driver.state.screen else { return XCTFail("the history closed") }
        XCTAssertEqual(restored.lines.count, 4)
        let session = try XCTUnwrap(driver.session)
        let info = try session.info(of: id)
        defer { info.wipe() }
        XCTAssertEqual(info.withUnsafeBytes { Array($0) }, Array("milk".utf8))
    }

    func testADeletedItemIsSelectedByAClickAndBroughtBackByASecondOne() throws {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Groceries", info: "milk")
        driver.writeOnion(title: "Gifts", info: "socks")
        driver.press(.character("d"), .character("y"))
        driver.press(.character("d"), .character("y"))
        XCTAssertEqual(driver.sessionTitles, [])
        driver.press(.character("4"))
        guard case .trash(let trash) = driver.state.screen else { return XCTFail("no trash: \(driver.screenText)") }
        XCTAssertEqual(trash.lines.count, 2)
        XCTAssertEqual(trash.list.selection, 0)
        let second = trash.lines[1].name.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        // The deleted items are listed from row 2.
        driver.click(x: 12, y: 3)
        guard case .trash(let clicked) = driver.state.screen else { return XCTFail("the click left the trash") }
        XCTAssertEqual(clicked.list.selection, 1)
        XCTAssertEqual(driver.sessionTitles, [], "one click brings nothing back")
        driver.click(x: 12, y: 3)
        XCTAssertEqual(driver.sessionTitles, [second])
        XCTAssertTrue(driver.screenText.contains("Brought back the onion “\(second)”."), driver.screenText)
    }

    func testAClickOnTrashInTheViewBarShowsTheTrash() {
        let driver = signedUpDriver()
        let row = driver.screen()[1]
        let column = row.distance(from: row.startIndex, to: row.range(of: "Trash")!.lowerBound)
        driver.click(x: column + 1, y: 1)
        guard case .trash = driver.state.screen else { return XCTFail("not the trash: \(driver.screenText)") }
    }
}
