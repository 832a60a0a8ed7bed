import TerminalUI
import XCTest

final class HeadlessTerminalTests: XCTestCase {
    func testDrawnFramesReadBackAsText() {
        let terminal = HeadlessTerminal(width: 12, height: 3)
        var canvas = Canvas(size: terminal.size)
        canvas.put("onions 家", x: 1, y: 1)
        terminal.draw(canvas, cursor: Point(x: 2, y: 1))
        assertScreen(terminal.screenText(), ["", " onions 家", ""])
        XCTAssertEqual(terminal.cursor, Point(x: 2, y: 1))
        XCTAssertEqual(terminal.lastChanges.count, 8, "the space was blank already")
        canvas.put("O", x: 1, y: 1)
        terminal.draw(canvas, cursor: nil)
        XCTAssertEqual(terminal.lastChanges.map(\.x), [1])
        XCTAssertNil(terminal.cursor)
    }

    func testEventsComeOutInTheOrderPushedThenNil() {
        let terminal = HeadlessTerminal()
        terminal.type("hé")
        terminal.push(.ctrl("s"), .escape)
        terminal.push(.hangup)
        var events: [Event] = []
        while let event = terminal.nextEvent(timeoutMs: 0) { events.append(event) }
        XCTAssertEqual(events, [.key(.character("h")), .key(.character("é")), .key(.ctrl("s")),
                                .key(.escape), .hangup])
        XCTAssertNil(terminal.nextEvent(timeoutMs: 10))
    }

    func testResizeChangesTheSizeAndQueuesAnEvent() {
        let terminal = HeadlessTerminal(width: 80, height: 24)
        terminal.resize(width: 40, height: 10)
        XCTAssertEqual(terminal.size, Size(width: 40, height: 10))
        XCTAssertEqual(terminal.nextEvent(timeoutMs: 0), .resize(width: 40, height: 10))
        var big = Canvas(width: 80, height: 24)
        big.put(String(repeating: "x", count: 80), x: 0, y: 0)
        terminal.draw(big, cursor: Point(x: 60, y: 0))
        XCTAssertEqual(terminal.screenText()[0].count, 40)
        XCTAssertNil(terminal.cursor, "a cursor outside the terminal is hidden")
    }

    func testSuspendQueuesResumedAndClearAllBlanksTheScreen() {
        let terminal = HeadlessTerminal(width: 5, height: 1)
        var canvas = Canvas(size: terminal.size)
        canvas.put("plain", x: 0, y: 0)
        terminal.draw(canvas, cursor: nil)
        terminal.clearAll()
        XCTAssertEqual(terminal.screenText(), [""])
        terminal.suspend()
        XCTAssertEqual(terminal.suspendCount, 1)
        XCTAssertEqual(terminal.nextEvent(timeoutMs: 0), .resumed)
    }
}
