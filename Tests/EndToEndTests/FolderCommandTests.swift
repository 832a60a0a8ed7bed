import Foundation
import XCTest

/// Folders on the command line: `add --folder`, `list --folder`, `mv TITLE FOLDER` and the
/// folder in `list --json`; a folder given as `-` comes from standard input.
final class FolderCommandTests: XCTestCase {
    func folders(_ vault: ScratchVault) throws -> [String: String] {
        let listed = try vault.onions(["list", "--json"])
        XCTAssertEqual(listed.status, 0, listed.stderrText)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listed.stdout)) as? [String: Any])
        let onions = try XCTUnwrap(json["onions"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: onions.map { ($0["title"] as? String ?? "?", $0["folder"] as? String ?? "(no folder field)") })
    }

    func list(_ vault: ScratchVault, _ arguments: [String]) throws -> [String] {
        let listed = try vault.onions(["list"] + arguments)
        XCTAssertEqual(listed.status, 0, listed.stderrText)
        return listed.stdoutText.split(separator: "\n").map(String.init).sorted()
    }

    func testAddListAndMoveOnionsBetweenFolders() throws {
        let vault = try ScratchVault(for: self)
        for (title, folder) in [("alice", "/web//github.com/"), ("bank", "money"), ("site", "website"), ("top", nil)] {
            let result = try vault.onions(["add", "--title", title] + (folder.map { ["--folder", $0] } ?? []))
            XCTAssertEqual(result.status, 0, result.stderrText)
        }
        XCTAssertEqual(try folders(vault), ["alice": "web/github.com", "bank": "money", "site": "website", "top": ""])
        XCTAssertEqual(try list(vault, ["--folder", "web"]), ["alice"])
        XCTAssertEqual(try list(vault, ["--folder", "web/github.com"]), ["alice"])
        XCTAssertEqual(try list(vault, ["--folder", "/"]), ["alice", "bank", "site", "top"])
        XCTAssertEqual(try list(vault, []), ["alice", "bank", "site", "top"], "plain list: bare titles")

        XCTAssertEqual(try vault.onions(["mv", "bank", "web/bank"]).status, 0)
        XCTAssertEqual(try vault.onions(["mv", "site", "/"]).status, 0)
        let fromStdin = try Harness.run(try Harness.onionsBinary(),
                                        ["--store", vault.path("vault.db"), "--user", vault.user, "--password-file",
                                         vault.path("password"), "--kdf-cost", "15", "mv", "-", "-"],
                                        stdin: Array("top\nprivate/notes\n".utf8), environment: vault.environment)
        XCTAssertEqual(fromStdin.status, 0, fromStdin.stderrText)
        XCTAssertEqual(try folders(vault), ["alice": "web/github.com", "bank": "web/bank", "site": "", "top": "private/notes"])
        XCTAssertEqual(try list(vault, ["--folder", "web"]), ["alice", "bank"])

        let tooLong = try vault.onions(["mv", "alice", String(repeating: "x", count: 201)])
        XCTAssertEqual(tooLong.status, 1, tooLong.stderrText)
        XCTAssertTrue(tooLong.stderrText.contains("folder is 201 characters long; the limit is 200"), tooLong.stderrText)
        XCTAssertEqual(try folders(vault)["alice"], "web/github.com")
    }
}
