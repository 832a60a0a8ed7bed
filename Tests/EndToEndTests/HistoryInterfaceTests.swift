import Foundation
import XCTest

/// Nothing deleted is gone, in the release binary (ONIONS_BIN) inside tmux: `u` undoes a
/// delete, `H` lists an onion's versions and restores one, the Trash view brings a card back.
final class HistoryInterfaceTests: XCTestCase {
    func testDeleteThenUndoBringsTheOnionBackWithItsText() throws {
        let vault = try TestVault(for: self, user: "grace", password: "battery staple 17")
        try vault.signUpWithCLI(onions: [(title: "Groceries", info: "oat milk, eggs, rye bread")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("oat milk, eggs, rye bread")

        try tmux.press("d")
        try tmux.waitFor("Delete the onion “Groceries”?")
        try tmux.press("y")
        try tmux.waitFor("No onions yet.")
        try tmux.press("u")
        let back = try tmux.waitFor("Brought back the onion “Groceries”.")
        XCTAssertTrue(back.contains("[Onions 1]"), "the onion is listed again:\n\(Tmux.framed(back))")
        try tmux.waitFor("oat milk, eggs, rye bread")  // its info, in the preview

        // As ssh delivers a quick typist's keys: d, y and u in one write. The delete runs while
        // u waits; u then brings the onion back.
        try tmux.press("d", "y", "u")
        let again = try tmux.waitFor("Brought back the onion “Groceries”.")
        XCTAssertTrue(again.contains("[Onions 1]"), "the onion is back after the burst:\n\(Tmux.framed(again))")
        try tmux.press("Enter")
        try tmux.waitUntil("the read view of the onion brought back") {
            $0.contains("line 1 of") && $0.contains("oat milk, eggs, rye bread")
        }
        let shown = try vault.cli(["show", "Groceries"])
        XCTAssertEqual(shown.status, 0, shown.stderrText)
        XCTAssertTrue(shown.stdoutText.contains("oat milk, eggs, rye bread"), shown.stdoutText)
    }

    func testHistoryOfAnOnionEditedThreeTimesShowsFourVersionsAndRestoresTheFirst() throws {
        let vault = try TestVault(for: self, user: "grace", password: "battery staple 17")
        try vault.signUpWithCLI(onions: [(title: "Groceries", info: "first: oat milk")])
        for (index, info) in ["second: rye bread", "third: eggs", "fourth: coffee"].enumerated() {
            let file = vault.folder.appendingPathComponent("edit-\(index)").path
            try Data(info.utf8).write(to: URL(fileURLWithPath: file))
            let edited = try vault.cli(["edit", "Groceries", "--info-file", file])
            XCTAssertEqual(edited.status, 0, edited.stderrText)
        }
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("fourth: coffee")

        try tmux.press("H")
        let history = try tmux.waitUntil("the history with the third version beside the current one") {
            $0.contains("4 versions of the onion") && $0.contains("- third: eggs") && $0.contains("+ fourth: coffee")
        }
        let rows = history.split(separator: "\n")
        for number in 1...4 {
            XCTAssertTrue(rows.contains { $0.contains("   \(number)  20") && $0.contains(" UTC  this machine") },
                          "version \(number) is listed with its time and machine:\n\(Tmux.framed(history))")
        }
        XCTAssertTrue(history.contains("(current)"), Tmux.framed(history))

        try tmux.press("g")
        try tmux.waitUntil("the first version beside the current one") {
            $0.contains("- first: oat milk") && $0.contains("version 1")
        }
        try tmux.press("Enter")
        let restored = try tmux.waitUntil("the history after the restore") {
            $0.contains("Version 1 restored") && $0.contains("5 versions of the onion")
        }
        XCTAssertTrue(restored.contains("+ first: oat milk"), "the current one is the first one's text:\n\(Tmux.framed(restored))")
        try tmux.press("Escape")
        try tmux.waitUntil("the list showing the restored info") {
            $0.contains("[Onions 1]") && $0.contains("first: oat milk") && !$0.contains("fourth: coffee")
        }
        let shown = try vault.cli(["show", "Groceries"])
        XCTAssertTrue(shown.stdoutText.contains("first: oat milk"), shown.stdoutText)
        let versions = try vault.cli(["history", "Groceries"])
        XCTAssertEqual(versions.stdoutText.split(separator: "\n").count, 5, "nothing was overwritten:\n" + versions.stdoutText)
    }

    func testTheTrashViewRestoresACardThatOpensWithItsOwnPassword() throws {
        let vault = try TestVault(for: self, user: "grace", password: "battery staple 17")
        try vault.signUpWithCLI(onions: [])
        let descriptionFile = vault.folder.appendingPathComponent("description").path
        let passwordFile = vault.folder.appendingPathComponent("card-password").path
        try Data("Spare key: amber-falcon-7".utf8).write(to: URL(fileURLWithPath: descriptionFile))
        try Data("tulip-ann-4\n".utf8).write(to: URL(fileURLWithPath: passwordFile))
        let added = try vault.cli(["card", "add", "--to", "Ann", "--description-file", descriptionFile,
                                   "--card-password-file", passwordFile])
        XCTAssertEqual(added.status, 0, added.stderrText)
        XCTAssertEqual(try vault.cli(["card", "rm", "Ann"]).status, 0)

        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.press("4")
        let trash = try tmux.waitFor("1 in the trash")
        XCTAssertTrue(trash.contains("[Trash]") && trash.contains("card") && trash.contains("Ann")
                      && trash.contains(" UTC"), "the card with the time of its delete:\n\(Tmux.framed(trash))")
        try tmux.press("Enter")
        try tmux.waitFor("Brought back the card “Ann”.")
        try tmux.waitFor("The trash is empty.")

        try tmux.press("2")
        try tmux.waitFor("To: Ann")
        try tmux.press("Enter")
        try tmux.waitFor("Password for the card to Ann")
        try tmux.type("not-her-password")
        try tmux.press("Enter")
        let refused = try tmux.waitFor("wrong password")
        XCTAssertFalse(refused.contains("amber-falcon-7"), Tmux.framed(refused))
        usleep(600_000)  // the shake is over
        try tmux.press("Enter")
        try tmux.waitFor("Password for the card to Ann")
        try tmux.type("tulip-ann-4")
        try tmux.press("Enter")
        try tmux.waitFor("amber-falcon-7")
    }
}
