import TerminalUI
import XCTest

final class SmallPartsTests: XCTestCase {
    func testControlCodesDecodeToNamedKeysAndCtrlLetters() {
        XCTAssertEqual(Key(code: 12), .ctrl("l"))
        XCTAssertEqual(Key(code: 19), .ctrl("s"))
        XCTAssertEqual(Key(code: 9), .tab)
        XCTAssertEqual(Key(code: 13), .enter)
        XCTAssertEqual(Key(code: 10), .enter)
        XCTAssertEqual(Key(code: 127), .backspace)
        XCTAssertEqual(Key(code: 8), .backspace)
        XCTAssertEqual(Key(code: 27), .escape)
        XCTAssertEqual(Key(code: 28), .ctrl("\\"))
        XCTAssertEqual(Key(code: 0x5BB6), .character("家"))
        XCTAssertNil(Key(code: 26), "Ctrl-Z is a suspend request, not a key")
        XCTAssertNil(Key(code: 0xD800))
    }

    func testTooSmallMessageIsCentred() {
        var canvas = Canvas(width: 30, height: 4)
        canvas.fill(canvas.bounds, with: "#")
        TooSmallMessage.render(on: &canvas, minimum: Size(width: 60, height: 20))
        assertScreen(canvas, ["", "      Terminal too small", "    need 60x20, have 30x4", ""])
    }

    func testTooSmallMessageSurvivesTinyTerminals() {
        for (width, height) in [(0, 0), (1, 1), (5, 1), (3, 2)] {
            var canvas = Canvas(width: width, height: height)
            TooSmallMessage.render(on: &canvas, minimum: Size(width: 60, height: 20))
            XCTAssertEqual(canvas.lines().count, height)
        }
        var canvas = Canvas(width: 8, height: 1)
        TooSmallMessage.render(on: &canvas, minimum: Size(width: 60, height: 20))
        assertScreen(canvas, ["Terminal"])
    }

    func testSpinnerCyclesThroughItsFrames() {
        XCTAssertEqual(Spinner.ascii.frame(at: 0), "|")
        XCTAssertEqual(Spinner.ascii.frame(at: 5), "/")
        XCTAssertEqual(Spinner.ascii.frame(at: -1), "\\")
        XCTAssertEqual(Spinner.dots.frame(at: 10), Spinner.dots.frame(at: 0))
        XCTAssertNotEqual(Spinner.dots.frame(at: 1), Spinner.dots.frame(at: 0))
    }

    func testMonochromeDropsColoursAndMarksColouredBackgrounds() {
        let selected = Style(foreground: .red, background: .blue).bold()
        XCTAssertEqual(selected.monochrome, Style(attributes: [.bold, .reverse]))
        XCTAssertEqual(Style(foreground: .cyan).underlined().monochrome, Style(attributes: .underline))
    }

    func testRectSplitsNeverGoNegative() {
        let screen = Rect(x: 0, y: 0, width: 10, height: 3)
        let (body, status) = screen.splitBottom(1)
        XCTAssertEqual(body, Rect(x: 0, y: 0, width: 10, height: 2))
        XCTAssertEqual(status, Rect(x: 0, y: 2, width: 10, height: 1))
        XCTAssertEqual(screen.splitTop(7).rest.height, 0)
        XCTAssertTrue(screen.inset(by: 4).isEmpty)
        XCTAssertEqual(screen.centered(width: 4, height: 1), Rect(x: 3, y: 1, width: 4, height: 1))
    }
}

final class OSC52Tests: XCTestCase {
    private func sequence(for text: String) -> String? {
        let payload = Array(text.utf8)
        var buffer = [UInt8](repeating: 0, count: OSC52.sequenceLength(payloadCount: payload.count))
        let written = payload.withUnsafeBytes { source in
            buffer.withUnsafeMutableBytes { OSC52.encode(source, into: $0) }
        }
        guard let written else { return nil }
        return String(decoding: buffer[0..<written], as: UTF8.self)
    }

    func testCopyingWrapsBase64InTheEscapeSequence() {
        XCTAssertEqual(sequence(for: "hello"), "\u{1b}]52;c;aGVsbG8=\u{7}")
        XCTAssertEqual(sequence(for: "家"), "\u{1b}]52;c;5a62\u{7}")
        XCTAssertEqual(sequence(for: "ab"), "\u{1b}]52;c;YWI=\u{7}")
        XCTAssertEqual(sequence(for: ""), "\u{1b}]52;c;\u{7}")
        // One space ("IA=="): tmux ignores an empty text and would keep the copy.
        XCTAssertEqual(OSC52.clearSequence, Array("\u{1b}]52;c;IA==\u{7}".utf8))
    }

    func testEncodingRefusesABufferThatIsTooShort() {
        var buffer = [UInt8](repeating: 0, count: 8)
        let written = [UInt8](repeating: 65, count: 10).withUnsafeBytes { source in
            buffer.withUnsafeMutableBytes { OSC52.encode(source, into: $0) }
        }
        XCTAssertNil(written)
    }
}
