import Foundation
import XCTest

/// The full-screen interface of the release binary (ONIONS_BIN), driven inside tmux as a
/// person would: keys in, the screen read back with capture-pane.
///
/// Every test has its own store, state, data and config folders and its own tmux server, and
/// uses `--kdf-cost 15`, the floor, so that logging in takes a tenth of a second. A failed wait prints the screen.
final class InterfaceTests: XCTestCase {
    // MARK: Sign up, write, search, edit, log in again

    func testSignUpWriteSearchEditAndFindItAllAfterLoggingInAgain() throws {
        let vault = try TestVault(for: self)
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)

        try tmux.waitFor("Unlock your vault")
        try tmux.type(vault.user)
        try tmux.press("Enter")
        try tmux.type(vault.password)
        try tmux.press("Enter")
        try tmux.waitFor("No vault for '\(vault.user)' here. Repeat the password")
        try tmux.type(vault.password)
        try tmux.press("Enter")
        try tmux.waitFor("Vault created.")
        try tmux.waitFor("No onions yet.")

        try createOnion(in: tmux, title: "Garden gate", info: "code is amber-falcon-7")
        try tmux.waitFor("1 onion")
        try createOnion(in: tmux, title: "Bicycle lock", info: "combination violet-otter")
        try tmux.waitFor("2 onions")

        try tmux.press("/")
        try tmux.type("otter")
        let filtered = try tmux.waitFor("1 of 2 match")
        XCTAssertTrue(filtered.contains("Bicycle lock"), "the match is listed:\n\(Tmux.framed(filtered))")
        XCTAssertFalse(filtered.contains("Garden gate"), "the other onion is hidden:\n\(Tmux.framed(filtered))")
        try tmux.press("Enter")
        let kept = try tmux.waitUntil("the filter kept after Enter") { screen in
            screen.contains("1 of 2 match") && screen.contains("/ otter") && screen.contains("n new")
        }
        XCTAssertFalse(kept.contains("Garden gate"), "the filter still hides the other onion:\n\(Tmux.framed(kept))")

        try tmux.press("e")
        try tmux.waitUntil("the editor on Bicycle lock") { $0.contains("editing") && $0.contains("Bicycle lock") }
        try tmux.press("Tab")
        try tmux.press("End")
        try tmux.type(" plus-edit")
        try tmux.waitFor("violet-otter plus-edit")
        try tmux.press("C-s")
        try tmux.waitFor("Saved.")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }

        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        let listed = try tmux.waitFor("2 onions")
        XCTAssertTrue(listed.contains("Garden gate") && listed.contains("Bicycle lock"),
                      "both titles are listed after logging in again:\n\(Tmux.framed(listed))")
        try tmux.press("q")

        let shown = try vault.cli(["show", "Bicycle lock"])
        XCTAssertEqual(shown.status, 0, shown.stderrText)
        XCTAssertEqual(shown.stdoutText.trimmingTrailingNewline, "combination violet-otter plus-edit")
        let other = try vault.cli(["show", "Garden gate"])
        XCTAssertEqual(other.stdoutText.trimmingTrailingNewline, "code is amber-falcon-7")
    }

    // MARK: Lock

    func testLockScreenHidesEverythingAndUnlockKeepsTheSelection() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Tax office", "pin 4417-kestrel"), ("Wifi at home", "pass marble-heron")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("2 onions")
        try tmux.press("Down")
        let before = try tmux.waitFor("› Tax office")
        XCTAssertTrue(before.contains("pin 4417-kestrel"), "the preview shows the selected info:\n\(Tmux.framed(before))")

        try tmux.press("C-l")
        let locked = try tmux.waitFor("is locked.")
        assertShowsNoPlaintext(locked, of: vault)

        try tmux.type(vault.password)
        try tmux.press("Enter")
        let back = try tmux.waitFor("2 onions")
        XCTAssertTrue(back.contains("› Tax office"), "the same onion is selected again:\n\(Tmux.framed(back))")
        XCTAssertTrue(back.contains("pin 4417-kestrel"), "its preview is back:\n\(Tmux.framed(back))")
    }

    func testLockMidEditAndUnlockReturnsToTheEditorWithTheUnsavedText() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Tax office", "pin 4417-kestrel")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("1 onion")
        try tmux.press("e")
        try tmux.waitFor("editing")
        try tmux.press("Tab")
        try tmux.press("End")
        try tmux.type(" unsaved-lynx")
        try tmux.waitFor("kestrel unsaved-lynx")

        try tmux.press("C-l")
        let locked = try tmux.waitFor("is locked.")
        assertShowsNoPlaintext(locked, of: vault, extra: ["unsaved-lynx"])

        try tmux.type(vault.password)
        try tmux.press("Enter")
        let back = try tmux.waitUntil("the editor with the unsaved text") {
            $0.contains("editing") && $0.contains("pin 4417-kestrel unsaved-lynx")
        }
        XCTAssertTrue(back.contains("Tax office"), "the title is back in the editor:\n\(Tmux.framed(back))")
        let stored = try vault.cli(["show", "Tax office"])
        XCTAssertEqual(stored.stdoutText.trimmingTrailingNewline, "pin 4417-kestrel",
                       "locking seals a draft; it does not save the onion")
    }

    // MARK: Suspend

    func testControlZStopsTheProgramAndFgBringsBackTheLockScreen() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Tax office", "pin 4417-kestrel")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("› Tax office")
        let pid = try vault.onionsPID()

        try tmux.press("C-z")
        let stopped = try tmux.waitFor("Stopped")
        assertShowsNoPlaintext(stopped, of: vault)
        XCTAssertTrue(Processes.wait(timeout: 5) { Processes.state(of: pid) == "T" },
                      "the process is stopped (state \(Processes.state(of: pid) ?? "gone"))")

        try tmux.runInShell("fg")
        // The whole frame: the lock box and the notice that explains it (a capture taken in the
        // middle of the redraw after `fg` may hold only part of it).
        let resumed = try tmux.waitUntil("the lock screen and its notice") {
            $0.contains("is locked.") && $0.contains("Locked while suspended.")
        }
        assertShowsNoPlaintext(resumed, of: vault)

        try tmux.type(vault.password)
        try tmux.press("Enter")
        try tmux.waitFor("› Tax office")
    }

    func testControlZMidEditSealsTheDraftAndUnlockAfterFgReturnsToIt() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Tax office", "pin 4417-kestrel")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.press("e")
        try tmux.waitFor("editing")
        try tmux.press("Tab")
        try tmux.press("End")
        try tmux.type(" suspended-ibis")
        try tmux.waitFor("kestrel suspended-ibis")

        try tmux.press("C-z")
        let stopped = try tmux.waitFor("Stopped")
        assertShowsNoPlaintext(stopped, of: vault, extra: ["suspended-ibis"])
        try tmux.runInShell("fg")
        let resumed = try tmux.waitFor("is locked.")
        assertShowsNoPlaintext(resumed, of: vault, extra: ["suspended-ibis"])

        try tmux.type(vault.password)
        try tmux.press("Enter")
        try tmux.waitUntil("the editor with the text typed before Ctrl-Z") {
            $0.contains("editing") && $0.contains("pin 4417-kestrel suspended-ibis")
        }
    }

    // MARK: Resize

    func testShrinkingBelowTheMinimumSaysSoAndGrowingBackRedrawsTheList() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Tax office", "pin 4417-kestrel")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("› Tax office")
        let pid = try vault.onionsPID()

        try tmux.resize(width: 20, height: 5)
        try tmux.waitFor("Terminal too small")
        XCTAssertTrue(Processes.isAlive(pid), "the program survives a tiny terminal")

        try tmux.resize(width: 80, height: 24)
        let redrawn = try tmux.waitUntil("the list drawn again at 80x24") {
            $0.contains("› Tax office") && $0.contains("q quit") && !$0.contains("Terminal too small")
        }
        XCTAssertTrue(redrawn.contains("pin 4417-kestrel"), "the preview is drawn again:\n\(Tmux.framed(redrawn))")
        XCTAssertTrue(Processes.isAlive(pid), "the program is still running after growing back")
    }

    // MARK: Hang-up

    func testClosingThePaneMidEditKeepsTheDraftForTheNextLogIn() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [])
        let first = try vault.tmux(for: self)
        try vault.launch(in: first)
        try vault.logIn(in: first)
        try first.waitFor("No onions yet.")
        try first.press("n")
        try first.waitFor("new onion")
        try first.type("Half written")
        try first.press("Tab")
        try first.type("draft survives hangup-wombat")
        try first.waitFor("hangup-wombat")
        let pid = try vault.onionsPID()

        try first.killPane()
        XCTAssertTrue(Processes.wait(timeout: 10) { !Processes.isAlive(pid) },
                      "the program exits after SIGHUP (state \(Processes.state(of: pid) ?? "gone"))")
        first.stop()

        let listed = try vault.cli(["list"])
        XCTAssertEqual(listed.status, 0, listed.stderrText)
        XCTAssertFalse(listed.stdoutText.contains("Half written"), "a draft is not a saved onion")

        let second = try vault.tmux(for: self)
        try vault.launch(in: second)
        try vault.logIn(in: second)
        let restored = try second.waitFor("Restored an unsaved draft.")
        XCTAssertTrue(restored.contains("new onion"), "the editor is open on a new onion:\n\(Tmux.framed(restored))")
        XCTAssertTrue(restored.contains("Half written"), "the draft's title is back:\n\(Tmux.framed(restored))")
        XCTAssertTrue(restored.contains("draft survives hangup-wombat"),
                      "the draft's info is back:\n\(Tmux.framed(restored))")
    }

    func testTerminateMidEditRestoresTheTerminalAndKeepsTheDraft() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.press("n")
        try tmux.waitFor("new onion")
        try tmux.type("Stopped by TERM")
        try tmux.press("Tab")
        try tmux.type("sealed before exit-marmot")
        try tmux.waitFor("exit-marmot")
        let pid = try vault.onionsPID()

        XCTAssertEqual(kill(pid, SIGTERM), 0)
        XCTAssertTrue(Processes.wait(timeout: 10) { !Processes.isAlive(pid) }, "the program exits after SIGTERM")
        let shell = try tmux.waitUntil("the prompt after SIGTERM") { Tmux.lastLine(of: $0) == "e2e$" }
        XCTAssertFalse(shell.contains("exit-marmot"), "the draft is not left on screen:\n\(Tmux.framed(shell))")
        XCTAssertEqual(try tmux.paneFormat("#{alternate_on}"), "0", "the normal screen is back")

        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        let restored = try tmux.waitFor("Restored an unsaved draft.")
        XCTAssertTrue(restored.contains("Stopped by TERM") && restored.contains("sealed before exit-marmot"),
                      "the draft comes back whole:\n\(Tmux.framed(restored))")
    }

    // MARK: Idle lock

    func testIdleForLockAfterSecondsShowsTheLockScreenByItself() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Tax office", "pin 4417-kestrel")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux, extra: ["--lock-after", "2"])
        try vault.logIn(in: tmux)
        try tmux.waitFor("› Tax office")

        // The lock screen whole: its notice sits on the last line, which a capture taken while
        // the screen is being painted can miss (CI saw the box without it).
        let locked = try tmux.waitUntil("the lock screen with its notice", timeout: 10) {
            $0.contains("is locked.") && $0.contains("Locked after")
        }
        assertShowsNoPlaintext(locked, of: vault)
        XCTAssertTrue(locked.contains("Locked after 2 s without a key."), "the lock says why:\n\(Tmux.framed(locked))")
    }

    // MARK: Terminal restored

    func testQuittingGivesBackAWorkingShell() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Tax office", "pin 4417-kestrel")])
        let tmux = try vault.tmux(for: self)
        try tmux.runInShell("saved=$(stty -g); clear")
        try tmux.waitUntil("the cleared shell") { $0.trimmingCharacters(in: .whitespacesAndNewlines) == "e2e$" }
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("› Tax office")
        XCTAssertEqual(try tmux.paneFormat("#{alternate_on}"), "1", "the interface runs on the alternate screen")

        try tmux.press("q")
        try tmux.waitUntil("the prompt after quitting") { Tmux.lastLine(of: $0) == "e2e$" }
        XCTAssertEqual(try tmux.paneFormat("#{alternate_on}"), "0", "the normal screen is back")
        XCTAssertEqual(try tmux.paneFormat("#{cursor_flag}"), "1", "the cursor is visible again")

        try tmux.runInShell("echo ok-$((1+1)); [ \"$(stty -g)\" = \"$saved\" ] && echo \"modes as before: $((6*7))\"")
        let shell = try tmux.waitFor("ok-2")
        try tmux.waitFor("modes as before: 42")
        XCTAssertFalse(shell.contains("Tax office"), "no onion is left on the normal screen:\n\(Tmux.framed(shell))")
    }

    // MARK: Helpers

    /// Presses n, types the title, Tab, the info, and Ctrl-S; waits for "Saved.".
    private func createOnion(in tmux: Tmux, title: String, info: String,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        try tmux.press("n", file: file, line: line)
        try tmux.waitFor("new onion", file: file, line: line)
        try tmux.type(title, file: file, line: line)
        try tmux.press("Tab", file: file, line: line)
        try tmux.type(info, file: file, line: line)
        try tmux.waitFor(info, file: file, line: line)
        try tmux.press("C-s", file: file, line: line)
        try tmux.waitFor("Saved.", file: file, line: line)
    }


    /// Fails when `screen` shows any title or info of `vault` (or any of `extra`).
    private func assertShowsNoPlaintext(_ screen: String, of vault: TestVault, extra: [String] = [],
                                        file: StaticString = #filePath, line: UInt = #line) {
        for text in vault.plaintexts + extra where screen.contains(text) {
            XCTFail("the screen shows \"\(text)\":\n\(Tmux.framed(screen))", file: file, line: line)
        }
    }
}

extension String {
    /// The text without one final newline (the CLI ends its output with one).
    var trimmingTrailingNewline: String {
        hasSuffix("\n") ? String(dropLast()) : self
    }
}
