import OnionsCore
import OnionsCrypto
import TerminalUI

/// Everything `App.update` reacts to.
public enum AppMessage {
    case key(Key)
    case resize(Size)
    /// Time passed; `now` is on `BootClock`.
    case tick(now: Double)
    /// Ctrl-Z or SIGTSTP: lock, wipe, then stop.
    case suspendRequested
    /// The process was continued after a stop.
    case resumed
    /// SIGHUP (the terminal or ssh connection went away) or SIGTERM: seal, wipe, exit.
    case hangup
    case terminate
    /// A background key derivation finished.
    case authenticated(AuthOutcome)
    /// A sync with the server ran (another machine changed something, or a save waited).
    case synced(SyncReport)
}

/// What `update` asks the loop to do outside it.
public enum AppEffect {
    /// Derive keys and open (or create) a vault in the background; answers `.authenticated`.
    case authenticate(AuthRequest)
    /// Wipe the screen, curses' copies of it and the terminal's scrollback.
    case clearTerminal
    /// Stop the process (job control); the loop restores the terminal and sends `.resumed`.
    case suspend
    /// Leave the program (the terminal is restored by the loop).
    case quit
    /// Write these bytes straight to the terminal (OSC 52), then wipe them.
    case writeTerminal(SecretBytes)
}

/// A log in, sign up or unlock to run in the background. Owns its copy of the password and
/// wipes it when done.
public final class AuthRequest: @unchecked Sendable {
    public enum Purpose: Equatable, Sendable { case logIn, signUp, unlock }
    public let purpose: Purpose
    public let username: String
    public let password: SecretBytes

    public init(purpose: Purpose, username: String, password: SecretBytes) {
        self.purpose = purpose
        self.username = username
        self.password = password
    }
}

/// The result of an `AuthRequest`: an open session, or why not.
public final class AuthOutcome: @unchecked Sendable {
    public let purpose: AuthRequest.Purpose
    public let username: String
    public let result: Result<Session, VaultError>

    public init(purpose: AuthRequest.Purpose, username: String, result: Result<Session, VaultError>) {
        self.purpose = purpose
        self.username = username
        self.result = result
    }
}

/// Opens and creates vaults for the app (the executable wires it to a store).
public protocol VaultService: Sendable {
    func logIn(username: String, password: SecretBytes) throws -> Session
    func signUp(username: String, password: SecretBytes) throws -> Session
}

extension VaultService {
    /// Runs a request (on whatever thread calls it) and wipes its password.
    public func perform(_ request: AuthRequest) -> AuthOutcome {
        defer { request.password.wipe() }
        let result: Result<Session, VaultError>
        do {
            switch request.purpose {
            case .logIn, .unlock:
                result = .success(try logIn(username: request.username, password: request.password))
            case .signUp:
                result = .success(try signUp(username: request.username, password: request.password))
            }
        } catch let e as VaultError {
            result = .failure(e)
        } catch let e as StoreError {
            result = .failure(.store(e))
        } catch {
            result = .failure(.store(.unavailable("\(error)")))
        }
        return AuthOutcome(purpose: request.purpose, username: request.username, result: result)
    }
}
