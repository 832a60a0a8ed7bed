import OnionsApp
import OnionsCore
import OnionsCrypto
import TerminalUI

/// The interface's real loop on an in-memory 80x24 terminal, logged in to a bench vault through
/// the log-in screen, for scenarios that time keys.
final class LoggedInApp {
    let terminal = HeadlessTerminal(width: 80, height: 24)
    let loop: AppLoop

    /// Logs in to `vault` by typing its username and password; ends on the onion list.
    init(vault: VaultFixture) throws {
        loop = AppLoop(terminal: terminal, vaults: FixtureVaults(vault: vault), lockAfter: 3_600)
        terminal.type(VaultFixture.username)
        terminal.push(.enter)
        terminal.type(VaultFixture.passwordText)
        terminal.push(.enter)
        loop.runUntilIdle()
        guard case .list = state.screen, state.vault != nil else {
            throw BenchFailure("the interface did not open the vault in \(vault.folder)")
        }
    }

    var state: AppState { loop.currentState }

    /// Sends keys and lets the loop handle them, run the effects they ask for, take the answers
    /// and draw.
    func press(_ keys: Key...) {
        for key in keys { terminal.push(key) }
        loop.runUntilIdle()
    }

    /// Leaves as SIGTERM does (any draft would be sealed: leave the editor first).
    func close() {
        terminal.push(.terminate)
        loop.runUntilIdle()
    }
}

/// Logs in to a bench vault (the password typed is the fixture's own).
struct FixtureVaults: VaultService, @unchecked Sendable {
    let vault: VaultFixture

    func logIn(username: String, password: SecretBytes) throws -> Session { try vault.logIn() }

    func signUp(username: String, password: SecretBytes) throws -> Session {
        throw BenchFailure("the bench vault exists already")
    }
}
