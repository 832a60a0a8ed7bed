import Foundation
@testable import OnionsApp
import OnionsCore
import OnionsCrypto
import TerminalUI
import XCTest

/// The history view of a conflict copy says what it came from, and `o` there restores the
/// other side of the conflict in one step. The conflict comes from a real sync with another
/// machine (the SQLite "server" of `InterfaceSyncTests`).
final class ConflictCopyHistoryTests: AppTestCase {
    /// "Plans" saved here and synced to the laptop; both change its line apart, the laptop's
    /// reaches the server first, and the tick's sync keeps this machine's as "Plans (conflict 2)".
    func driverWithConflictCopy() throws -> AppDriver {
        let server = try AnnouncingServer(path: service.directory.appendingPathComponent("server.db").path)
        let vaults = SyncingVaultService(service: service, server: server)
        let driver = AppDriver(service: service, vaults: vaults)
        driver.signUp()
        driver.writeOnion(title: "Plans", info: "monday")
        let id = try XCTUnwrap(driver.list?.selectedID)
        let other = try vaults.otherMachine()
        defer { other.lock() }
        XCTAssertEqual(other.onions.count, 1, "the laptop has the onion")
        let title = SecretBytes(copying: Array("Plans".utf8))
        defer { title.wipe() }
        try other.saveOnion(id: id, title: title, info: SecretBytes(copying: Array("monday gym".utf8)))
        other.pushPending()
        driver.loop.runner.changeSessionForTesting { session in
            _ = try session.saveOnion(id: id, title: SecretBytes(copying: Array("Plans".utf8)),
                                      info: SecretBytes(copying: Array("monday dentist".utf8)))
        }
        driver.settle()
        server.announce()
        driver.send(.tick(now: driver.state.now + 1))
        XCTAssertEqual(driver.sessionTitles.sorted(), ["Plans", "Plans (conflict 2)"])
        return driver
    }

    func testTheCopysHistoryNamesItsOriginAndOGivesTheOriginalItsText() throws {
        let driver = try driverWithConflictCopy()
        let session = try XCTUnwrap(driver.session)
        let original = try XCTUnwrap(session.onions.first { session.title($0) == "Plans" }).id
        let copy = try XCTUnwrap(session.onions.first { session.title($0) == "Plans (conflict 2)" }).id
        let index = try XCTUnwrap(driver.list?.visible.firstIndex { $0.id == copy })
        let selection = driver.list?.list.selection ?? 0
        for _ in 0..<abs(index - selection) { driver.press(index > selection ? .down : .up) }
        XCTAssertEqual(driver.list?.selectedID, copy)
        driver.press(.character("H"))
        guard case .history(let history) = driver.state.screen else { return XCTFail("no history: \(driver.screenText)") }
        let origin = try XCTUnwrap(history.origin, "the copy's history names its origin")
        XCTAssertTrue(origin.restorable)
        XCTAssertTrue(origin.text.hasPrefix("Conflict copy of version 2 of the onion, saved by this machine (commit "),
                      origin.text)
        XCTAssertTrue(driver.screenText.contains("Conflict copy of version 2"), driver.screenText)
        XCTAssertTrue(driver.screenText.contains("o other side"), driver.screenText)
        assertEverySize(driver, "history-conflict-copy")

        driver.press(.character("o"))
        XCTAssertNotNil(driver.list, "back to the list")
        XCTAssertEqual(driver.sessionTitles, ["Plans"])
        XCTAssertEqual(driver.list?.selectedID, original)
        XCTAssertTrue(driver.screenText.contains("Moved the copy to the trash and its text into the onion “Plans”."),
                      driver.screenText)
        let after = try XCTUnwrap(driver.session)
        let info = try after.info(of: original)
        defer { info.wipe() }
        XCTAssertEqual(info.withUnsafeBytes { Array($0) }, Array("monday dentist".utf8))
        XCTAssertEqual(try after.versions(of: .onion(original)).count, 4,
                       "first save, this machine's edit, the laptop's, the copy's text: none overwritten")
    }

    func testOInTheHistoryOfAnItemThatIsNoCopyChangesNothing() throws {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Plans", info: "monday")
        driver.press(.character("H"))
        guard case .history(let history) = driver.state.screen else { return XCTFail("no history") }
        XCTAssertNil(history.origin)
        XCTAssertFalse(driver.screenText.contains("o other side"), driver.screenText)
        driver.press(.character("o"))
        XCTAssertTrue(driver.state.notice?.text.contains("not a conflict copy") ?? false)
        XCTAssertEqual(driver.sessionTitles, ["Plans"])
    }

    /// The history drawn at 80x24, 200x50 and 40x12 (times fixed), against its fixtures.
    func assertEverySize(_ driver: AppDriver, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        for (width, height) in [(80, 24), (200, 50), (40, 12)] {
            var state = driver.state
            if case .history(var history) = state.screen {
                for index in history.lines.indices { history.lines[index].when = "2026-11-2\(index + 1) 09:1\(index) UTC" }
                state.screen = .history(history)
            }
            state.size = Size(width: width, height: height)
            var canvas = Canvas(width: width, height: height)
            _ = App.render(state, into: &canvas)
            let actual = canvas.lines()
            let url = Snapshot.url(name, width: width, height: height)
            if Snapshot.isRecording {
                try? (actual.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
                XCTFail("recorded \(url.lastPathComponent); run again without ONIONS_RECORD_SNAPSHOTS", file: file, line: line)
                continue
            }
            var expected = (try? String(contentsOf: url, encoding: .utf8))?.components(separatedBy: "\n") ?? []
            if expected.last == "" { expected.removeLast() }
            XCTAssertEqual(expected, actual, "screen differs from \(url.lastPathComponent):\n"
                           + Snapshot.sideBySide(expected: expected, actual: actual), file: file, line: line)
        }
    }
}
