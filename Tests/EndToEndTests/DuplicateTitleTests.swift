import Foundation
import XCTest

/// One rule for duplicate titles: allowed in the interface and on the command line alike; a
/// command that names an ambiguous title fails, changes nothing, and names the candidates by
/// their place in `onions list`, which picks one.
final class DuplicateTitleTests: XCTestCase {
    func testAmbiguousTitleFailsWithCandidatesAndHashNPicksOne() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Groceries", "older list: flour")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.press("n")
        try tmux.waitFor("new onion")
        try tmux.type("Groceries")
        try tmux.press("Tab")
        try tmux.type("newer list: figs")
        try tmux.press("C-s")
        try tmux.waitFor("Saved.")
        try tmux.waitFor("2 onions")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }

        // The command line allows a third, as the interface allowed the second.
        let infoFile = vault.folder.appendingPathComponent("info").path
        try Data("newest list: dates".utf8).write(to: URL(fileURLWithPath: infoFile))
        let added = try vault.cli(["add", "--title", "Groceries", "--info-file", infoFile])
        XCTAssertEqual(added.status, 0, added.stderrText)

        for command in [["show", "Groceries"], ["rm", "Groceries"], ["edit", "groceries", "--title", "Food"]] {
            let refused = try vault.cli(command)
            XCTAssertEqual(refused.status, 1, "\(command): \(refused.stderrText)")
            XCTAssertTrue(refused.stderrText.contains("3 onions are named like that: #1 (changed ")
                          && refused.stderrText.contains(", #2 (changed ") && refused.stderrText.contains(", #3 (changed "),
                          "\(command) names the candidates: \(refused.stderrText)")
            XCTAssertFalse(refused.stderrText.contains("list:"), "no info in an error: \(refused.stderrText)")
            XCTAssertEqual(refused.stdoutText, "", "\(command) printed nothing")
        }
        XCTAssertEqual(try vault.cli(["list"]).stdoutText, "Groceries\nGroceries\nGroceries\n", "nothing was changed")

        XCTAssertEqual(try vault.cli(["show", "#1"]).stdoutText, "newest list: dates\n")
        XCTAssertEqual(try vault.cli(["show", "#3"]).stdoutText, "older list: flour\n")
        let removed = try vault.cli(["rm", "#2"])
        XCTAssertEqual(removed.status, 0, removed.stderrText)
        let left = try vault.cli(["grep", "list"]).stdoutText
        XCTAssertFalse(left.contains("figs"), left)
        XCTAssertTrue(left.contains("dates") && left.contains("flour"), left)
        let beyond = try vault.cli(["show", "#9"])
        XCTAssertEqual(beyond.status, 1)
        XCTAssertTrue(beyond.stderrText.contains("there is no onion #9"), beyond.stderrText)
    }

    func testAmbiguousCardRecipientFailsWithCandidates() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [])
        let passwordFile = vault.folder.appendingPathComponent("card-password").path
        try Data("tulip-ann-4\n".utf8).write(to: URL(fileURLWithPath: passwordFile))
        for _ in 0..<2 {
            let added = try vault.cli(["card", "add", "--to", "Ann", "--card-password-file", passwordFile])
            XCTAssertEqual(added.status, 0, added.stderrText)
        }
        let refused = try vault.cli(["card", "rm", "Ann"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderrText.contains("2 cards are named like that: #1 (changed "), refused.stderrText)
        XCTAssertEqual(try vault.cli(["card", "rm", "#2"]).status, 0)
        XCTAssertEqual(try vault.cli(["card", "list"]).stdoutText, "Ann\n")
    }
}
