import Foundation
import XCTest

/// Creating a vault in the interface: a 5-character password is refused with a sentence, and
/// "password123" is created only after a second Enter.
final class NewPasswordInterfaceTests: XCTestCase {
    func testAFiveCharacterPasswordIsRefusedAndPassword123NeedsAConfirmation() throws {
        let vault = try TestVault(for: self)
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try tmux.waitFor("Unlock your vault")
        try tmux.type(vault.user)
        try tmux.press("Enter")
        try tmux.type("abcde")
        try tmux.press("Enter")
        try tmux.waitFor("Repeat the password")
        try tmux.type("abcde")
        try tmux.press("Enter")
        let refused = try tmux.waitFor("at least 8 characters")
        XCTAssertFalse(refused.contains("abcde"), "the password is never shown:\n\(Tmux.framed(refused))")

        try tmux.type("password123")
        try tmux.waitFor("strength: very weak")
        try tmux.press("Tab")
        try tmux.type("password123")
        try tmux.press("Enter")
        let asked = try tmux.waitFor("use it anyway")
        XCTAssertFalse(asked.contains("Vault created."), Tmux.framed(asked))
        try tmux.press("Enter")
        try tmux.waitFor("Vault created.")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
    }
}
