import Foundation
import XCTest

/// The interface edits a card while the command line deletes the same one: the save brings the
/// card back with the edit (on main it answered "no card with that id" and the edit was gone).
final class PeerCardTests: XCTestCase {
    func testACardEditedHereWhileTheCommandLineDeletesItComesBackWithTheEdit() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [])
        let descriptionFile = vault.folder.appendingPathComponent("description").path
        let passwordFile = vault.folder.appendingPathComponent("card-password").path
        try Data("Boat code: violet-otter-2".utf8).write(to: URL(fileURLWithPath: descriptionFile))
        try Data("anchor-bob-9\n".utf8).write(to: URL(fileURLWithPath: passwordFile))
        let added = try vault.cli(["card", "add", "--to", "Bob", "--description-file", descriptionFile,
                                   "--card-password-file", passwordFile])
        XCTAssertEqual(added.status, 0, added.stderrText)

        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.press("2")
        try tmux.waitFor("1 card")
        try tmux.press("Enter")
        try tmux.waitFor("Password for the card to Bob")
        try tmux.type("anchor-bob-9")
        try tmux.press("Enter")
        try tmux.waitFor("violet-otter-2")
        try tmux.press("e")
        try tmux.waitFor("Description")
        try tmux.type(" and moose-3")
        try tmux.waitFor("moose-3")

        let removed = try vault.cli(["card", "rm", "Bob"])
        XCTAssertEqual(removed.status, 0, removed.stderrText)
        try tmux.press("C-s")
        let saved = try tmux.waitUntil("the save to end") { $0.contains("saved as a new one") || $0.lowercased().contains("no card") }
        XCTAssertTrue(saved.contains("saved as a new one"), "the edit is kept:\n\(Tmux.framed(saved))")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }

        let opened = try vault.cli(["card", "open", "Bob", "--card-password-file", passwordFile])
        XCTAssertEqual(opened.status, 0, opened.stderrText)
        XCTAssertTrue(opened.stdoutText.contains("moose-3"), "the typed text is in the card: \(opened.stdoutText)")
    }
}
