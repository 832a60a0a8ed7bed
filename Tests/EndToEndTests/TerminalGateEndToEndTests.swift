import Foundation
import XCTest

/// Texts of the vault are checked again when they are read: a title with a bidirectional
/// override (which writing accepts, as another client may) is printed visibly by `list`,
/// `show` and `grep`, and `--json` escapes it. Needs ONIONS_BIN.
final class TerminalGateEndToEndTests: XCTestCase {
    private func assertNothingSteers(_ bytes: [UInt8], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return XCTFail("\(what) is not UTF-8", file: file, line: line) }
        let steering = text.unicodeScalars.filter {
            let v = $0.value
            return (v < 0x20 && v != 9 && v != 10) || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v)
                || (0x2066...0x2069).contains(v)
        }
        XCTAssertEqual(steering.map { String($0.value, radix: 16) }, [], "\(what): \(text.debugDescription)",
                       file: file, line: line)
    }

    func testATitleWithABidiOverrideIsShownVisiblyWhenRead() throws {
        let vault = try ScratchVault(for: self)
        let title = "txt.\u{202E}exe\u{2066}"
        let info = try vault.write("info", "milk \u{2067}and\u{2069} bread\n")
        let added = try vault.onions(["add", "--title", title, "--info-file", info])
        XCTAssertEqual(added.status, 0, added.stderrText)

        let list = try vault.onions(["list"])
        XCTAssertEqual(list.stdoutText, "txt.U+202EexeU+2066\n")
        for args in [["show", title], ["grep", "milk"], ["list"], ["show", "--json", title], ["list", "--json"]] {
            let result = try vault.onions(args)
            XCTAssertEqual(result.status, 0, "\(args): \(result.stderrText)")
            assertNothingSteers(result.stdout, "stdout of \(args)")
            assertNothingSteers(result.stderr, "stderr of \(args)")
        }
        let json = try vault.onions(["list", "--json"])
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any])
        let titles = (parsed["onions"] as? [[String: Any]])?.compactMap { $0["title"] as? String }
        XCTAssertEqual(titles, [title], "JSON's escapes give the text back exactly")
    }
}
