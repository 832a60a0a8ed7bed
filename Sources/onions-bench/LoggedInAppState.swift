import OnionsApp
import OnionsCore
import TerminalUI

extension AppState {
    /// An 80x24 interface logged in to `vault`, showing the onion list (as after the log-in
    /// screen's key derivation answered).
    static func loggedIn(to vault: VaultFixture) throws -> AppState {
        let session = try vault.logIn()
        var state = AppState(size: Size(width: 80, height: 24))
        let outcome = AuthOutcome(purpose: .logIn, username: VaultFixture.username, result: .success(session))
        _ = App.update(&state, .authenticated(outcome))
        guard case .list = state.screen, state.session != nil else {
            session.lock()
            throw BenchFailure("the interface did not open the vault in \(vault.folder)")
        }
        return state
    }

    /// Wipes what the interface shows and locks its session (as quitting does), without
    /// sealing the editor's text as a draft: the vault stays as it was.
    static func close(_ state: inout AppState) {
        if case .editor(var editor) = state.screen {
            editor.wipe()
            editor.dirty = false
            state.screen = .editor(editor)
        }
        _ = App.update(&state, .terminate)
    }
}
