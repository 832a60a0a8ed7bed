@testable import OnionsCore
import OnionsCrypto
import XCTest

/// The rules for a new password: under 8 characters refused, weak needs a confirmation.
final class NewPasswordTests: XCTestCase {
    private func check(_ password: String) -> NewPassword.Verdict {
        NewPassword.check(SecretBytes(copying: Array(password.utf8)))
    }

    func testUnderEightCharactersIsRefusedCountingCharactersNotBytes() {
        XCTAssertEqual(check("abcde"), .tooShort)
        XCTAssertEqual(check("1234567"), .tooShort)
        XCTAssertEqual(check("ééééééé"), .tooShort, "7 characters in 14 bytes")
        XCTAssertNotEqual(check("éééééééé"), .tooShort, "8 characters")
    }

    func testACommonPasswordIsWeakAndARandomOneIsFine() {
        guard case .weak(let strength) = check("password123") else { return XCTFail("\(check("password123"))") }
        XCTAssertTrue(strength.isWeak)
        guard case .fine = check("vY7#qLz!9mWx@4Rt") else { return XCTFail("\(check("vY7#qLz!9mWx@4Rt"))") }
    }

    func testTheSentencesSayWhatToDo() {
        XCTAssertEqual(NewPassword.tooShortSentence, "A new password needs at least 8 characters.")
        XCTAssertEqual(NewPassword.weakSentence(PasswordStrength(score: 1, guessesLog10: 4)),
                       "This password is weak: about 10^4 guesses would find it.")
    }
}
