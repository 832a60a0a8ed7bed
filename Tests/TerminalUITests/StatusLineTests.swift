import TerminalUI
import XCTest

final class StatusLineTests: XCTestCase {
    private func draw(_ line: StatusLine, width: Int) -> [String] {
        var canvas = Canvas(width: width, height: 1)
        line.render(in: canvas.bounds, on: &canvas)
        return canvas.lines()
    }

    private let hints = StatusLine([("^S", "save"), ("Esc", "back"), ("?", "help"), ("q", "quit")])

    func testAllHintsShowWhenTheyFit() {
        assertScreen(draw(hints, width: 40), ["^S save  Esc back  ? help  q quit"])
    }

    func testHintsThatDoNotFitAreDroppedWholeWithAnEllipsis() {
        assertScreen(draw(hints, width: 20), ["^S save  Esc back …"])
        assertScreen(draw(hints, width: 10), ["^S save …"])
    }

    func testTheLastHintNeedsNoRoomForAnEllipsis() {
        assertScreen(draw(hints, width: 33), ["^S save  Esc back  ? help  q quit"])
        assertScreen(draw(hints, width: 32), ["^S save  Esc back  ? help …"])
    }

    func testAFirstHintWiderThanTheLineIsCut() {
        assertScreen(draw(hints, width: 5), ["^S sa"])
    }

    func testMessageSitsAtTheRightWhenThereIsRoom() {
        let line = StatusLine([("^S", "save")], message: "Saved")
        assertScreen(draw(line, width: 20), ["^S save        Saved"])
        assertScreen(draw(line, width: 12), ["^S save"])
    }

    func testKeysAreDrawnInTheKeyStyle() {
        var canvas = Canvas(width: 20, height: 1)
        StatusLine([("^S", "save")]).render(in: canvas.bounds, on: &canvas, keyStyle: Style.plain.reversed())
        XCTAssertEqual(canvas[x: 1, y: 0].style, Style.plain.reversed())
        XCTAssertEqual(canvas[x: 3, y: 0].style, .plain)
    }
}
