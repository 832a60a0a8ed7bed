@testable import OnionsApp
import OnionsCrypto
import TerminalUI
import XCTest

/// Enter shows an onion read-only: wrapped, scrolled, its position shown, the search's
/// matches highlighted and `n`/`N` between them; `e` edits, Esc goes back.
final class ReaderTests: AppTestCase {
    static let longInfo = (1...30).map { "Line \($0): soup needs an onion or two, and time." }.joined(separator: "\n")

    /// A vault with a short onion and a long one (30 lines); the long one is selected.
    func driverWithLongOnion(width: Int = 80, height: Int = 24) -> AppDriver {
        let driver = signedUpDriver()
        driver.writeOnion(title: "Groceries", info: "milk, eggs, bread, one red onion")
        driver.press(.character("n"))
        driver.type("Onion soup")
        driver.press(.tab)
        driver.paste(Self.longInfo)
        driver.press(.ctrl("s"))
        XCTAssertEqual(driver.visibleTitles, ["Onion soup", "Groceries"])
        driver.resize(width: width, height: height)
        return driver
    }

    var reader: (AppDriver) -> OnionReader? = { $0.list?.reader }

    /// The cells drawn in a highlight style, as rows of text (everything else blank).
    func highlighted(_ driver: AppDriver, width: Int, height: Int) -> [String] {
        var canvas = Canvas(width: width, height: height)
        _ = App.render(driver.state, into: &canvas)
        let marks: Set<Style> = [Theme.standard.highlight, Theme.standard.selectedHighlight]
        var rows: [String] = []
        for y in 0..<height {
            var row = ""
            var x = 0
            while x < width {
                let cell = canvas[x: x, y: y]
                if marks.contains(cell.style) && !cell.isContinuation {
                    row.append(cell.character)
                    x += max(1, DisplayWidth.of(cell.character))
                } else {
                    row.append(" ")
                    x += 1
                }
            }
            while row.last == " " { row.removeLast() }
            rows.append(row)
        }
        return rows
    }

    func testEnterShowsTheOnionReadOnlyWithItsPosition() {
        let driver = driverWithLongOnion()
        driver.press(.enter)
        XCTAssertNotNil(reader(driver))
        XCTAssertNil(driver.editor)
        XCTAssertTrue(driver.screenText.contains("line 1 of 30"), driver.screenText)
        XCTAssertTrue(driver.screenText.contains("Line 1: soup"))
        // Typing does nothing to the text: it is not an editor.
        driver.type("x")
        XCTAssertTrue(driver.screenText.contains("Line 1: soup"))
        XCTAssertNil(driver.editor)
    }

    func testScrollingWithArrowsPagesAndEnds() {
        let driver = driverWithLongOnion()
        driver.press(.enter, .down)
        XCTAssertTrue(driver.screenText.contains("line 2 of 30"))
        driver.press(.pageDown)
        // 18 rows of text at 80x24: a page is 17, and the last top row is 13.
        XCTAssertTrue(driver.screenText.contains("line 13 of 30"), driver.screenText)
        driver.press(.up)
        XCTAssertTrue(driver.screenText.contains("line 12 of 30"), driver.screenText)
        driver.press(.end)
        XCTAssertTrue(driver.screenText.contains("line 13 of 30"))
        XCTAssertTrue(driver.screenText.contains("Line 30:"))
        driver.press(.home)
        XCTAssertTrue(driver.screenText.contains("line 1 of 30"))
        driver.press(.up)
        XCTAssertTrue(driver.screenText.contains("line 1 of 30"))
    }

    func testEEditsAndEscGoesBackToTheList() {
        let driver = driverWithLongOnion()
        driver.press(.enter, .escape)
        XCTAssertNotNil(driver.list)
        XCTAssertNil(reader(driver))
        driver.press(.enter, .character("e"))
        XCTAssertEqual(driver.editorTitle, "Onion soup")
    }

    func testQClosesTheReadViewAndEnterScrollsInsteadOfEditing() { closesTheReadView(with: .character("q")) }
    func testEscClosesTheReadViewAndEnterScrollsInsteadOfEditing() { closesTheReadView(with: .escape) }

    func closesTheReadView(with closer: Key) {
        do {
            let driver = driverWithLongOnion()
            driver.press(.enter)
            XCTAssertTrue(driver.screenText.contains("q Esc back to list"), driver.screenText)
            XCTAssertFalse(driver.screenText.contains("q quit"), driver.screenText)
            driver.press(.enter)
            XCTAssertNil(driver.editor, "Enter in the read view does not edit")
            XCTAssertTrue(driver.screenText.contains("line 2 of 30"), "Enter scrolls a line:\n\(driver.screenText)")
            driver.press(closer)
            XCTAssertNil(reader(driver), "\(closer) closes the read view")
            XCTAssertNotNil(driver.list)
            XCTAssertEqual(driver.quitCount, 0, "\(closer) does not quit")
            driver.press(.character("q"))
            XCTAssertEqual(driver.quitCount, 1, "q on the list quits")
        }
    }

    func testTabsShowToTheNextTabStopInTheReadViewAndThePreview() {
        let driver = signedUpDriver()
        driver.press(.character("n"))
        driver.type("Servers")
        driver.press(.tab)
        driver.paste("host:\tdb1\nport:\t5432\na\tb\tc\ttabs every 8 columns")
        driver.press(.ctrl("s"))
        XCTAssertTrue(driver.screenText.contains("host:   db1"), "the preview:\n\(driver.screenText)")
        driver.press(.enter)
        XCTAssertTrue(driver.screenText.contains("a       b       c       tabs"), driver.screenText)
        XCTAssertFalse(driver.screenText.contains("\u{FFFD}"), driver.screenText)
        for (width, height) in [(80, 24), (40, 12)] {
            assertScreen(driver, matches: "reader-tabs", width: width, height: height)
        }
    }

    /// The OSC 52 sequences the terminal was sent since `from` bytes of its raw output.
    func copies(_ driver: AppDriver) -> [String] {
        let raw = String(decoding: driver.terminal.rawOutput, as: UTF8.self)
        return raw.components(separatedBy: "\u{1b}]52;c;").dropFirst().map { String($0.prefix { $0 != "\u{07}" }) }
    }

    func testYCopiesTheLineOnTheTopRowAndShiftYTheWholeInfo() {
        let driver = driverWithLongOnion()
        driver.press(.enter, .down, .down)
        XCTAssertTrue(driver.screenText.contains("line 3 of 30"), driver.screenText)
        driver.press(.character("y"))
        XCTAssertEqual(driver.list?.reader != nil, true, "y leaves the read view open")
        XCTAssertTrue(driver.screenText.contains("Copied line 3"), driver.screenText)
        let line = Base64.encode(Array("Line 3: soup needs an onion or two, and time.".utf8))
        XCTAssertEqual(copies(driver).last, line, "the third line alone, without its line break")
        driver.press(.character("Y"))
        XCTAssertEqual(copies(driver).last, Base64.encode(Array(Self.longInfo.utf8)), "the whole info")
    }

    func testATitleTooLongForItsColumnEndsWithAnEllipsis() {
        let driver = signedUpDriver()
        driver.writeOnion(title: "A thirty character long title!", info: "x")
        // At 80 columns the list's column beside the preview is narrower than the title.
        let rows = driver.screen()
        XCTAssertTrue(rows.contains { $0.contains("A thirty") && $0.contains("…") }, rows.joined(separator: "\n"))
        XCTAssertFalse(rows.contains { $0.contains("A thirty character long title!") }, rows.joined(separator: "\n"))
        driver.resize(width: 200, height: 50)
        XCTAssertTrue(driver.screen().contains { $0.contains("A thirty character long title!") }, driver.screenText)
    }

    func testTheHelpSaysQAndEscCloseThePagers() {
        let text = HelpOverlay.lines.map { $0.0 + " " + $0.1 }.joined(separator: "\n")
        XCTAssertTrue(text.contains("q / Esc close the read view, back to the list"), text)
        XCTAssertTrue(text.contains("q / Esc close the card"), text)
        XCTAssertFalse(text.contains("e / Enter"), text)
    }

    func testMatchesAreHighlightedAndNAndShiftNGoBetweenThem() {
        let driver = driverWithLongOnion()
        driver.press(.character("/"))
        driver.type("ONION")
        driver.press(.enter, .enter)
        // 30 in the info; the title's match is drawn too but not counted.
        XCTAssertTrue(driver.screenText.contains("match 1 of 30 · line 1 of 30"), driver.screenText)
        let marks = highlighted(driver, width: 80, height: 24)
        XCTAssertEqual(marks[2].trimmingCharacters(in: .whitespaces), "Onion")
        XCTAssertEqual(marks[4].trimmingCharacters(in: .whitespaces), "onion")
        for _ in 0..<29 { driver.press(.character("n")) }
        // The kept search's line takes a row: 17 rows of text, so the last top row is 14.
        XCTAssertTrue(driver.screenText.contains("match 30 of 30 · line 14 of 30"), driver.screenText)
        XCTAssertTrue(driver.screenText.contains("Line 30:"))
        driver.press(.character("N"))
        XCTAssertEqual(reader(driver)?.currentMatch, 28)
        for _ in 0..<8 { driver.press(.character("N")) }
        XCTAssertEqual(reader(driver)?.currentMatch, 20)
        XCTAssertTrue(driver.screenText.contains("Line 21:"))
    }

    func testNAndShiftNPastTheEndsGoToTheNextOnionTheSearchFound() {
        let driver = driverWithLongOnion()
        driver.press(.character("/"))
        driver.type("onion")
        driver.press(.enter, .enter)
        XCTAssertTrue(driver.screenText.contains("match 1 of 30"), driver.screenText)
        // Before the first match: the previous onion listed (round the end), at its last match.
        driver.press(.character("N"))
        XCTAssertTrue(driver.screenText.contains("match 1 of 1 · line 1 of 1"), driver.screenText)
        XCTAssertTrue(driver.screenText.contains("one red onion"))
        XCTAssertEqual(driver.list?.selectedID, driver.list?.reader?.id)
        driver.press(.character("n"))
        XCTAssertTrue(driver.screenText.contains("match 1 of 30 · line 1 of 30"), driver.screenText)
        driver.press(.character("N"))
        driver.press(.escape)
        XCTAssertEqual(driver.visibleTitles.count, 2)
        XCTAssertEqual(driver.list?.list.selection, 1, "the list stays on the onion read last")
    }

    func testNWithoutASearchSaysHowToSearch() {
        let driver = driverWithLongOnion()
        driver.press(.enter, .character("n"))
        XCTAssertNil(driver.editor, "n in the read view is not 'new onion'")
        XCTAssertTrue(driver.screenText.contains("/ searches"), driver.screenText)
    }

    func testTheListAndThePreviewHighlightTheSearch() {
        let driver = driverWithLongOnion()
        driver.press(.character("/"))
        driver.type("red")
        let marks = highlighted(driver, width: 80, height: 24)
        // Only "Groceries" matches; its row is selected and its info shows in the preview.
        XCTAssertEqual(driver.visibleTitles, ["Groceries"])
        XCTAssertTrue(marks[2].hasSuffix("red"), marks.joined(separator: "\n"))
        driver.press(.escape, .character("/"))
        driver.type("gro")
        let titleMarks = highlighted(driver, width: 80, height: 24)
        XCTAssertEqual(titleMarks[2].trimmingCharacters(in: .whitespaces), "Gro")
    }

    func testLockWipesTheReaderAndUnlockShowsTheList() {
        let driver = driverWithLongOnion()
        driver.press(.enter)
        let info = try? XCTUnwrap(reader(driver)?.info)
        XCTAssertEqual(info?.count, Self.longInfo.utf8.count)
        driver.press(.ctrl("l"))
        XCTAssertEqual(info?.count, 0, "the info the reader held is wiped")
        XCTAssertFalse(driver.screenText.contains("soup"))
        driver.type("correct horse")
        driver.press(.enter)
        XCTAssertNotNil(driver.list)
        XCTAssertNil(reader(driver))
    }

    func testReadViewWithHighlightedMatchesAtThreeSizes() {
        let driver = driverWithLongOnion()
        driver.press(.character("/"))
        driver.type("onion")
        driver.press(.enter, .enter, .character("n"), .character("n"))
        for (width, height) in [(80, 24), (200, 50), (40, 12)] {
            assertScreen(driver, matches: "reader-search", width: width, height: height)
            let marks = highlighted(driver, width: width, height: height)
            assertLines(marks, matches: "reader-search-highlights", width: width, height: height)
        }
    }

    /// Compares `lines` with a fixture like `assertScreen` does.
    func assertLines(_ lines: [String], matches name: String, width: Int, height: Int,
                     file: StaticString = #filePath, line: UInt = #line) {
        let url = Snapshot.url(name, width: width, height: height)
        if Snapshot.isRecording {
            try? (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
            return XCTFail("recorded \(url.lastPathComponent)", file: file, line: line)
        }
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            return XCTFail("no fixture \(url.lastPathComponent)", file: file, line: line)
        }
        var expected = text.components(separatedBy: "\n")
        if expected.last == "" { expected.removeLast() }
        if expected != lines {
            XCTFail("highlights differ from \(url.lastPathComponent):\n" + Snapshot.sideBySide(expected: expected, actual: lines),
                    file: file, line: line)
        }
    }
}
