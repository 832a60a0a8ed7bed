import Foundation
import TerminalUI
import XCTest

/// Literal screen fixtures in `Snapshots/<name>-<width>x<height>.txt`.
///
/// A fixture holds the rendered rows with trailing spaces trimmed, one per line. With
/// `ONIONS_RECORD_SNAPSHOTS=1` the fixture is written instead of compared and the test fails,
/// so a recording run is never green.
enum Snapshot {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots")

    static var isRecording: Bool { ProcessInfo.processInfo.environment["ONIONS_RECORD_SNAPSHOTS"] == "1" }

    static func url(_ name: String, width: Int, height: Int) -> URL {
        directory.appendingPathComponent("\(name)-\(width)x\(height).txt")
    }

    /// Both screens side by side with row numbers, for a failure message.
    static func sideBySide(expected: [String], actual: [String]) -> String {
        let width = max(expected.map { DisplayWidth.of($0) }.max() ?? 0, 8)
        var out = "expected" + String(repeating: " ", count: width - 8 + 6) + "| actual\n"
        for row in 0..<max(expected.count, actual.count) {
            let left = row < expected.count ? expected[row] : "∅"
            let right = row < actual.count ? actual[row] : "∅"
            let mark = left == right ? " " : "≠"
            let number = String(row).count < 2 ? " \(row)" : "\(row)"
            out += "\(number)\(mark)|" + left + String(repeating: " ", count: max(0, width - DisplayWidth.of(left)))
                + "|" + right + "|\n"
        }
        return out
    }
}

extension XCTestCase {
    /// Compares the driver's screen at `width`×`height` with its fixture (or records it).
    ///
    /// The driver is resized first, so the state lays itself out for that size. Every row must
    /// also fit the width in display cells (a wide character takes two).
    func assertScreen(_ driver: AppDriver, matches name: String, width: Int, height: Int,
                      file: StaticString = #filePath, line: UInt = #line) {
        driver.resize(width: width, height: height)
        assertRows(driver.screen(), matches: name, width: width, height: height, file: file, line: line)
    }

    /// Compares rendered rows with the fixture `name` at `width`×`height` (or records them).
    func assertRows(_ actual: [String], matches name: String, width: Int, height: Int,
                    file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, height, "rows", file: file, line: line)
        for (row, text) in actual.enumerated() where DisplayWidth.of(text) > width {
            XCTFail("row \(row) is \(DisplayWidth.of(text)) cells wide on a \(width)-cell screen: \(text)",
                    file: file, line: line)
        }
        let url = Snapshot.url(name, width: width, height: height)
        if Snapshot.isRecording {
            do {
                try FileManager.default.createDirectory(at: Snapshot.directory, withIntermediateDirectories: true)
                try (actual.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
                XCTFail("recorded \(url.lastPathComponent); run again without ONIONS_RECORD_SNAPSHOTS",
                        file: file, line: line)
            } catch {
                XCTFail("could not record \(url.path): \(error)", file: file, line: line)
            }
            return
        }
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("no fixture \(url.lastPathComponent); record it with ONIONS_RECORD_SNAPSHOTS=1\n"
                    + Snapshot.sideBySide(expected: [], actual: actual), file: file, line: line)
            return
        }
        var expected = text.components(separatedBy: "\n")
        if expected.last == "" { expected.removeLast() }
        if expected != actual {
            XCTFail("screen differs from \(url.lastPathComponent):\n"
                    + Snapshot.sideBySide(expected: expected, actual: actual), file: file, line: line)
        }
    }
}
