import Foundation
import XCTest

/// The interface changes a task while the command line changes the same one: the later save
/// follows the rules of sync and nothing typed is lost. On main the interface's save answered
/// "no task 0" and the typed text was gone.
final class PeerTaskTests: XCTestCase {
    func testATaskEditedHereWhileTheCommandLineDeletesItComesBackWithTheEdit() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [])
        for text in ["buy milk", "water ferns"] {
            let added = try vault.cli(["task", "add", text])
            XCTAssertEqual(added.status, 0, added.stderrText)
        }
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.press("3")
        try tmux.waitFor("0 of 2 done")

        try tmux.press("e")  // on "buy milk", the first
        try tmux.waitFor("Edit:")
        try tmux.press("End")
        try tmux.type(" and oats")
        try tmux.waitFor("buy milk and oats")
        let removed = try vault.cli(["task", "rm", "0"])
        XCTAssertEqual(removed.status, 0, removed.stderrText)
        // The interface notices the other program's delete by itself (the list shows one task).
        try tmux.waitFor("0 of 1 done", timeout: 5)

        try tmux.press("Enter")
        let saved = try tmux.waitUntil("the save to end") { $0.contains("brings it back") || $0.contains("no task") }
        XCTAssertTrue(saved.contains("brings it back"), "the edit is kept:\n\(Tmux.framed(saved))")
        try tmux.waitFor("0 of 2 done")

        let listed = try vault.cli(["task", "list"])
        XCTAssertEqual(listed.stdoutText, "[ ] 0 buy milk and oats\n[ ] 1 water ferns\n", listed.stderrText)
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
    }

    func testATaskEditedHereWhileTheCommandLineTicksItKeepsBoth() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [])
        XCTAssertEqual(try vault.cli(["task", "add", "buy milk"]).status, 0)
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.press("3")
        try tmux.waitFor("0 of 1 done")

        try tmux.press("e")
        try tmux.waitFor("Edit:")
        try tmux.press("End")
        try tmux.type(" and oats")
        try tmux.waitFor("buy milk and oats")
        let ticked = try vault.cli(["task", "done", "0"])
        XCTAssertEqual(ticked.status, 0, ticked.stderrText)
        try tmux.waitFor("1 of 1 done", timeout: 5)

        try tmux.press("Enter")
        let saved = try tmux.waitUntil("the save to end") { $0.contains("both changes are kept") || $0.contains("rror") }
        XCTAssertTrue(saved.contains("both changes are kept"), "merged:\n\(Tmux.framed(saved))")
        XCTAssertEqual(try vault.cli(["task", "list"]).stdoutText, "[x] 0 buy milk and oats\n")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
    }
}
