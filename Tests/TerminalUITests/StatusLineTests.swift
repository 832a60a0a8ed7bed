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

    /// The card grid's hints: lock and quit come last and are essential.
    private let cardHints = StatusLine([
        KeyHint("Enter", "open"), KeyHint("n", "new"), KeyHint("e", "edit"), KeyHint("y", "copy"),
        KeyHint("d", "delete"), KeyHint("/", "filter"), KeyHint("Tab", "tasks"), KeyHint("?", "help"),
        KeyHint("^L", "lock", essential: true), KeyHint("q", "quit", essential: true),
    ])

    func testEssentialHintsStayAndTheOthersGoFromTheEndFirst() {
        assertScreen(draw(cardHints, width: 80),
                     ["Enter open  n new  e edit  y copy  d delete  / filter …  ^L lock  q quit"])
        assertScreen(draw(cardHints, width: 40), ["Enter open  n new …  ^L lock  q quit"])
    }

    func testALineTooNarrowForTheEssentialHintsShowsTheirKeys() {
        assertScreen(draw(cardHints, width: 10), ["…  ^L  q"])
    }

    func testEveryHintShowsWhenAllFitEssentialOrNot() {
        assertScreen(draw(cardHints, width: 100),
                     ["Enter open  n new  e edit  y copy  d delete  / filter  Tab tasks  ? help  ^L lock  q quit"])
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
