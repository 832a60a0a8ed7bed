import OnionsCore
import OnionsCrypto
import TerminalUI

/// The log-in form: a username, a password, and the sign-up confirmation.
public struct LoginForm {
    public enum Focus: Equatable { case username, password, repeatPassword }
    public var username = TextField(limit: 64)
    public var password = SecretField()
    /// Set after an unknown username: the password must be typed again to create the vault.
    public var repeatPassword = SecretField()
    public var creating = false
    public var focus: Focus = .username
    /// The new password's strength while creating a vault.
    public var gate = NewPasswordGate()
    public init() {}

    public mutating func wipe() {
        username.wipe()
        password.wipe()
        repeatPassword.wipe()
        gate.wipe()
    }
}

/// The lock screen: who is locked out and where to return.
public struct LockState {
    public var password = SecretField()
    /// The screen to go back to (nothing secret: which screen, which onion).
    public var resume: ResumePoint
    public init(resume: ResumePoint) { self.resume = resume }
}

/// Where the person was when the vault locked.
public enum ResumePoint: Equatable {
    case list(selected: ItemID?)
    /// The editor; its draft was sealed into the store and comes back from there, shown at
    /// `place`.
    case editor(target: ItemID?, place: EditorPlace)
    case cards(selected: ItemID?)
    case tasks(selected: UInt16?)
    /// The Trash view (read again after the unlock).
    case trash
}
