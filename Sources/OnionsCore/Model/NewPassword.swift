import OnionsCrypto

/// The rules a new password (a vault's at sign up or change, a card's) must meet before it is
/// used: at least 8 characters, and a confirmation when zxcvbn calls it weak. Logging in with
/// an existing shorter password is not affected.
public enum NewPassword {
    /// Characters (Unicode scalars) a new password needs at least.
    public static let minimumCharacters = 8

    /// What a new password comes to.
    public enum Verdict: Equatable, Sendable {
        /// Fewer than `minimumCharacters`: refused.
        case tooShort
        /// Long enough but weak: used only after an explicit confirmation.
        case weak(PasswordStrength)
        /// Long enough and not weak.
        case fine(PasswordStrength)
    }

    /// Judges `password` (UTF-8 bytes in secret memory; no String is made).
    public static func check(_ password: SecretBytes) -> Verdict {
        guard characters(password) >= minimumCharacters else { return .tooShort }
        let strength = PasswordStrength.estimate(password)
        return strength.isWeak ? .weak(strength) : .fine(strength)
    }

    /// The number of Unicode scalars in UTF-8 bytes (continuation bytes are not counted).
    static func characters(_ password: SecretBytes) -> Int {
        password.withUnsafeBytes { bytes in bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }
    }

    /// Why a short password is refused.
    public static let tooShortSentence = "A new password needs at least 8 characters."

    /// Why a weak password needs a confirmation, given its estimate.
    public static func weakSentence(_ strength: PasswordStrength) -> String {
        "This password is \(strength.word): about 10^\(strength.guessesLog10) guesses would find it."
    }
}
