import Foundation
import XCTest

/// A command whose standard output cannot be written ends with exit 1, never a silent success.
final class OutputFailureTests: XCTestCase {
    func testAListWrittenToAFullDeviceExitsOneAndSaysWhy() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Groceries", "milk")])
        let command = [vault.binary, "--store", vault.store, "--user", vault.user, "--password-file", vault.passwordFile,
                       "list"].map { "'" + $0 + "'" }.joined(separator: " ")
        let full = try Harness.run("/bin/sh", ["-c", command + " > /dev/full"], environment: vault.environment)
        XCTAssertEqual(full.status, 1, full.stderrText)
        XCTAssertTrue(full.stderrText.contains("standard output could not be written"), full.stderrText)
        let fine = try vault.cli(["list"])
        XCTAssertEqual(fine.status, 0, fine.stderrText)
        XCTAssertEqual(fine.stdoutText, "Groceries\n")
    }
}
