@testable import OnionsCrypto
import XCTest

/// zxcvbn's estimate through the wrapper: common passwords are weak, long random ones strong,
/// and the words and magnitudes are the fixed set the forms show.
final class PasswordStrengthTests: XCTestCase {
    private func estimate(_ password: String) -> PasswordStrength {
        PasswordStrength.estimate(SecretBytes(copying: Array(password.utf8)))
    }

    func testCommonPasswordsAreWeakAndARandomLongOneIsVeryStrong() {
        for common in ["password123", "12345678", "qwertyuiop", "iloveyou1"] {
            XCTAssertTrue(estimate(common).isWeak, "\(common): \(estimate(common))")
        }
        let strong = estimate("vY7#qLz!9mWx@4Rt")
        XCTAssertEqual(strong.score, 4, "\(strong)")
        XCTAssertGreaterThan(strong.guessesLog10, 10)
    }

    func testALongerPasswordIsNeverEstimatedWeakerThanItsPrefixOfTheSameKind() {
        XCTAssertGreaterThan(estimate("correct horse battery staple").guessesLog10, estimate("correct horse").guessesLog10)
    }

    func testScoresFollowZxcvbnsBandsOfGuesses() {
        // 10^2.9, 10^3, 10^6, 10^8, 10^10 guesses as bits (log2).
        let bits = { (log10: Double) in log10 / 0.301_029_995_663_981_2 }
        XCTAssertEqual(PasswordStrength(bits: bits(2.9)).score, 0)
        XCTAssertEqual(PasswordStrength(bits: bits(3.01)).score, 1)
        XCTAssertEqual(PasswordStrength(bits: bits(6.01)).score, 2)
        XCTAssertEqual(PasswordStrength(bits: bits(8.01)).score, 3)
        XCTAssertEqual(PasswordStrength(bits: bits(10.01)).score, 4)
        XCTAssertEqual(PasswordStrength(bits: bits(4.2)).guessesLog10, 4)
    }

    func testTheLineReadsAsAFixedSetOfWords() {
        XCTAssertEqual(PasswordStrength(score: 1, guessesLog10: 4).text, "strength: weak (about 10^4 guesses)")
        XCTAssertEqual((0...4).map { PasswordStrength(score: $0, guessesLog10: 0).word },
                       ["very weak", "weak", "fair", "strong", "very strong"])
    }

    func testAnEmptyPasswordIsVeryWeakWithoutCallingTheLibrary() {
        XCTAssertEqual(estimate(""), PasswordStrength(score: 0, guessesLog10: 0))
    }
}
