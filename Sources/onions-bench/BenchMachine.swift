import Glibc
import OnionsCore
import OnionsStore

/// One machine of a sync scenario: its own SQLite file and state folder in `folder`, logging
/// in as the bench vault's user.
struct BenchMachine {
    let folder: String

    /// An empty machine: `folder` is created and must not exist yet.
    static func empty(_ folder: String) throws -> BenchMachine {
        guard mkdir(folder, 0o700) == 0 else { throw BenchFailure("cannot create \(folder)") }
        return BenchMachine(folder: folder)
    }

    /// A machine holding a copy of `vault` (the shared fixture stays unchanged).
    static func copy(of vault: VaultFixture, _ folder: String) throws -> BenchMachine {
        try copyTree(from: vault.folder, to: folder)
        return BenchMachine(folder: folder)
    }

    /// Logs in synced with `server`; throws unless the sync reached the server cleanly and
    /// the vault lists `onions` onions.
    func logIn(_ server: BenchServer, expecting onions: Int) throws -> Session {
        try logIn(server.remote(), expecting: onions)
    }

    /// Logs in synced through `remote`; throws unless the sync reached the server cleanly and
    /// the vault lists `onions` onions (any number when nil).
    func logIn(_ remote: SyncRemote, expecting onions: Int?) throws -> Session {
        let store = try SQLiteStore(path: folder + "/onions.db")
        let password = VaultFixture.password()
        defer { password.wipe() }
        let session = try Session.logIn(store: store, remote: remote, username: VaultFixture.username,
                                        password: password, stateDirectory: folder + "/state")
        let report = session.lastSyncReport
        let problem = report == nil ? "no sync ran" : report?.offline ?? report?.refused
            ?? (session.issues.isEmpty ? nil : session.issues.map(\.description).joined(separator: "; "))
            ?? (onions == nil || session.onions.count == onions ? nil
                : "\(session.onions.count) onions listed, expected \(onions ?? 0)")
        if let problem {
            session.lock()
            throw BenchFailure("log in with the server in \(folder): \(problem)")
        }
        return session
    }
}
