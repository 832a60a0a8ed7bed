import Foundation
import XCTest

/// Issue 29 item 10: `grep` folds case and accents ("cafe" finds "Café", in either normal form;
/// "cafè" does not: an accent typed in the query must match)
/// and looks into task texts and card recipients; "strasse" does not find "Straße" (ß is a
/// letter of its own, not an accent).
final class FoldedGrepTests: XCTestCase {
    func testGrepFoldsAccentsAndCoversTasksAndCards() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Café Central", "table by the window\n"),
                                         ("Notes", "meet at the CAFE\u{301} at noon\nnothing here\n"),
                                         ("Straße", "a street\n")])
        let task = try vault.cli(["task", "add", "pay the café bill"])
        XCTAssertEqual(task.status, 0, task.stderrText)
        let taskID = task.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let card = vault.folder.appendingPathComponent("card-password").path
        try Data("Quartz plinth 47 marmalade\n".utf8).write(to: URL(fileURLWithPath: card))
        let added = try vault.cli(["card", "add", "--to", "Zoë at the Café", "--card-password-file", card, "--weak-ok"])
        XCTAssertEqual(added.status, 0, added.stderrText)

        let grep = try vault.cli(["grep", "cafe"])
        XCTAssertEqual(grep.status, 0, grep.stderrText)
        // In list order (the newest change first), then the tasks, then the cards.
        XCTAssertEqual(grep.stdoutText, "Notes\n  meet at the CAFE\u{301} at noon\nCafé Central\n"
                       + "task \(taskID): pay the café bill\ncard: Zoë at the Café\n")
        let accented = try vault.cli(["grep", "CAFÉ"])
        XCTAssertEqual(accented.stdoutText, grep.stdoutText, "an accented query finds the same")
        XCTAssertEqual(try vault.cli(["grep", "cafè"]).status, 1, "an accent typed in the query must match")
        let zoe = try vault.cli(["grep", "zoe"])
        XCTAssertEqual(zoe.stdoutText, "card: Zoë at the Café\n", zoe.stderrText)
        let strasse = try vault.cli(["grep", "strasse"])
        XCTAssertEqual(strasse.status, 1, "ß is not folded to ss: \(strasse.stdoutText)")
        XCTAssertEqual(try vault.cli(["grep", "STRAßE"]).stdoutText, "Straße\n")

        let json = try vault.cli(["grep", "--json", "cafe"])
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any],
                                     json.stdoutText)
        XCTAssertEqual((document["matches"] as? [[String: Any]])?.map { $0["title"] as? String }, ["Notes", "Café Central"])
        XCTAssertEqual((document["tasks"] as? [[String: Any]])?.map { $0["id"] as? Int }, [Int(taskID)])
        XCTAssertEqual((document["cards"] as? [[String: Any]])?.map { $0["recipient"] as? String }, ["Zoë at the Café"])
    }
}

/// The same folding in the interface's `/` search, at 80x24 and 40x12: "cafe" finds the onion
/// whose title is "Café" and the one whose info holds "CAFÉ".
final class FoldedInterfaceSearchTests: XCTestCase {
    func testAnASCIIQueryFindsAccentedTitlesAndInfos() throws {
        for size in [(80, 24), (40, 12)] {
            let vault = try TestVault(for: self)
            try vault.signUpWithCLI(onions: [("Café", "flat white"), ("Groceries", "milk"),
                                             ("Plans", "lunch at the CAFÉ")])
            let tmux = try Tmux.start(for: self, width: size.0, height: size.1, environment: vault.environment)
            try vault.launch(in: tmux)
            try vault.logIn(in: tmux)
            try tmux.waitFor("3 onions")
            try tmux.press("/")
            try tmux.type("cafe")
            // The whole query typed and searched (a frame after its first letter may come first).
            let shown = try tmux.waitUntil("the search to settle") { $0.contains("/ cafe") && $0.contains("2 of 3 match") }
            XCTAssertTrue(shown.contains("2 of 3 match"), "at \(size):\n" + Tmux.framed(shown))
            XCTAssertFalse(shown.contains("Groceries"), "at \(size):\n" + Tmux.framed(shown))
            try tmux.press("Escape")
            try tmux.waitUntil("the search to clear") { !$0.contains("match") }
            try tmux.press("q")
            try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
        }
    }
}
