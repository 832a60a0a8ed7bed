import OnionsCore
import OnionsCrypto

/// Opens and creates vaults for the app (the executable wires it to a store).
public protocol VaultService: Sendable {
    func logIn(username: String, password: SecretBytes) throws -> Session
    func signUp(username: String, password: SecretBytes) throws -> Session
}

extension VaultService {
    /// Runs a request (on whatever thread calls it) and wipes its password.
    public func perform(_ request: AuthRequest) -> Result<Session, VaultError> {
        defer { request.password.wipe() }
        do {
            switch request.purpose {
            case .logIn, .unlock:
                return .success(try logIn(username: request.username, password: request.password))
            case .signUp:
                return .success(try signUp(username: request.username, password: request.password))
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
