@testable import OnionsApp
import OnionsCore
import OnionsCrypto
import TerminalUI
import XCTest

/// Undo of a delete, the history view (`H`) and the Trash view (`4`) on the headless renderer,
/// with their snapshots at 80x24, 200x50 and 40x12.
final class HistoryAndTrashTests: AppTestCase {
    static let sizes = [(80, 24), (200, 50), (40, 12)]

    /// "Groceries" saved four times: its first info, then three edits.
    static let infos = ["milk\neggs\nbread", "milk\neggs\nbread\nbutter", "oat milk\neggs\nbread\nbutter",
                        "oat milk\neggs\nbutter\ncoffee beans for the week"]

    func driverWithHistory() -> AppDriver {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Groceries", info: Self.infos[0])
        for info in Self.infos.dropFirst() { edit(driver, info: info) }
        return driver
    }

    /// Saves a new info for the selected onion straight through the session.
    func edit(_ driver: AppDriver, info: String) {
        guard let id = driver.list?.selectedID else { return XCTFail("no onion selected") }
        driver.loop.runner.changeSessionForTesting { session in
            _ = try session.saveOnion(id: id, title: SecretBytes(copying: Array("Groceries".utf8)),
                                      info: SecretBytes(copying: Array(info.utf8)))
        }
        driver.settle()
    }

    var history: HistoryState? {
        if case .history(let history) = driver?.state.screen { return history }
        return nil
    }
    private var driver: AppDriver?

    /// The state with fixed times (the versions' and deletes' own times change with each run).
    func stamped(_ state: AppState) -> AppState {
        var state = state
        if case .history(var history) = state.screen {
            for index in history.lines.indices {
                history.lines[index].when = "2026-11-2\(index + 1) 09:1\(index) UTC"
            }
            state.screen = .history(history)
        }
        if case .trash(let trash) = state.screen {
            for (index, line) in trash.lines.enumerated() { line.when = "2026-11-2\(index + 1) 10:0\(index) UTC" }
        }
        return state
    }

    /// Compares the stamped state drawn at each size with its fixtures.
    func assertEverySize(_ driver: AppDriver, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        for (width, height) in Self.sizes {
            var state = stamped(driver.state)
            state.size = Size(width: width, height: height)
            var canvas = Canvas(width: width, height: height)
            _ = App.render(state, into: &canvas)
            assertDrawn(canvas.lines(), matches: name, width: width, height: height, file: file, line: line)
        }
    }

    // MARK: Undo

    func testUndoBringsBackTheDeletedOnionWithItsText() throws {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Groceries", info: "oat milk")
        driver.press(.character("d"), .character("y"))
        XCTAssertEqual(driver.sessionTitles, [])
        driver.press(.character("u"))
        XCTAssertEqual(driver.sessionTitles, ["Groceries"])
        XCTAssertTrue(driver.screenText.contains("Brought back the onion “Groceries”."), driver.screenText)
        XCTAssertFalse(driver.state.notice?.text.contains("Groceries") ?? true, "the title is drawn, not kept in the notice")
        let session = try XCTUnwrap(driver.session)
        let info = try session.info(of: session.onions[0].id)
        defer { info.wipe() }
        XCTAssertEqual(info.withUnsafeBytes { Array($0) }, Array("oat milk".utf8))
        XCTAssertEqual(driver.list?.selectedID, session.onions[0].id)
    }

    func testASecondDeleteOfTheSameOnionIsUndoneWithItsTitle() throws {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Groceries", info: "oat milk")
        for round in 1...2 {
            driver.press(.character("d"), .character("y"), .character("u"))
            XCTAssertEqual(driver.sessionTitles, ["Groceries"], "round \(round)")
            XCTAssertTrue(driver.screenText.contains("Brought back the onion “Groceries”."), driver.screenText)
        }
    }

    func testUndoWithNothingDeletedSaysSo() {
        let driver = signedUpDriver()
        driver.press(.character("u"))
        XCTAssertTrue(driver.state.notice?.text.hasPrefix("Nothing to bring back") ?? false)
    }

    func testUndoInTheCardsAndTasksViews() {
        let driver = signedUpDriver()
        driver.press(.character("2"))
        driver.addCard(to: "Ann", description: "spare key", password: "tulip-ann-4")
        driver.press(.character("d"), .character("y"))
        XCTAssertEqual(driver.state.vault?.cards.count, 0)
        driver.press(.character("u"))
        XCTAssertEqual(driver.state.vault?.cards.count, 1)
        XCTAssertTrue(driver.screenText.contains("Brought back the card “Ann”."), driver.screenText)

        driver.press(.character("3"), .character("n"))
        driver.type("water ferns")
        driver.press(.enter, .character("d"), .character("y"))
        XCTAssertEqual(driver.state.vault?.tasks.count, 0)
        driver.press(.character("u"))
        XCTAssertEqual(driver.state.vault?.tasks.count, 1)
        XCTAssertTrue(driver.screenText.contains("Brought back the task “water ferns”."), driver.screenText)
    }

    // MARK: History

    func testHistoryListsFourVersionsAndRestoresTheFirstAsANewOne() throws {
        let driver = driverWithHistory()
        self.driver = driver
        driver.press(.character("H"))
        let opened = try XCTUnwrap(history)
        XCTAssertEqual(opened.lines.map(\.version.number), [1, 2, 3, 4])
        XCTAssertEqual(opened.lines.map(\.machine), Array(repeating: "this machine", count: 4))
        XCTAssertEqual(opened.selected?.version.number, 3, "the version before the current one is selected")
        XCTAssertTrue(driver.screenText.contains("4 versions of the onion"), driver.screenText)

        driver.press(.character("g"))
        XCTAssertEqual(history?.shown?.number, 1)
        XCTAssertEqual(history?.diff.map(\.kind), [.same, .removed, .added, .same, .removed, .added, .added])
        driver.press(.enter)
        XCTAssertTrue(driver.state.notice?.text.hasPrefix("Version 1 restored") ?? false)
        XCTAssertEqual(history?.lines.count, 5, "the current version was kept, not overwritten")
        let session = try XCTUnwrap(driver.session)
        let info = try session.info(of: session.onions[0].id)
        defer { info.wipe() }
        XCTAssertEqual(info.withUnsafeBytes { Array($0) }, Array(Self.infos[0].utf8))

        driver.press(.escape)
        XCTAssertNotNil(driver.list, "Esc goes back to the list")
        XCTAssertEqual(driver.list?.selectedID, session.onions[0].id)
    }

    func testKeysTypedWhileTheHistoryOpensAreHandledInOrder() throws {
        let driver = driverWithHistory()
        self.driver = driver
        driver.gate.hold { if case .vault(.history) = $0 { return true } else { return false } }
        driver.press(.character("H"), .character("g"), .enter)
        XCTAssertNotNil(driver.state.busy)
        driver.gate.releaseAll()
        driver.settle()
        XCTAssertTrue(driver.state.notice?.text.hasPrefix("Version 1 restored") ?? false,
                      "g and Enter waited for the history: \(String(describing: driver.state.notice))")
    }

    func testACardsHistoryOpensOnlyWithItsOwnPassword() throws {
        let driver = signedUpDriver()
        self.driver = driver
        driver.press(.character("2"))
        driver.addCard(to: "Ann", description: "spare key under the mat", password: "tulip-ann-4")
        driver.press(.character("H"))
        XCTAssertTrue(driver.screenText.contains("Password for the versions of the card to Ann"), driver.screenText)
        driver.type("wrong-one")
        driver.press(.enter)
        XCTAssertNil(history)
        XCTAssertEqual(driver.state.notice, Notice("wrong password", isError: true))
        driver.press(.character("H"))
        driver.type("tulip-ann-4")
        driver.press(.enter)
        let opened = try XCTUnwrap(history)
        XCTAssertEqual(opened.lines.count, 1)
        XCTAssertTrue(driver.screenText.contains("spare key under the mat"), driver.screenText)
        driver.press(.escape)
        guard case .cards = driver.state.screen else { return XCTFail("Esc goes back to the cards") }
    }

    func testATasksHistoryRestoresItsEarlierText() throws {
        let driver = signedUpDriver()
        self.driver = driver
        driver.press(.character("3"), .character("n"))
        driver.type("buy milk")
        driver.press(.enter, .character("e"))
        driver.type(" and eggs")
        driver.press(.enter)
        XCTAssertEqual(driver.state.vault.map { vault in vault.tasks.map { vault.texts.string($0.text) } }, ["buy milk and eggs"])
        driver.press(.character("H"))
        XCTAssertEqual(history?.lines.count, 2)
        XCTAssertTrue(driver.screenText.contains("2 versions of task "), driver.screenText)
        XCTAssertEqual(history?.diff.map(\.kind), [.removed, .added])
        driver.press(.enter, .escape)
        guard case .tasks = driver.state.screen else { return XCTFail("Esc goes back to the tasks") }
        XCTAssertEqual(driver.state.vault.map { vault in vault.tasks.map { vault.texts.string($0.text) } }, ["buy milk"])
    }

    func testTheLineDiffMarksLinesOnlyInOneVersion() {
        let old = SecretBytes(copying: Array("a\nb\nc\nd".utf8)), new = SecretBytes(copying: Array("a\nc\nx\nd\ne".utf8))
        defer { old.wipe(); new.wipe() }
        XCTAssertEqual(LineDiff.diff(old: old, new: new).map(\.kind), [.same, .removed, .same, .added, .same, .added])
    }

    func testHistorySnapshots() {
        let driver = driverWithHistory()
        self.driver = driver
        driver.press(.character("H"))
        assertEverySize(driver, "history")
        driver.press(.character("g"))
        assertEverySize(driver, "history-diff")
    }

    // MARK: Trash

    func testTrashListsDeletedItemsAndRestoresTheSelectedOne() throws {
        let driver = signedUpDriver()
        self.driver = driver
        driver.writeOnion(title: "Groceries", info: "oat milk")
        driver.press(.character("d"), .character("y"))
        driver.press(.character("2"))
        driver.addCard(to: "Ann", description: "spare key", password: "tulip-ann-4")
        driver.press(.character("d"), .character("y"))
        driver.press(.character("3"), .character("n"))
        driver.type("water ferns")
        driver.press(.enter, .character("d"), .character("y"))
        driver.press(.character("4"))
        guard case .trash(let trash) = driver.state.screen else { return XCTFail("4 shows the trash") }
        XCTAssertEqual(trash.lines.map(\.entry.item.kind), ["task", "card", "onion"])
        assertEverySize(driver, "trash")

        driver.press(.character("j"), .enter)
        XCTAssertTrue(driver.screenText.contains("Brought back the card “Ann”."), driver.screenText)
        guard case .trash(let after) = driver.state.screen else { return XCTFail("the trash stays shown") }
        XCTAssertEqual(after.lines.map(\.entry.item.kind), ["task", "onion"])
        XCTAssertEqual(driver.state.vault?.cards.count, 1)
    }
}

extension XCTestCase {
    /// Compares rows drawn elsewhere with the fixture `name` (see `assertScreen`).
    func assertDrawn(_ actual: [String], matches name: String, width: Int, height: Int,
                     file: StaticString = #filePath, line: UInt = #line) {
        let url = Snapshot.url(name, width: width, height: height)
        if Snapshot.isRecording {
            try? (actual.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
            return XCTFail("recorded \(url.lastPathComponent); run again without ONIONS_RECORD_SNAPSHOTS", file: file, line: line)
        }
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            return XCTFail("no fixture \(url.lastPathComponent)\n" + Snapshot.sideBySide(expected: [], actual: actual),
                           file: file, line: line)
        }
        var expected = text.components(separatedBy: "\n")
        if expected.last == "" { expected.removeLast() }
        if expected != actual {
            XCTFail("screen differs from \(url.lastPathComponent):\n" + Snapshot.sideBySide(expected: expected, actual: actual),
                    file: file, line: line)
        }
    }
}
