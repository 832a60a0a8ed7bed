import Foundation
import XCTest

/// README.md stays a short front door, docs/ holds its four pages, and what the pages point at
/// exists: every relative link (and its heading) and every `Sources/...` path they name, so a
/// file that moves or a section that is renamed shows here.
final class DocumentationTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// README.md and every Markdown page of docs/.
    static func pages() throws -> [String] {
        let docs = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)
            .filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
        return ["README.md"] + docs
    }

    func testReadmeIsAtMost200LinesAndNamesInstallAndTheManPage() throws {
        let readme = try Self.text("README.md")
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        XCTAssertLessThanOrEqual(lines, 200, "README.md has \(lines) lines")
        for needed in ["make run", "make test", "make deb", "sudo apt install ./onions_*.deb", "man -l Resources/onions.1",
                       "docs/ARCHITECTURE.md", "docs/SERVER.md", "docs/SECURITY.md", "docs/BENCHMARKS.md"] {
            XCTAssertTrue(readme.contains(needed), "README.md does not mention \(needed)")
        }
    }

    func testDocsHoldsItsFourPages() throws {
        for page in ["ARCHITECTURE", "SERVER", "SECURITY", "BENCHMARKS"] {
            let path = Self.root.appendingPathComponent("docs/\(page).md").path
            XCTAssertTrue(FileManager.default.fileExists(atPath: path), "docs/\(page).md is missing")
        }
    }

    func testEveryRelativeLinkReachesAFileAndItsHeading() throws {
        let link = try NSRegularExpression(pattern: #"\]\(([^)\s]+)\)"#)
        var checked = 0
        for page in try Self.pages() {
            let text = try Self.text(page)
            let folder = URL(fileURLWithPath: page).deletingLastPathComponent().relativePath
            for match in link.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let range = Range(match.range(at: 1), in: text) else { continue }
                let target = String(text[range])
                if target.hasPrefix("http://") || target.hasPrefix("https://") || target.hasPrefix("mailto:") { continue }
                let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let file = parts[0].isEmpty ? page
                    : URL(fileURLWithPath: folder == "." ? parts[0] : folder + "/" + parts[0]).standardized.relativePath
                let path = Self.root.appendingPathComponent(file).path
                checked += 1
                guard FileManager.default.fileExists(atPath: path) else {
                    XCTFail("\(page): the link \(target) reaches no file")
                    continue
                }
                if parts.count == 2 {
                    let anchors = Self.headings(in: try Self.text(file)).map(Self.anchor)
                    XCTAssertTrue(anchors.contains(parts[1]), "\(page): \(file) has no heading #\(parts[1])")
                }
            }
        }
        XCTAssertGreaterThan(checked, 10, "the pages link to each other")
    }

    func testEverySourcePathThePagesNameExists() throws {
        let path = try NSRegularExpression(pattern: #"`((?:Sources|Tests|Resources|scripts|Fuzz)/[^`\s*]+)`"#)
        var checked = 0
        for page in try Self.pages() {
            let text = try Self.text(page)
            for match in path.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let range = Range(match.range(at: 1), in: text) else { continue }
                let named = String(text[range])
                if named.contains("TARGET") { continue }  // a placeholder: Fuzz/Corpus/TARGET
                checked += 1
                XCTAssertTrue(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(named).path),
                              "\(page) names \(named), which does not exist")
            }
        }
        XCTAssertGreaterThan(checked, 20, "docs/ARCHITECTURE.md names the files of a save")
    }

    /// The `#` headings of a Markdown text, outside fenced code.
    static func headings(in text: String) -> [String] {
        var inFence = false
        var found: [String] = []
        for line in text.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") { inFence.toggle(); continue }
            guard !inFence, line.hasPrefix("#") else { continue }
            found.append(String(line.drop { $0 == "#" }.drop { $0 == " " }))
        }
        return found
    }

    /// A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens.
    static func anchor(_ heading: String) -> String {
        String(heading.lowercased().compactMap { c -> Character? in
            if c == " " { return "-" }
            if c == "-" || c == "_" || c.isLetter || c.isNumber { return c }
            return nil
        })
    }
}
