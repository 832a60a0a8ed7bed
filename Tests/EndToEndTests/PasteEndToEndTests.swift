import Foundation
import XCTest

/// Pasting in tmux (`paste-buffer -p`, bracketed when the program asks for it): a paste goes
/// into the field being typed in, or nowhere, and never runs a command.
final class PasteEndToEndTests: XCTestCase {
    func testAPasteWithALineBreakInTheSearchDeletesNothing() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("zz-throwaway", "keep this one"), ("Groceries", "milk")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("2 onions")
        try tmux.press("/")
        try tmux.waitFor("Enter keep filter")
        try tmux.paste("zz-throw\ndy")
        // Either the paste is refused, or (as before bracketed paste) it ran as keys: the search,
        // Enter, d and y deleted the onion.
        let after = try tmux.waitUntil("the paste to be handled") {
            $0.contains("nothing was pasted") || $0.contains("1 onion")
        }
        XCTAssertTrue(after.contains("2 onions"), "both onions are listed:\n\(Tmux.framed(after))")
        try tmux.press("Escape")
        try tmux.waitFor("n new")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }

        let listed = try vault.cli(["list"])
        XCTAssertEqual(listed.status, 0, listed.stderrText)
        XCTAssertTrue(listed.stdoutText.contains("zz-throwaway"), "the onion is still there: \(listed.stdoutText)")
    }

    func testAPasteInTheListOpensNoEditor() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Groceries", "milk")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("1 onion")
        try tmux.paste("milk\nnq")
        let shown = try tmux.waitFor("Nothing here takes text; nothing was pasted.")
        XCTAssertFalse(shown.contains("editing") || shown.contains("new onion"), "no editor opened:\n\(Tmux.framed(shown))")
        XCTAssertTrue(try vault.onionsPID() > 0, "the program did not quit")
    }

    func testAPasteIntoTheInfoKeepsItsLinesAndAnOverlongTitleTakesWhatFits() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Groceries", "milk")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("1 onion")
        try tmux.press("n")
        try tmux.waitFor("Title")
        try tmux.paste(String(repeating: "t", count: 70))
        // What fits goes in; the notice says how much did not.
        try tmux.waitFor("did not fit")
        let cut = try tmux.screen()
        XCTAssertTrue(cut.contains("the last 40 did not fit"), Tmux.framed(cut))
        XCTAssertTrue(cut.contains(String(repeating: "t", count: 30)), Tmux.framed(cut))
        try tmux.press("C-u")
        try tmux.paste("Pasted title")
        try tmux.waitFor("Pasted title")
        try tmux.press("Tab")
        try tmux.paste("first line\nsecond line")
        try tmux.waitUntil("both pasted lines in the info") { $0.contains("first line") && $0.contains("second line") }
        try tmux.press("C-s")
        try tmux.waitFor("Saved.")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
        let shown = try vault.cli(["show", "Pasted title"])
        XCTAssertEqual(shown.status, 0, shown.stderrText)
        XCTAssertEqual(shown.stdoutText, "first line\nsecond line\n")
    }
}

extension Tmux {
    /// Pastes `text` into the pane as tmux does on a paste key: bracketed when the program
    /// switched bracketed paste on, as plain typing otherwise (line breaks sent as Enter).
    func paste(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try command(["set-buffer", "-b", "e2e-paste", "--", text], file: file, line: line)
        try command(["paste-buffer", "-p", "-d", "-b", "e2e-paste", "-t", "e2e"], file: file, line: line)
    }
}
