import Foundation
import XCTest

/// A password whose bytes are not UTF-8 is refused with a sentence, on every way it comes in.
final class PasswordEncodingTests: XCTestCase {
    func testSignUpWithAPasswordFileThatIsNotUTF8ExitsOneAndSaysWhy() throws {
        let vault = try TestVault(for: self)
        for tail: [UInt8] in [[0xE9, 0xE8], [0xFF, 0xFE]] {
            try Data(Array("secret".utf8) + tail + [0x0A]).write(to: URL(fileURLWithPath: vault.passwordFile))
            let refused = try vault.cli(["--kdf-cost", "15", "signup"])
            XCTAssertEqual(refused.status, 1, refused.stderrText)
            XCTAssertTrue(refused.stderrText.contains("the password is not valid UTF-8 text"), refused.stderrText)
        }
        try Data("secret-enough-9\n".utf8).write(to: URL(fileURLWithPath: vault.passwordFile))
        let created = try vault.cli(["--kdf-cost", "15", "signup"])
        XCTAssertEqual(created.status, 0, "no vault may exist after the refusals: \(created.stderrText)")
    }

    func testLogInWithAPasswordOnStandardInputThatIsNotUTF8ExitsOneAndSaysWhy() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [])
        let refused = try Harness.run(vault.binary, ["--store", vault.store, "--user", vault.user,
                                                     "--password-stdin", "list"],
                                      stdin: Array("secret".utf8) + [0xFF, 0xFE, 0x0A],
                                      environment: vault.environment)
        XCTAssertEqual(refused.status, 1, refused.stderrText)
        XCTAssertTrue(refused.stderrText.contains("the password is not valid UTF-8 text"), refused.stderrText)
    }
}
