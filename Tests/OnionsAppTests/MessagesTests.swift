@testable import OnionsApp
import TerminalUI
import XCTest

/// No notice is cut: a long one wraps onto more rows and, past half the body, says where the
/// rest is; `m` lists the session's last notices in full, and locking empties that list. The
/// help wraps at every width down to 40 columns.
final class MessagesTests: AppTestCase {
    static let longText = (1...30).map { "part\($0) of a long sync report" }.joined(separator: ", ") + ", the end."

    func rendered(_ state: AppState, width: Int, height: Int) -> [String] {
        var state = state
        state.size = Size(width: width, height: height)
        var canvas = Canvas(width: width, height: height)
        _ = App.render(state, into: &canvas)
        return (0..<height).map { y in
            var row = ""
            for x in 0..<width where !canvas[x: x, y: y].isContinuation { row.append(canvas[x: x, y: y].character) }
            return row
        }
    }

    func testALongNoticeWrapsOntoMoreRowsAndSaysWhereTheRestIs() {
        let driver = signedUpDriver()
        var state = driver.state
        state.notice = Notice("Could not reach the server:\nconnection refused; will sync when the server is back.")
        let wide = rendered(state, width: 40, height: 12).joined(separator: "\n")
        XCTAssertTrue(wide.contains("Could not reach the server:"), wide)
        XCTAssertTrue(wide.contains("back."), "the notice's end shows:\n\(wide)")
        XCTAssertFalse(wide.contains("\u{FFFD}"), "the line break is a row, not a replacement:\n\(wide)")
        state.notice = Notice(Self.longText)
        for (width, height) in [(80, 24), (40, 12)] {
            let rows = rendered(state, width: width, height: height)
            let text = rows.joined(separator: "\n")
            XCTAssertTrue(text.contains("part1 of"), text)
            XCTAssertTrue(text.contains("m: all of it"), "a notice too long says where the rest is:\n\(text)")
        }
    }

    func testTheMessagesViewListsTheSessionsNoticesInFullAndLockingEmptiesIt() {
        let driver = signedUpDriver()
        driver.press(.ctrl("c"))
        driver.paste("milk")
        XCTAssertTrue(driver.state.messages.contains { $0.text.hasPrefix("Ctrl-C does not quit") })
        XCTAssertTrue(driver.state.messages.contains { $0.text.hasPrefix("Nothing here takes text") })
        driver.press(.character("m"))
        XCTAssertEqual(driver.state.overlay, .messages)
        let shown = driver.screenText
        XCTAssertTrue(shown.contains("Ctrl-C does not quit: press q to quit, or Ctrl-L to lock."), shown)
        XCTAssertTrue(shown.contains("Nothing here takes text; nothing was pasted."), shown)
        driver.press(.escape)
        XCTAssertNil(driver.state.overlay)
        driver.press(.ctrl("l"))
        XCTAssertTrue(driver.state.messages.isEmpty, "locking empties the messages")
        driver.type("correct horse")
        driver.press(.enter)
        XCTAssertFalse(driver.state.messages.contains { $0.text.hasPrefix("Ctrl-C does not quit") })
    }

    func testTheMessagesViewKeepsTheLastFifty() {
        let driver = signedUpDriver()
        for _ in 0..<30 {
            driver.press(.ctrl("c"))
            driver.paste("x")
        }
        XCTAssertEqual(driver.state.messages.count, AppState.messagesKept)
    }

    func testTheMessagesViewAt80x24And40x12() {
        let driver = signedUpDriver()
        driver.press(.ctrl("c"))
        driver.paste("milk")
        driver.press(.character("m"))
        for (width, height) in [(80, 24), (40, 12)] {
            assertScreen(driver, matches: "messages", width: width, height: height)
        }
    }

    func testHelpLabelsWrapAndNothingIsCutAtAnyWidth() {
        let words = HelpOverlay.lines.filter { !$0.2 }.flatMap { $0.1.split(separator: " ").map(String.init) }
        for width in [34, 40, 49, 50, 60, 68] {
            let rows = HelpOverlay.rows(width: width)
            for row in rows where !row.label.isEmpty {
                let used = row.labelX + DisplayWidth.of(row.label.trimmingCharacters(in: .whitespaces))
                XCTAssertLessThanOrEqual(used, width, "\(row.label) at \(width)")
            }
            let shown = rows.flatMap { $0.label.split(separator: " ").map(String.init) }
            XCTAssertEqual(shown, words, "every word of every label, in order, at \(width)")
        }
    }

    func testHelpAt40x12ShowsWholeLabels() {
        let driver = signedUpDriver()
        driver.resize(width: 40, height: 12)
        driver.press(.character("?"))
        let text = driver.screenText
        XCTAssertTrue(text.contains("lock now (an unsaved draft is"), text)
        XCTAssertTrue(text.contains("sealed first)"), text)
    }
}
