import Glibc
import OnionsApp
import OnionsCore
import OnionsCrypto
import OnionsStore
import TerminalCurses

/// `onions` with no command: the full-screen interface on the embedded store.
enum InteractiveCommand {
    static func run(_ options: GlobalOptions) throws -> Int32 {
        guard isatty(0) != 0, isatty(1) != 0 else {
            // As the man page says: the interface cannot run here, a usage mistake (exit 2).
            throw UsageError("the full-screen interface needs a terminal on standard input and output; "
                + "see 'onions --help' for commands")
        }
        let service = LocalVaultService(options)
        _ = try SQLiteStore(path: service.storePath)  // a store that does not open is said before curses starts
        let agentUser = options.fromAgent ? try VaultRun.username(options) : nil
        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal(mouse: options.mouse ?? true)
        } catch let error as CursesError where error.isUnsupportedTerminal {
            throw UsageError("\(error)")
        }
        defer { terminal.shutdown() }
        let clipboard = ClipboardState(seconds: Double(options.clipboardSeconds ?? ConfigFile.defaultClipboardSeconds),
                                       available: true)
        let loop = AppLoop(terminal: terminal, vaults: service,
                           lockAfter: Double(options.lockAfter ?? ConfigFile.defaultLockAfter), clipboard: clipboard)
        if let user = agentUser {
            loop.openFromAgent(username: user)
        } else if let user = options.user ?? ProcessEnvironment.current["ONIONS_USER"] {
            loop.fillUsername(user)
        }
        loop.run()
        return 0
    }
}

/// Opens vaults in the SQLite store, synced with a server when there is one: for the interface
/// and for the scripting commands alike.
struct LocalVaultService: VaultService {
    let storePath: String
    let access: SQLiteStore.Access
    /// The state folder, or why there is none (reported when a vault is opened).
    let stateDirectory: Result<String, Error>
    let kdf: ScryptParameters
    let remoteURL: String?
    /// The options it was made from (for finding the vault's agent).
    let options: GlobalOptions

    init(_ options: GlobalOptions) {
        self.options = options
        storePath = options.resolvedStorePath()
        access = options.storeAccess
        stateDirectory = Result { try options.stateDirectory }
        kdf = options.kdf
        remoteURL = options.remote
    }

    func logIn(username: String, password: SecretBytes) throws -> Session {
        try logIn(username: username, password: password, progress: nil)
    }

    func logIn(username: String, password: SecretBytes, progress: @escaping (SyncProgress) -> Void) throws -> Session {
        try logIn(username: username, password: password, progress: Optional(progress))
    }

    /// A long copy with the server tells `progress`, else standard error when it is a terminal.
    private func logIn(username: String, password: SecretBytes, progress: ((SyncProgress) -> Void)?) throws -> Session {
        let store = try SQLiteStore(path: storePath, access: access)
        if let remoteURL {
            return try Session.logIn(store: store, remote: SyncCommand.remote(url: remoteURL, progress: progress),
                                     username: username,
                                     password: password, stateDirectory: stateDirectory.get())
        }
        return try Session.logIn(store: store, username: username, password: password,
                                 stateDirectory: stateDirectory.get())
    }

    func logInFromAgent(username: String) throws -> Session {
        let keys: SecretBytes
        do {
            keys = try AgentClient.keys(user: username, options)
        } catch {
            throw VaultError.store(.unavailable("\(error)"))
        }
        defer { keys.wipe() }
        let store = try SQLiteStore(path: storePath, access: access)
        if let remoteURL {
            return try Session.logIn(store: store, remote: SyncCommand.remote(url: remoteURL), username: username,
                                     handedOverKeys: keys, stateDirectory: stateDirectory.get())
        }
        return try Session.logIn(store: store, username: username, handedOverKeys: keys,
                                 stateDirectory: stateDirectory.get())
    }

    func lockAgent(username: String?) {
        _ = AgentClient.lockAll(options, user: username, timeout: 2)
    }

    func signUp(username: String, password: SecretBytes) throws -> Session {
        let store = try SQLiteStore(path: storePath, access: access)
        if let remoteURL {
            return try Session.signUp(store: store, remote: SyncCommand.remote(url: remoteURL), username: username,
                                      password: password, kdf: kdf, stateDirectory: stateDirectory.get())
        }
        return try Session.signUp(store: store, username: username, password: password, kdf: kdf,
                                  stateDirectory: stateDirectory.get())
    }
}
