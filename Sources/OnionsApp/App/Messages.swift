import OnionsCore
import OnionsCrypto
import TerminalUI

/// Everything `App.update` reacts to. Time arrives here: `update` reads no clock.
public enum AppMessage {
    /// A key, stamped by the loop with the `BootClock` seconds it arrived at.
    case key(Key, now: Double)
    /// Text pasted in one piece, for the focused field (never keys); `update` wipes it.
    case paste(Paste, now: Double)
    /// A click or the wheel, stamped like a key.
    case mouse(MouseEvent, now: Double)
    /// The terminal has this size now.
    case resize(Size)
    /// Time passed; `now` is on `BootClock`, `wall` on `WallClock` (0: not known).
    case tick(now: Double, wall: Double = 0)
    /// Ctrl-Z or SIGTSTP: lock, wipe, then stop.
    case suspendRequested
    /// The process was continued after a stop.
    case resumed
    /// SIGHUP (the terminal or ssh connection went away) or SIGTERM: seal, wipe, exit.
    case hangup
    case terminate
    /// A log in, sign up or unlock finished (the answer to `.authenticate`).
    case authenticated(AuthOutcome)
    /// Open the vault of `username` with the keys of the unlock agent that holds it open
    /// (sent once at start when the interface was asked to).
    case openFromAgent(username: String)
    /// Fill the log-in form's username (`--user` or `ONIONS_USER`; sent once at start).
    case fillUsername(String)
    /// A new random password (the answer to `.generatePassword`), for the editor's cursor;
    /// `update` wipes it.
    case generatedPassword(SecretBytes)
    /// The program is about to leave (after a quit, a hang-up or a termination): what it put
    /// on the terminal's clipboard is cleared.
    case leaving
    /// How a long copy with the server goes (a first sync, a push that has taken a second):
    /// shown as a notice.
    case syncProgress(String)
    /// A `.vault` effect finished. The snapshot, when there is one, is the vault after it:
    /// `update` takes it over and wipes the one it replaces.
    case vault(VaultResult, VaultSnapshot?)
}

/// What `update` asks the loop to do outside it.
public enum AppEffect {
    /// Derive keys and open (or create) a vault in the background; answers `.authenticated`.
    case authenticate(AuthRequest)
    /// Read or change the open vault in the background; answers `.vault`.
    case vault(VaultRequest)
    /// Wipe the screen and curses' copies of it (the user's scrollback is left alone).
    case clearTerminal
    /// Draw the whole screen again, every cell, as if the terminal showed nothing (Ctrl-R:
    /// after another program wrote over it).
    case repaint
    /// Stop the process (job control) once the vault work asked for before has finished; the
    /// loop restores the terminal and sends `.resumed`.
    case suspend
    /// Leave the program once the vault work asked for before has finished (the terminal is
    /// restored by the loop).
    case quit
    /// Write these bytes straight to the terminal (OSC 52), then wipe them.
    case writeTerminal(SecretBytes)
    /// Inside tmux, delete the paste buffers that hold this copy (the clear of it is written
    /// first); nothing elsewhere.
    case deleteTmuxCopies(CopiedText)
    /// Lock the unlock agent of the vault of `username` (nil: the user the program was started
    /// for), if one runs; never waits for it on the loop's thread.
    case lockAgent(username: String?)
    /// Make a new password from the kernel's random source (`PasswordGenerator`, its default
    /// form); answers `.generatedPassword`.
    case generatePassword
}

/// A log in, sign up or unlock to run in the background. Owns its copy of the password and
/// wipes it when done.
public final class AuthRequest: @unchecked Sendable {
    /// `fromAgent` carries no password: the keys come from the unlock agent.
    public enum Purpose: Equatable, Sendable { case logIn, signUp, unlock, fromAgent }
    public let purpose: Purpose
    public let username: String
    public let password: SecretBytes
    /// A draft held sealed in memory since a lock (`AppState.heldDraft`): it goes back into the
    /// session when the vault opened is the one it belongs to.
    public let heldDraft: HeldDraft?

    public init(purpose: Purpose, username: String, password: SecretBytes, heldDraft: HeldDraft? = nil) {
        self.purpose = purpose
        self.username = username
        self.password = password
        self.heldDraft = heldDraft
    }
}

/// The result of an `AuthRequest`: what the opened vault shows, or why it did not open.
/// The session itself stays with the effect runner.
public final class AuthOutcome: @unchecked Sendable {
    public let purpose: AuthRequest.Purpose
    public let username: String
    public let result: Result<VaultSnapshot, VaultError>
    /// The request's held draft went back into the session opened (it is its draft now).
    public let heldDraftRestored: Bool

    public init(purpose: AuthRequest.Purpose, username: String, result: Result<VaultSnapshot, VaultError>,
                heldDraftRestored: Bool = false) {
        self.purpose = purpose
        self.username = username
        self.result = result
        self.heldDraftRestored = heldDraftRestored
    }
}
