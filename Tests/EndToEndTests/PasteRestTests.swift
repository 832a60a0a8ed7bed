import Foundation
import XCTest

/// Issue 29 item 9: a paste past the info's limit puts in what fits and offers the rest as a
/// new onion (n) or drops it only when asked (Esc); never silently. In the release binary
/// (ONIONS_BIN) inside tmux.
final class PasteRestTests: XCTestCase {
    /// 2,496 + 1 + 13 = 2,510 characters: the last 10 ("tail-words") are past the 2,500 an info holds.
    static let paste = String(repeating: "a", count: 2_496) + "\nzz-tail-words"

    func pasteTooMuch(width: Int, height: Int) throws -> (TestVault, Tmux) {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Groceries", "milk")])
        let tmux = try vault.tmux(for: self)
        try tmux.resize(width: width, height: height)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("1 onion")
        try tmux.press("n")
        try tmux.waitFor("Title")
        try tmux.type("Long")
        try tmux.press("Tab")
        try tmux.paste(Self.paste)
        // The whole question, to its last line: a capture can land while the box is drawn.
        let asked = try tmux.waitUntil("the question about the rest, drawn whole") {
            $0.contains("did not fit in") && $0.contains("Esc drop them")
        }
        XCTAssertTrue(asked.contains("10 characters"), Tmux.framed(asked))
        XCTAssertTrue(asked.contains("new onion") && asked.contains("Esc drop them"), Tmux.framed(asked))
        return (vault, tmux)
    }

    func testTheRestOfAPasteBecomesANewOnion() throws {
        let (vault, tmux) = try pasteTooMuch(width: 80, height: 24)
        try tmux.press("x")  // not an answer: the question stays
        let still = try tmux.screen()
        XCTAssertTrue(still.contains("did not fit in"), Tmux.framed(still))
        try tmux.press("n")
        try tmux.waitFor("saved as the onion")
        try tmux.press("C-s")
        try tmux.waitFor("Saved.")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
        let rest = try vault.cli(["show", "Long (rest)"])
        XCTAssertEqual(rest.status, 0, rest.stderrText)
        XCTAssertEqual(rest.stdoutText, "tail-words\n")
        let kept = try vault.cli(["show", "Long"])
        XCTAssertEqual(kept.status, 0, kept.stderrText)
        XCTAssertEqual(kept.stdoutText, String(repeating: "a", count: 2_496) + "\nzz-\n")
    }

    func testEscDropsTheRestOnlyWhenAskedAt40x12() throws {
        let (vault, tmux) = try pasteTooMuch(width: 40, height: 12)
        try tmux.press("Escape")
        try tmux.waitFor("were dropped")
        try tmux.press("C-s")
        try tmux.waitFor("Saved.")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
        let listed = try vault.cli(["list"])
        XCTAssertFalse(listed.stdoutText.contains("(rest)"), listed.stdoutText)
    }
}
