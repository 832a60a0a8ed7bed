import TerminalUI
import XCTest

/// Fails with both screens printed, line by line, when `actual` differs from `expected`.
func assertScreen(_ actual: [String], _ expected: [String], file: StaticString = #filePath, line: UInt = #line) {
    guard actual != expected else { return }
    func show(_ lines: [String]) -> String {
        lines.enumerated().map { "\($0.offset)\t|\($0.element)|" }.joined(separator: "\n")
    }
    XCTFail("screen differs\nexpected:\n\(show(expected))\nactual:\n\(show(actual))", file: file, line: line)
}

func assertScreen(_ canvas: Canvas, _ expected: [String], file: StaticString = #filePath, line: UInt = #line) {
    assertScreen(canvas.lines(), expected, file: file, line: line)
}
