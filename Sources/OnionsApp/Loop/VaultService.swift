import OnionsCore
import OnionsCrypto

/// Opens and creates vaults for the app (the executable wires it to a store).
public protocol VaultService: Sendable {
    func logIn(username: String, password: SecretBytes) throws -> Session
    /// `logIn`, telling `progress` how a long copy with the server goes (a first sync on this
    /// machine, a first push), then and at the session's later syncs. Default: `logIn` alone.
    func logIn(username: String, password: SecretBytes, progress: @escaping (SyncProgress) -> Void) throws -> Session
    func signUp(username: String, password: SecretBytes) throws -> Session
    /// Opens the vault of `username` with the keys of the unlock agent that holds it open;
    /// throws a `VaultError` that says why when there is none, it is locked, or its keys do
    /// not open the vault.
    func logInFromAgent(username: String) throws -> Session
    /// Locks the unlock agent of the vault of `username` (nil: the user the program was
    /// started for) if one runs. Returns within a few seconds; an absent agent is no error.
    func lockAgent(username: String?)
}

extension VaultService {
    public func logIn(username: String, password: SecretBytes,
                      progress: @escaping (SyncProgress) -> Void) throws -> Session {
        try logIn(username: username, password: password)
    }

    public func logInFromAgent(username: String) throws -> Session {
        throw VaultError.store(.unavailable("no unlock agent serves this program"))
    }

    public func lockAgent(username: String?) {}

    /// Runs a request (on whatever thread calls it) and wipes its password. A log in tells
    /// `progress` how a long copy with the server goes.
    public func perform(_ request: AuthRequest,
                        progress: ((SyncProgress) -> Void)? = nil) -> Result<Session, VaultError> {
        defer { request.password.wipe() }
        do {
            switch request.purpose {
            case .logIn, .unlock:
                if let progress {
                    return .success(try logIn(username: request.username, password: request.password, progress: progress))
                }
                return .success(try logIn(username: request.username, password: request.password))
            case .signUp:
                return .success(try signUp(username: request.username, password: request.password))
            case .fromAgent:
                return .success(try logInFromAgent(username: request.username))
            }
        } catch let e as VaultError {
            return .failure(e)
        } catch let e as StoreError {
            return .failure(.store(e))
        } catch {
            return .failure(.store(.unavailable("\(error)")))
        }
    }
}
