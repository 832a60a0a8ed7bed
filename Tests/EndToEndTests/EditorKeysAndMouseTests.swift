import Foundation
import XCTest

/// The editor's readline keys and the mouse through a real terminal (tmux): the bytes a
/// terminal sends for Ctrl-W, Ctrl-_, Alt-b and Ctrl-← decode, an SGR mouse click selects, and
/// the terminal's mouse mode is on only while the vault is open.
final class EditorKeysAndMouseTests: XCTestCase {
    func testUndoRestoresTheTextBeforeCtrlWAndWordKeysDecode() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Groceries", "milk")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("1 onion")
        try tmux.press("n")
        try tmux.waitFor("Title")
        try tmux.type("Soup")
        try tmux.press("Tab")
        try tmux.type("buy red onions")
        try tmux.waitFor("buy red onions")
        try tmux.press("C-w")
        try tmux.waitUntil("Ctrl-W to delete the last word") { $0.contains("buy red") && !$0.contains("buy red onions") }
        // Ctrl-_ is the byte 0x1F, what terminals send for Ctrl-/ and Ctrl-_.
        try tmux.type("\u{1F}")
        try tmux.waitFor("buy red onions")
        try tmux.press("C-Left")
        try tmux.type("X")
        try tmux.waitFor("buy red Xonions")
        try tmux.press("M-b")
        try tmux.type("Y")
        try tmux.waitFor("buy red YXonions")
        try tmux.press("C-s")
        try tmux.waitFor("Saved.")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
        let shown = try vault.cli(["show", "Soup"])
        XCTAssertEqual(shown.stdoutText, "buy red YXonions\n", shown.stderrText)
    }

    func testAnSGRClickSelectsTheThirdOnionAndTheMouseModeIsLeftAsFound() throws {
        let vault = try TestVault(for: self)
        // Listed newest first: Garden, Gifts, Groceries.
        try vault.signUpWithCLI(onions: [("Groceries", "milk and eggs"), ("Gifts", "socks"), ("Garden", "tulips")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try tmux.waitFor("Unlock your vault")
        XCTAssertEqual(try tmux.paneFormat("#{mouse_sgr_flag}"), "0", "no mouse reports on the log-in screen")
        try vault.logIn(in: tmux)
        try tmux.waitFor("tulips")
        XCTAssertEqual(try tmux.paneFormat("#{mouse_sgr_flag}#{mouse_standard_flag}"), "11")
        // Row 5 and column 5, 1-based: the third row of the list.
        try tmux.type("\u{1B}[<0;5;5M")
        try tmux.type("\u{1B}[<0;5;5m")
        try tmux.waitFor("milk and eggs")
        try tmux.press("C-l")
        try tmux.waitFor("locked")
        XCTAssertEqual(try tmux.paneFormat("#{mouse_sgr_flag}#{mouse_standard_flag}"), "00", "off on the lock screen")
        try tmux.press("C-c")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
        XCTAssertEqual(try tmux.paneFormat("#{mouse_sgr_flag}#{mouse_standard_flag}"), "00", "off after the program")
    }

    func testMouseReportsAreNeverKeysWithNoMouseOrInAPaste() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Groceries", "milk and eggs"), ("Gifts", "socks"), ("Garden", "tulips")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux, extra: ["--no-mouse"])
        try vault.logIn(in: tmux)
        try tmux.waitFor("tulips")
        XCTAssertEqual(try tmux.paneFormat("#{mouse_sgr_flag}#{mouse_standard_flag}"), "00")
        // A double click on the third row that the terminal sends anyway does nothing.
        try tmux.type("\u{1B}[<0;5;5M\u{1B}[<0;5;5m\u{1B}[<0;5;5M\u{1B}[<0;5;5m")
        // In a paste, a report is text for the search, never a click.
        try tmux.press("/")
        try tmux.waitFor("Enter keep filter")
        try tmux.paste("\u{1B}[<0;5;5M")
        let shown = try tmux.waitFor("0;5;5M")
        XCTAssertTrue(shown.contains("Nothing matches the search."), Tmux.framed(shown))
        try tmux.press("Escape")
        let list = try tmux.waitFor("n new")
        XCTAssertTrue(list.contains("› Garden") && list.contains("tulips"), "the first onion stays selected:\n\(Tmux.framed(list))")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
    }
}
