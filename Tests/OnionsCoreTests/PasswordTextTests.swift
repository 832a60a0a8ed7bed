import OnionsCore
import OnionsCrypto
import XCTest

/// Passwords are compared as Unicode NFC: the same password typed precomposed or decomposed
/// derives the same key. Bytes that are not UTF-8 are refused, never replaced.
final class PasswordTextTests: XCTestCase {
    private func normalized(_ scalars: String) -> [UInt8] {
        let out = try! PasswordText.normalized(SecretBytes(copying: Array(scalars.utf8)))
        defer { out.wipe() }
        return out.withUnsafeBytes { Array($0) }
    }

    func testADecomposedAccentComposes() {
        XCTAssertEqual(normalized("cafe\u{301}"), Array("caf\u{E9}".utf8))
    }

    func testAPrecomposedPasswordStaysAsItIs() {
        XCTAssertEqual(normalized("caf\u{E9} \u{D55C}"), Array("caf\u{E9} \u{D55C}".utf8))
    }

    func testHangulJamoComposeIntoASyllable() {
        XCTAssertEqual(normalized("\u{1112}\u{1161}\u{11AB}"), Array("\u{D55C}".utf8))
    }

    func testMarksAreReorderedAndComposedCanonically() {
        // D + dot above + dot below: the dot below composes, the dot above follows.
        XCTAssertEqual(normalized("D\u{307}\u{323}"), Array("\u{1E0C}\u{307}".utf8))
    }

    func testACompositionExclusionGrowsTheBytes() {
        // U+0958 is excluded from composition: NFC is its decomposition, 6 bytes for 3.
        XCTAssertEqual(normalized("\u{958}"), Array("\u{915}\u{93C}".utf8))
    }

    func testASCIIPassesThrough() {
        XCTAssertEqual(normalized("correct horse 42"), Array("correct horse 42".utf8))
    }

    private func refusal(_ bytes: [UInt8]) -> VaultError? {
        let raw = SecretBytes(copying: bytes)
        defer { raw.wipe() }
        do {
            _ = try PasswordText.normalized(raw)
            return nil
        } catch {
            return error as? VaultError
        }
    }

    func testBytesThatAreNotUTF8AreRefusedNotReplaced() {
        let secret = Array("secret".utf8)
        XCTAssertEqual(refusal(secret + [0xE9, 0xE8]), .passwordNotUTF8)
        XCTAssertEqual(refusal(secret + [0xFF, 0xFE]), .passwordNotUTF8)
        XCTAssertEqual(refusal(secret + [0xC3]), .passwordNotUTF8, "a sequence cut short")
        XCTAssertEqual(refusal(secret + [0xC0, 0xAF]), .passwordNotUTF8, "an overlong form")
        XCTAssertEqual(refusal(secret + [0xED, 0xA0, 0x80]), .passwordNotUTF8, "a surrogate")
        XCTAssertNil(refusal(secret + [0xC3, 0xA9]), "valid UTF-8 is accepted")
    }

    func testAnEmptyPasswordIsRefused() {
        XCTAssertEqual(refusal([]), .emptyPassword)
    }
}
