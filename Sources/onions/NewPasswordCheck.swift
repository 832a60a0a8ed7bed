import Glibc
import OnionsCore
import OnionsCrypto

/// `NewPassword`'s rules on the command line, for `signup`, `passwd` and `card add`.
enum NewPasswordCheck {
    /// Refuses a password that is not UTF-8 or has fewer than 8 characters. A weak one passes with `--weak-ok`, or when the
    /// password was typed on the terminal (`askOnTerminal`) and the person answers "yes" there;
    /// otherwise it is refused with the estimate and the way out.
    static func accept(_ password: SecretBytes, weakOK: Bool, askOnTerminal: Bool) throws {
        try PasswordText.check(password)  // bytes that are not UTF-8 are said as such, not as too short
        switch NewPassword.check(password) {
        case .tooShort:
            throw CommandFailure("a new password needs at least \(NewPassword.minimumCharacters) characters; nothing changed")
        case .fine:
            return
        case .weak(let strength):
            if weakOK { return }
            let why = "this password is \(strength.word): about 10^\(strength.guessesLog10) guesses would find it"
            if askOnTerminal, try confirmOnTerminal("onions: \(why). Use it anyway? Type yes: ") { return }
            throw CommandFailure("\(why); choose a stronger one, or pass --weak-ok to use it anyway; nothing changed")
        }
    }

    /// Asks on the controlling terminal; true when the answer is "yes".
    private static func confirmOnTerminal(_ question: String) throws -> Bool {
        let answer = try readPasswordFromTerminal(prompt: question, echo: true)
        defer { answer.wipe() }
        return answer.withUnsafeBytes { $0.elementsEqual("yes".utf8) }
    }
}
