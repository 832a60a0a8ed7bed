import Foundation
import XCTest

/// Issue 29 item 11: the man page's JSON examples render as JSON (`man -l`): quotes inside a
/// roff macro's arguments used to be taken as argument quotes and vanish.
final class ManPageJSONTests: XCTestCase {
    /// `man -l Resources/onions.1` at `width` columns, overstrikes removed, whitespace runs made one space.
    static func rendered(width: Int) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var env = ProcessInfo.processInfo.environment
        env["MANWIDTH"] = "\(width)"
        env["MANPAGER"] = "cat"
        env["PAGER"] = "cat"
        let result = try Harness.run("/usr/bin/man", ["-l", root.appendingPathComponent("Resources/onions.1").path],
                                     environment: env)
        XCTAssertEqual(result.status, 0, result.stderrText)
        var text = ""
        for scalar in result.stdoutText.unicodeScalars {
            if scalar == "\u{8}" { if !text.isEmpty { text.removeLast() }; continue }
            text.unicodeScalars.append(scalar)
        }
        return text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
    }

    func testTheJSONExamplesRenderWithTheirQuotes() throws {
        for width in [80, 60, 120] {
            let page = try Self.rendered(width: width)
            for example in [
                #"{"title": ..., "info": ...}"#,
                #"{"onions": [{"id": ID, "title": ..., "folder": ..., "pinned": true|false, "created": MS, "changed": MS}, ...]}"#,
                #"{"matches": [{"title": ..., "lines": [...]}, ...], "tasks": [{"id": N, "done": true|false, "text": ...}, ...], "cards": [{"recipient": ...}, ...]}"#,
                #"{"cards": [{"id": ID, "recipient": ..., "pinned": true|false, "created": MS, "changed": MS}, ...]}"#,
                #"{"tasks": [{"id": N, "position": P, "done": true|false, "text": ...}, ...]}"#,
                #"{"config_file": PATH, "config_file_read": true|false, "settings": {NAME: {"value": V, "source": S}, ...}}"#,
                #"{"pulled": N, "pushed": N, "repaired": N, "merged": [...], "conflicts": [...], "restored": [...], "renumbered": [...], "issues": [...], "offline": null|WHY, "refused": null|WHY}"#,
            ] {
                XCTAssertTrue(page.contains(example), "at \(width) columns the man page lacks \(example)")
            }
            // Nothing garbled anywhere: every key in an example is quoted on both sides.
            let garbled = try NSRegularExpression(pattern: #"[{,] ?[a-z_]+":|\{"?[a-z_]+: "#)
            let matches = garbled.matches(in: page, range: NSRange(page.startIndex..., in: page))
                .compactMap { Range($0.range, in: page).map { String(page[$0]) } }
            XCTAssertEqual(matches, [], "at \(width) columns")
        }
    }
}
