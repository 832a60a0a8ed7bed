import Foundation
import XCTest

/// A new password on the command line: under 8 characters refused, a weak one only with
/// --weak-ok; logging in with an existing password is not judged.
final class NewPasswordRuleTests: XCTestCase {
    private func write(_ vault: TestVault, _ password: String) throws {
        try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: vault.passwordFile))
    }

    func testSignUpRefusesFiveCharactersAndAWeakPasswordWithoutWeakOK() throws {
        let vault = try TestVault(for: self)
        try write(vault, "abcde")
        let short = try vault.cli(["--kdf-cost", "15", "signup"])
        XCTAssertEqual(short.status, 1, short.stderrText)
        XCTAssertTrue(short.stderrText.contains("a new password needs at least 8 characters"), short.stderrText)

        try write(vault, "password123")
        let weak = try vault.cli(["--kdf-cost", "15", "signup"])
        XCTAssertEqual(weak.status, 1, weak.stderrText)
        XCTAssertTrue(weak.stderrText.contains("this password is very weak"), weak.stderrText)
        XCTAssertTrue(weak.stderrText.contains("--weak-ok"), weak.stderrText)
        XCTAssertFalse(weak.stderrText.contains("password123"), "the password is never echoed")

        let forced = try vault.cli(["--kdf-cost", "15", "signup", "--weak-ok"])
        XCTAssertEqual(forced.status, 0, forced.stderrText)
        let listed = try vault.cli(["list"])
        XCTAssertEqual(listed.status, 0, "logging in with the weak password is not judged: \(listed.stderrText)")
    }

    func testPasswdAndCardAddApplyTheSameRules() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [])
        let short = vault.folder.appendingPathComponent("short").path
        try Data("abcde\n".utf8).write(to: URL(fileURLWithPath: short))
        let passwd = try vault.cli(["passwd", "--new-password-file", short])
        XCTAssertEqual(passwd.status, 1, passwd.stderrText)
        XCTAssertTrue(passwd.stderrText.contains("at least 8 characters"), passwd.stderrText)
        let card = try vault.cli(["card", "add", "--to", "Bob", "--card-password-file", short])
        XCTAssertEqual(card.status, 1, card.stderrText)
        XCTAssertTrue(card.stderrText.contains("at least 8 characters"), card.stderrText)
        XCTAssertEqual(try vault.cli(["card", "list"]).stdoutText, "", "nothing was saved")
    }
}
