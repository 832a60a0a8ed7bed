import Foundation
import XCTest

/// The byte cap is a limit the person sees: once many-byte characters fill an info faster than
/// its 2,500 characters, the counter shows the bytes, typing past 8,000 is refused like typing
/// past the character limit, and the save goes through.
final class ByteLimitTests: XCTestCase {
    func testThumbsUpFillTheInfoByBytesAndTheSaveGoesThrough() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [])
        let tmux = try Tmux.start(for: self, width: 100, height: 30, environment: vault.environment)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.press("n")
        try tmux.waitFor("new onion")
        try tmux.type("Thumbs")
        try tmux.press("Tab")
        for _ in 0..<10 { try tmux.type(String(repeating: "👍🏽", count: 100)) }
        let full = try tmux.waitFor("1000/2500 · 8000/8000 bytes")
        XCTAssertFalse(full.contains("was not added"), "all 1,000 fit:\n\(Tmux.framed(full))")
        try tmux.type("👍🏽")
        let refused = try tmux.waitFor("at most 8000 bytes")
        XCTAssertTrue(refused.contains("1000/2500 · 8000/8000 bytes"), "nothing was added:\n\(Tmux.framed(refused))")

        try tmux.press("C-s")
        try tmux.waitFor("Saved.")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
        let shown = try vault.cli(["show", "Thumbs"])
        XCTAssertEqual(shown.stdoutText.trimmingTrailingNewline, String(repeating: "👍🏽", count: 1000), shown.stderrText)
    }
}
