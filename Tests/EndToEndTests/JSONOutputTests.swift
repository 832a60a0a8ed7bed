import Foundation
import XCTest

/// `--json`: one document per command with the documented field names, texts escaped so that
/// any info (quotes, backslashes, tabs, line breaks, non-ASCII) comes back byte for
/// byte, the same with the agent as without it.
final class JSONOutputTests: XCTestCase {
    static let info = "line \"one\"\tback\\slash\nsecond é家 line\n"

    func testEveryJSONDocumentParsesAndCarriesTheTexts() throws {
        let a = try AgentVault(for: self, onions: [(title: "Quote \"q\"", info: Self.info), (title: "Plain", info: "x\n")])
        let cardPassword = a.vault.folder.appendingPathComponent("card-password").path
        try Data("card secret 23\n".utf8).write(to: URL(fileURLWithPath: cardPassword))
        let description = a.vault.folder.appendingPathComponent("description").path
        try Data("gift\n".utf8).write(to: URL(fileURLWithPath: description))
        XCTAssertEqual(try a.withPassword(["card", "add", "--to", "Bob", "--description-file", description,
                                           "--card-password-file", cardPassword]).status, 0)
        XCTAssertEqual(try a.withPassword(["task", "add", "call \"mom\""]).status, 0)
        XCTAssertEqual(try a.withPassword(["task", "done", "0"]).status, 0)

        for viaAgent in [false, true] {
            if viaAgent { try a.startAgent() }
            func json(_ words: [String], status: Int32 = 0, line: UInt = #line) throws -> [String: Any] {
                let result = viaAgent ? try a.command(words) : try a.withPassword(words)
                XCTAssertEqual(result.status, status, "\(words) (agent: \(viaAgent)): \(result.stderrText)", line: line)
                XCTAssertEqual(result.stdout.last, 0x0a, "ends with a line break", line: line)
                XCTAssertEqual(result.stdout.filter { $0 == 0x0a }.count, 1, "one line: \(result.stdoutText)", line: line)
                let object = try JSONSerialization.jsonObject(with: Data(result.stdout))
                return try XCTUnwrap(object as? [String: Any], result.stdoutText, line: line)
            }
            let list = try json(["list", "--json"])
            XCTAssertEqual((list["onions"] as? [[String: Any]])?.map { $0["title"] as? String }, ["Plain", "Quote \"q\""])
            let show = try json(["show", "Quote \"q\"", "--json"])
            XCTAssertEqual(show["title"] as? String, "Quote \"q\"")
            XCTAssertEqual(show["info"] as? String, Self.info, "the info comes back byte for byte")
            let grep = try json(["grep", "back", "--json"])
            let matches = try XCTUnwrap(grep["matches"] as? [[String: Any]])
            XCTAssertEqual(matches.count, 1)
            XCTAssertEqual(matches.first?["title"] as? String, "Quote \"q\"")
            XCTAssertEqual(matches.first?["lines"] as? [String], ["line \"one\"\tback\\slash"])
            let none = try json(["grep", "nowhere", "--json"], status: 1)
            XCTAssertEqual((none["matches"] as? [Any])?.count, 0)
            let cards = try json(["card", "list", "--json"])
            XCTAssertEqual((cards["cards"] as? [[String: Any]])?.map { $0["recipient"] as? String }, ["Bob"])
            let tasks = try json(["task", "list", "--json"])
            let task = try XCTUnwrap((tasks["tasks"] as? [[String: Any]])?.first)
            XCTAssertEqual(task["id"] as? Int, 0)
            XCTAssertEqual(task["done"] as? Bool, true)
            XCTAssertEqual(task["text"] as? String, "call \"mom\"")
        }

        let config = try Harness.run(a.vault.binary, ["--lock-after", "60", "config", "--json"], environment: a.environment)
        XCTAssertEqual(config.status, 0, config.stderrText)
        let settings = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(config.stdout)) as? [String: Any])?["settings"]
            as? [String: [String: Any]], config.stdoutText)
        XCTAssertEqual(settings["lock_after"]?["value"] as? Int, 60)
        XCTAssertEqual(settings["lock_after"]?["source"] as? String, "command line")
        XCTAssertTrue(settings["remote"]?["value"] is NSNull)
        XCTAssertEqual(Set(settings.keys), ["store", "remote", "user", "lock_after", "clipboard_seconds", "kdf_cost",
                                                "mouse"])
    }
}
