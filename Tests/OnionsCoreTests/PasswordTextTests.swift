import OnionsCore
import OnionsCrypto
import XCTest

/// Passwords are compared as Unicode NFC: the same password typed precomposed or decomposed
/// derives the same key.
final class PasswordTextTests: XCTestCase {
    private func normalized(_ scalars: String) -> [UInt8] {
        let out = PasswordText.normalized(SecretBytes(copying: Array(scalars.utf8)))
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
}
