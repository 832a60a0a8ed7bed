import Foundation
import XCTest

/// The command line reports a state folder it cannot use, instead of going on without rollback
/// detection.
final class StateDirectoryTests: XCTestCase {
    func testWithoutHomeOrStateHomeACommandSaysWhichVariableToSet() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Groceries", "milk")])
        var environment = vault.environment
        environment["XDG_STATE_HOME"] = nil
        environment["HOME"] = nil
        let refused = try Harness.run(vault.binary, ["--store", vault.store, "--user", vault.user,
                                                     "--password-file", vault.passwordFile, "list"],
                                      environment: environment)
        XCTAssertEqual(refused.status, 1, refused.stderrText)
        XCTAssertTrue(refused.stderrText.contains("neither XDG_STATE_HOME nor HOME"), refused.stderrText)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/.local/state/onions"), "fell back to /tmp")
    }

    /// Read-only for root too: the state folder is bind-mounted read-only in a private mount
    /// namespace (`unshare -r -m`). Log in already writes the state, so the command stops there,
    /// before anything reaches the store.
    func testAStateFolderThatBecameReadOnlyRefusesTheCommand() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Groceries", "milk")])
        let state = try XCTUnwrap(vault.environment["XDG_STATE_HOME"]) + "/onions"
        let script = """
            mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" || exit 99
            shift
            "$@" add --title Other; echo "add=$?"
            """
        let words = ["--store", vault.store, "--user", vault.user, "--password-file", vault.passwordFile]
        let run = try Harness.run("/usr/bin/unshare", ["-r", "-m", "/bin/sh", "-c", script, "sh", state,
                                                       vault.binary] + words, environment: vault.environment)
        XCTAssertEqual(run.status, 0, "unshare: \(run.stderrText)")
        XCTAssertEqual(run.stdoutText, "add=1\n", run.stderrText)
        // Refused before the store is written, naming the folder (the log in itself writes no
        // state when nothing changed, so the refusal comes from the check before the save).
        XCTAssertTrue(run.stderrText.contains("record of the vault (which detects a store rolled back) is unusable: "
            + "cannot write"), run.stderrText)
        XCTAssertTrue(run.stderrText.contains(state), run.stderrText)
        let listed = try vault.cli(["list"])
        XCTAssertEqual(listed.status, 0, listed.stderrText)
        XCTAssertEqual(listed.stdoutText, "Groceries\n", "the store was written although the state could not be")
    }
}
