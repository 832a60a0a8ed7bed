import OnionsCore
import OnionsCrypto
import TerminalUI

/// What a form that sets a new password (sign up, a card's) knows about it: zxcvbn's estimate
/// as it is typed, and whether the person already saw that it is weak.
///
/// `passes` refuses a password under 8 characters and lets a weak one through on the second
/// try only (the first shows why and how to go on); typing resets that.
public struct NewPasswordGate: Equatable {
    /// The estimate of the password as typed; nil while it is empty.
    public private(set) var strength: PasswordStrength?
    /// True after the person was told the password is weak: the next submit uses it.
    public private(set) var weakAcknowledged = false
    /// True when the last `passes` refused the password as too short (the form starts it over).
    public private(set) var refusedShort = false

    public init() {}

    /// Estimates `field` again after it changed.
    public mutating func changed(_ field: SecretField) {
        strength = field.isEmpty ? nil : PasswordStrength.estimate(field.bytes)
        weakAcknowledged = false
    }

    /// True when `field` may be used; otherwise says why in a notice.
    public mutating func passes(_ field: SecretField, _ state: inout AppState) -> Bool {
        refusedShort = false
        switch NewPassword.check(field.bytes) {
        case .tooShort:
            refusedShort = true
            state.notice = Notice(NewPassword.tooShortSentence + " Type a longer one.", isError: true)
            return false
        case .fine:
            return true
        case .weak(let strength):
            if weakAcknowledged { return true }
            weakAcknowledged = true
            state.notice = Notice(NewPassword.weakSentence(strength)
                                  + " Press Enter again to use it anyway, or type a stronger one.", isError: true)
            return false
        }
    }

    /// The strength line ("strength: weak (about 10^4 guesses)"), without the guesses where it
    /// would not fit in `width` cells; empty with no password.
    public func line(width: Int) -> String {
        guard let strength else { return "" }
        return strength.text.count <= width ? strength.text : "strength: \(strength.word)"
    }

    /// The style of the line: an error's while the password is weak.
    func style(_ theme: Theme) -> Style {
        strength?.isWeak == true ? theme.error : theme.dim
    }

    public mutating func wipe() {
        strength = nil
        weakAcknowledged = false
        refusedShort = false
    }
}
