import Foundation
import XCTest

/// The card form is a draft like the onion editor's: Esc asks before it discards, and a lock
/// seals the typed recipient and description, which come back after unlock.
final class CardFormDraftTests: XCTestCase {
    func testEscAsksAndALockKeepsTheTypedRecipientAndDescription() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.press("2")
        try tmux.waitFor("No cards yet.")
        try tmux.press("n")
        try tmux.waitFor("Description 0/2500")
        try tmux.type("Grandma")
        try tmux.press("Tab")
        try tmux.type("a scarf in moss-green")
        try tmux.waitFor("moss-green")

        try tmux.press("Escape")
        try tmux.waitFor("Discard changes?")
        try tmux.press("n")
        let kept = try tmux.waitUntil("the form after n") { !$0.contains("Discard changes?") }
        XCTAssertTrue(kept.contains("Grandma") && kept.contains("moss-green"), "still typed:\n\(Tmux.framed(kept))")

        try tmux.press("C-l")
        let locked = try tmux.waitFor("is locked.")
        XCTAssertFalse(locked.contains("Grandma") || locked.contains("moss-green"),
                       "nothing typed shows while locked:\n\(Tmux.framed(locked))")
        try tmux.type(vault.password)
        try tmux.press("Enter")
        let back = try tmux.waitUntil("the form with the typed text") { $0.contains("moss-green") }
        XCTAssertTrue(back.contains("Grandma"), "the recipient is back:\n\(Tmux.framed(back))")

        try tmux.press("Tab")
        try tmux.type("tulip-ann-4")
        try tmux.press("Tab")
        try tmux.type("tulip-ann-4")
        try tmux.press("Enter")
        let saved = try tmux.waitFor("Card saved, face down.")
        XCTAssertTrue(saved.contains("To: Grandma"), "the card is saved:\n\(Tmux.framed(saved))")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }

        // The draft went with the save: logging in again opens no form.
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        let again = try tmux.waitFor("0 onions")
        XCTAssertFalse(again.contains("Restored"), "no draft left:\n\(Tmux.framed(again))")
    }

    func testEscOnAnUntouchedFormLeavesAtOnce() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.press("2")
        try tmux.waitFor("No cards yet.")
        try tmux.press("n")
        try tmux.waitFor("Description 0/2500")
        try tmux.press("Escape")
        let left = try tmux.waitFor("No cards yet.")
        XCTAssertFalse(left.contains("Discard changes?"), Tmux.framed(left))
    }
}
