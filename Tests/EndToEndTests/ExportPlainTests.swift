import Foundation
import XCTest

/// `onions export --plain`: JSON of every text, only on explicit request, in a private new file.
final class ExportPlainTests: XCTestCase {
    /// Everything JSON must escape, and text that must pass through as it is.
    static let awkwardInfo = "quote \" backslash \\ tab\tnew\nline 家 👍🏽 e\u{301} \u{2028}end"

    func testPlainExportNeedsTheExplicitFlagAndWritesNothingWithoutIt() throws {
        let vault = try ScratchVault(for: self)
        let target = vault.path("plain.json")
        let result = try vault.onions(["export", "--plain", target])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderrText.contains("--i-understand-this-is-plaintext"), result.stderrText)
        XCTAssertFalse(FileManager.default.fileExists(atPath: target))
    }

    func testPlainExportIsPrivateJSONOfEveryTextWithCardsSealedWithoutTheirPassword() throws {
        let vault = try ScratchVault(for: self)
        let info = try vault.write("info", Self.awkwardInfo)
        XCTAssertEqual(try vault.onions(["add", "--title", "Awkward \"one\"", "--info-file", info]).status, 0)
        XCTAssertEqual(try vault.onions(["add", "--title", "Empty"]).status, 0)
        XCTAssertEqual(try vault.onions(["task", "add", "task \\ one"]).status, 0)
        XCTAssertEqual(try vault.onions(["task", "done", "0"]).status, 0)
        let cardPassword = try vault.write("card-password", "card pw 2 go")
        let description = try vault.write("description", "for you\nonly")
        XCTAssertEqual(try vault.onions(["card", "add", "--to", "Bob", "--description-file", description,
                                         "--card-password-file", cardPassword]).status, 0)

        let target = vault.path("plain.json")
        let result = try vault.onions(["export", "--plain", target, "--i-understand-this-is-plaintext"])
        XCTAssertEqual(result.status, 0, result.stderrText)
        var fileStatus = stat()
        XCTAssertEqual(stat(target, &fileStatus), 0)
        XCTAssertEqual(fileStatus.st_mode & 0o777, 0o600)
        let json = try plainJSON(target)
        let onions = json["onions"] as? [[String: Any]] ?? []
        XCTAssertEqual(onions.map { $0["title"] as? String }, ["Empty", "Awkward \"one\""])
        XCTAssertEqual(onions.map { $0["info"] as? String }, ["", Self.awkwardInfo])
        let tasks = json["tasks"] as? [[String: Any]] ?? []
        XCTAssertEqual(tasks.count, 1)
        XCTAssertEqual(tasks.first?["text"] as? String, "task \\ one")
        XCTAssertEqual(tasks.first?["done"] as? Bool, true)
        let cards = json["cards"] as? [[String: Any]] ?? []
        XCTAssertEqual(cards.first?["recipient"] as? String, "Bob")
        XCTAssertNil(cards.first?["description"])
        XCTAssertEqual(cards.first?["sealed"] as? Bool, true)
        XCTAssertFalse(try String(contentsOfFile: target, encoding: .utf8).contains("for you"))

        let withCards = vault.path("with-cards.json")
        let opened = try vault.onions(["export", "--plain", withCards, "--i-understand-this-is-plaintext",
                                       "--card-password-file", cardPassword])
        XCTAssertEqual(opened.status, 0, opened.stderrText)
        let openedCards = try plainJSON(withCards)["cards"] as? [[String: Any]] ?? []
        XCTAssertEqual(openedCards.first?["description"] as? String, "for you\nonly")
    }

    func testPlainExportNeverReplacesAFileUnlessForced() throws {
        let vault = try ScratchVault(for: self)
        let target = try vault.write("plain.json", "keep me")
        let refused = try vault.onions(["export", "--plain", target, "--i-understand-this-is-plaintext"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "keep me")
        let forced = try vault.onions(["export", "--plain", target, "--i-understand-this-is-plaintext", "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderrText)
        XCTAssertNotNil(try plainJSON(target)["onions"])
    }

    private func plainJSON(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let object = try JSONSerialization.jsonObject(with: data)
        let json = try XCTUnwrap(object as? [String: Any], "not a JSON object")
        XCTAssertEqual(json["format"] as? String, "onions-plain")
        return json
    }
}
