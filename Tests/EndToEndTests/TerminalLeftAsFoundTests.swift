import Foundation
import XCTest

/// The terminal is left as the program found it: the scrollback untouched and free of vault
/// text, Ctrl-Z handing the terminal back to the shell even under a wrapper script, and the
/// process known by its name with no variable of its own passed on.
final class TerminalLeftAsFoundTests: XCTestCase {
    func testTheScrollbackIsKeptAndHoldsNoVaultText() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Tax office", "pin 4417-kestrel"), ("Wifi at home", "pass marble-heron")])
        let tmux = try vault.tmux(for: self)
        try tmux.runInShell("seq 1001 1200")
        try tmux.waitFor("1200")
        let before = Int(try tmux.paneFormat("#{history_size}")) ?? -1
        XCTAssertGreaterThan(before, 100, "the shell's output filled the scrollback")

        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("pass marble-heron")
        try tmux.press("Down")
        try tmux.waitFor("pin 4417-kestrel")
        try tmux.press("C-l")
        try tmux.waitFor("is locked.")
        try tmux.type(vault.password)
        try tmux.press("Enter")
        try tmux.waitFor("pin 4417-kestrel")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }

        let after = Int(try tmux.paneFormat("#{history_size}")) ?? -1
        XCTAssertGreaterThanOrEqual(after, before, "the scrollback was not cut")
        let history = try tmux.command(["capture-pane", "-p", "-S", "-", "-E", "-", "-t", "e2e"])
        let lines = Set(history.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        let missing = (1001...1200).filter { !lines.contains(String($0)) }
        XCTAssertEqual(missing, [], "every line the shell printed before is still in the scrollback")
        for text in vault.plaintexts + [vault.password] where history.contains(text) {
            XCTFail("the scrollback holds \"\(text)\"")
        }
    }

    func testControlZUnderAWrapperScriptGivesTheShellTheTerminalAndFgResumesLocked() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Tax office", "pin 4417-kestrel")])
        let tmux = try vault.tmux(for: self)
        let words = [vault.binary, "--store", vault.store, "--kdf-cost", "15"].map { "'\($0)'" }
        try tmux.runInShell("bash -c \"\(words.joined(separator: " ")); echo back-from-onions\"")
        try vault.logIn(in: tmux)
        try tmux.waitFor("› Tax office")

        try tmux.press("C-z")
        let stopped = try tmux.waitUntil("the shell to report the job stopped and show its prompt") {
            $0.contains("Stopped") && Tmux.lastLine(of: $0) == "e2e$"
        }
        XCTAssertFalse(stopped.contains("pin 4417-kestrel"), "the info is gone:\n\(Tmux.framed(stopped))")
        try tmux.runInShell("fg")
        try tmux.waitUntil("the lock screen after fg") {
            $0.contains("is locked.") && $0.contains("Locked while suspended.")
        }
        try tmux.type(vault.password)
        try tmux.press("Enter")
        try tmux.waitFor("› Tax office")
        try tmux.press("q")
        try tmux.waitUntil("the wrapper to go on after the program") {
            $0.contains("back-from-onions") && Tmux.lastLine(of: $0) == "e2e$"
        }
    }

    func testTheProcessIsNamedOnionsAndHasNoMarkerVariable() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Tax office", "pin 4417-kestrel")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try tmux.waitFor("Unlock your vault")
        let pid = try vault.onionsPID()

        let ps = try Harness.run("/bin/ps", ["-o", "comm=", "-p", "\(pid)"], environment: ProcessInfo.processInfo.environment)
        XCTAssertEqual(ps.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines), "onions")
        let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ") ?? Data()
        let variables = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        XCTAssertFalse(variables.isEmpty, "the environment was read")
        XCTAssertFalse(variables.contains { $0.hasPrefix("ONIONS_NO_REEXEC=") },
                       "no marker variable is passed on: \(variables.filter { $0.hasPrefix("ONIONS") })")
        try tmux.press("Escape")
    }
}
