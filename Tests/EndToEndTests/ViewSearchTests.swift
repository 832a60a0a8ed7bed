import Foundation
import XCTest

/// Issue 29 item 10, the interface: `/` in the task list searches the tasks' texts, and `/`
/// among the cards their recipients, folded as `onions grep` folds (any case, accents), in the
/// release binary (ONIONS_BIN) inside tmux at 80x24 and 40x12.
final class ViewSearchTests: XCTestCase {
    func opened(width: Int, height: Int) throws -> (TestVault, Tmux) {
        let vault = try TestVault(for: self, user: "searcher", password: "battery staple 17")
        try vault.signUpWithCLI(onions: [(title: "Soup", info: "leeks")])
        for task in ["Call the CAFÉ owner", "buy milk", "Pay rent"] {
            let added = try vault.cli(["task", "add", task])
            XCTAssertEqual(added.status, 0, added.stderrText)
        }
        let descriptionFile = vault.folder.appendingPathComponent("description").path
        let passwordFile = vault.folder.appendingPathComponent("card-password").path
        try Data("hi".utf8).write(to: URL(fileURLWithPath: descriptionFile))
        try Data("anchor-card-9\n".utf8).write(to: URL(fileURLWithPath: passwordFile))
        for recipient in ["Zoë Müller", "Bob"] {
            let added = try vault.cli(["card", "add", "--to", recipient, "--description-file", descriptionFile,
                                       "--card-password-file", passwordFile])
            XCTAssertEqual(added.status, 0, added.stderrText)
        }
        let tmux = try vault.tmux(for: self)
        try tmux.resize(width: width, height: height)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("Soup")
        return (vault, tmux)
    }

    func searchFindsTasksAndCards(width: Int, height: Int) throws {
        let (_, tmux) = try opened(width: width, height: height)
        try tmux.press("3")
        try tmux.waitFor("buy milk")
        // Typed in one burst, as a quick typist or a paste would.
        try tmux.type("/cafe")
        let found = try tmux.waitUntil("the task search to narrow the list") { !$0.contains("buy milk") }
        XCTAssertTrue(found.contains("Call the"), "the task with CAFÉ is found by 'cafe':\n\(Tmux.framed(found))")
        XCTAssertFalse(found.contains("Pay rent"), Tmux.framed(found))
        XCTAssertTrue(found.contains("/ cafe"), "the search line shows:\n\(Tmux.framed(found))")
        try tmux.press("Enter")
        let kept = try tmux.waitUntil("the search to be kept") { $0.contains("/ cafe") && !$0.contains("Pay rent") }
        XCTAssertFalse(kept.contains("buy milk"), Tmux.framed(kept))
        try tmux.press("Escape")
        try tmux.waitUntil("Esc to clear the search") { $0.contains("buy milk") && $0.contains("Pay rent") }

        try tmux.press("2")
        try tmux.waitFor(" 2 cards")
        try tmux.type("/zoe mul")
        let cards = try tmux.waitFor("1 of 2 cards")
        XCTAssertTrue(cards.contains("Zoë"), "the card for Zoë Müller is found by 'zoe mul':\n\(Tmux.framed(cards))")
        XCTAssertFalse(cards.contains("Bob"), Tmux.framed(cards))
        try tmux.press("Enter")
        try tmux.waitUntil("the card search to be kept") { !$0.contains("Enter keep filter") }
        try tmux.press("Escape")
        try tmux.waitUntil("Esc to clear the card search") { !$0.contains("of 2 cards") && $0.contains(" 2 cards") }
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt") { Tmux.lastLine(of: $0) == "e2e$" }
    }

    func testSearchFindsTasksAndCardsAt80x24() throws { try searchFindsTasksAndCards(width: 80, height: 24) }
    func testSearchFindsTasksAndCardsAt40x12() throws { try searchFindsTasksAndCards(width: 40, height: 12) }
}
