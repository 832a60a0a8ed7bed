import Foundation
import XCTest

/// In tmux: Ctrl-C says how to quit, unlocking puts the editor's cursor back, and a search
/// typed with precomposed accents finds text stored decomposed (interface and grep).
final class QuitHintUnlockPlaceAndFoldedSearchTests: XCTestCase {
    func testControlCInTheListSaysHowToQuitAndTheProgramStays() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Groceries", "milk")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("1 onion")
        let pid = try vault.onionsPID()
        try tmux.press("C-c")
        try tmux.waitFor("Ctrl-C does not quit: press q to quit")
        XCTAssertTrue(Processes.isAlive(pid))
    }

    func testUnlockPutsTheEditorCursorBackWhereItWas() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Groceries", "milk")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("1 onion")
        try tmux.press("n")
        try tmux.waitFor("Title")
        try tmux.type("Drafted")
        try tmux.press("Tab")
        for (index, word) in ["alpha", "bravo", "charlie"].enumerated() {
            if index > 0 { try tmux.press("Enter") }
            try tmux.type(word)
        }
        try tmux.waitFor("charlie")
        try tmux.press("Up")
        try tmux.press("Home")
        try tmux.press("C-l")
        try tmux.waitFor("is locked.")
        try tmux.type(vault.password)
        try tmux.press("Enter")
        try tmux.waitFor("charlie")
        try tmux.type("X")
        let shown = try tmux.waitFor("X")
        XCTAssertTrue(shown.contains("Xbravo"), "typing goes where the cursor was before the lock:\n\(Tmux.framed(shown))")
    }

    func testAPrecomposedSearchFindsADecomposedTitleInTheInterfaceAndInGrep() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Cafe\u{301} list", "flat white"), ("Groceries", "milk")])
        let grep = try vault.cli(["grep", "caf\u{E9}"])
        XCTAssertEqual(grep.status, 0, grep.stderrText)
        XCTAssertTrue(grep.stdoutText.contains("list"), "grep finds the decomposed title: \(grep.stdoutText)")
        let upper = try vault.cli(["grep", "CAF\u{C9}"])
        XCTAssertTrue(upper.stdoutText.contains("list"), "and without case: \(upper.stdoutText)")

        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("2 onions")
        try tmux.press("/")
        try tmux.waitFor("Enter keep filter")
        try tmux.type("caf\u{E9}")
        let shown = try tmux.waitUntil("the search to settle") { $0.contains("match") }
        XCTAssertTrue(shown.contains("1 of 2 match"), Tmux.framed(shown))
    }
}
