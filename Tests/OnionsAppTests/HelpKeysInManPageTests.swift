import Foundation
@testable import OnionsApp
import XCTest

/// Every key the interface's help lists is in the man page's KEYS section, so the reference
/// cannot fall behind the program.
final class HelpKeysInManPageTests: XCTestCase {
    /// The KEYS section of Resources/onions.1 with roff's escapes and fonts taken out.
    func manKeysSection() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var roff = try String(contentsOfFile: root.appendingPathComponent("Resources/onions.1").path, encoding: .utf8)
        for (escape, text) in [("\\-", "-"), ("\\&", ""), ("\\fB", ""), ("\\fI", ""), ("\\fR", ""), ("\\fP", ""),
                               ("\\(lq", "\""), ("\\(rq", "\""), ("\\(aq", "'")] {
            roff = roff.replacingOccurrences(of: escape, with: text)
        }
        var section: [Substring] = []
        var inside = false
        for line in roff.split(separator: "\n") {
            if line.hasPrefix(".SH") { inside = line == ".SH KEYS"; continue }
            if inside { section.append(line) }
        }
        return section.joined(separator: "\n")
    }

    /// The words of a text that can name a key: split at blanks and punctuation around words.
    static func words(_ text: String) -> Set<String> {
        var result = Set<String>()
        for word in text.split(whereSeparator: { " \t\n,;()\"".contains($0) }) {
            var token = String(word)
            if token.hasPrefix(".") && token.count > 1 { continue }  // a roff request
            while let last = token.last, token.count > 1, ".:".contains(last) { token.removeLast() }
            result.insert(token)
        }
        return result
    }

    /// The keys of one help entry, spelled as the man page spells them: "Alt-b/f Ctrl-←/→" is
    /// Alt-b, Alt-f, Ctrl-Left and Ctrl-Right; a lone "/" between keys separates them.
    static func keys(_ entry: String) -> [String] {
        guard entry != "/" else { return ["/"] }
        let names: [(String, String)] = [("↑", "Up"), ("↓", "Down"), ("←", "Left"), ("→", "Right"), ("Bksp", "Backspace")]
        var result: [String] = []
        for word in entry.split(separator: " ") where word != "/" {
            let parts = word.count > 1 ? word.split(separator: "/").map(String.init) : [String(word)]
            let modifier = parts[0].range(of: "-", options: .backwards).map { String(parts[0][..<$0.upperBound]) } ?? ""
            for (index, part) in parts.enumerated() {
                var key = index > 0 && !part.contains("-") ? modifier + part : part
                for (symbol, name) in names { key = key.replacingOccurrences(of: symbol, with: name) }
                result.append(key)
            }
        }
        return result
    }

    func testTheSplittingOfHelpEntries() {
        XCTAssertEqual(Self.keys("Alt-b/f Ctrl-←/→"), ["Alt-b", "Alt-f", "Ctrl-Left", "Ctrl-Right"])
        XCTAssertEqual(Self.keys("? / F1"), ["?", "F1"])
        XCTAssertEqual(Self.keys("/"), ["/"])
        XCTAssertEqual(Self.keys("Ctrl-W / Alt-Bksp"), ["Ctrl-W", "Alt-Backspace"])
    }

    func testEveryKeyOfTheHelpIsInTheManPagesKeysSection() throws {
        let section = try manKeysSection()
        XCTAssertFalse(section.isEmpty, "the man page has no KEYS section")
        let documented = Self.words(section)
        var missing: [String] = []
        for (name, hints) in HelpOverlay.sections {
            for hint in hints {
                for key in Self.keys(hint.key) where !documented.contains(key) {
                    missing.append("\(key) (\(name): \(hint.key))")
                }
            }
        }
        XCTAssertEqual(missing, [], "keys of the interface's help missing from the man page's KEYS section")
    }
}
