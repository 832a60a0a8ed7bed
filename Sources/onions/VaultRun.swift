import Glibc
import OnionsCore
import OnionsCrypto

/// How a command on a vault opens it, runs and ends: the one path for this process's commands
/// and for those the agent runs.
enum VaultRun {
    /// Runs a declared vault command: in the vault's agent when one holds it open and runs
    /// this command, else in this process after the password.
    static func run(_ action: VaultAction, _ line: ParsedLine, _ options: GlobalOptions) throws -> Int32 {
        action.beforehand?(line.arguments)
        let status = try runHereOrInAgent(action, line, options)
        if status == 0 { action.afterward?(line.arguments, options) }
        return status
    }

    private static func runHereOrInAgent(_ action: VaultAction, _ line: ParsedLine, _ options: GlobalOptions) throws -> Int32 {
        if !options.noAgent && action.agentRuns(line.arguments),
           let status = AgentClient.run(line.commandWords, options) {
            return status
        }
        // Runs here: before the password, the allocator setting (a second start, told not to
        // ask the agent again).
        ProcessHardening.hardenAllocator(arguments: ["--no-agent"] + OnionsCommand.arguments, afterAgent: true)
        var options = options
        options.readsOnly = action.readsOnly
        return try withSession(options, quietSync: action.syncsItself) { session in
            try perform(action, line.arguments, session, VaultContext(options: options, atLogIn: session.lastSyncReport))
        }
    }

    /// Runs `action` on an open session (this process's, or the agent's) and returns its exit
    /// code: 1 when the vault or the sync at log in noticed anything, even if the command went
    /// well (unless the command's result stands on its own).
    static func perform(_ action: VaultAction, _ arguments: Arguments, _ session: Session,
                        _ context: VaultContext) throws -> Int32 {
        var status = reportIssues(session)
        let result = try action.run(arguments, session, context)
        if result != 0 || action.resultStands { status = result }
        return status
    }

    /// Logs in, runs `body` on the session, finishes and locks it.
    static func withSession(_ options: GlobalOptions, quietSync: Bool = false,
                            _ body: (Session) throws -> Int32) throws -> Int32 {
        let session = try logIn(options, quietSync: quietSync)
        defer { session.lock() }
        let status = try body(session)
        finish(session, synced: quietSync)
        return status
    }

    /// Where every vault command ends with its session, here or in the agent (the caller locks
    /// it, or the agent keeps it open): what a save could not send to the server goes now.
    /// `synced`: the command just ran a sync round of its own.
    static func finish(_ session: Session, synced: Bool = false) {
        if !synced && session.hasRemote && !session.isLocked { SyncCommand.finish(session) }
    }

    // MARK: Log in

    static func username(_ options: GlobalOptions) throws -> String {
        if let user = options.user { return user }
        if let user = ProcessEnvironment.current["ONIONS_USER"] { return user }
        throw UsageError("name the vault's user with --user NAME")
    }

    /// Opens the vault with the password; prints what the sync at log in did unless `quietSync`
    /// (`onions sync` reports it with its own round).
    static func logIn(_ options: GlobalOptions, quietSync: Bool = false) throws -> Session {
        let user = try username(options)
        _ = try options.openStore()  // a store that does not open is said before the password is asked
        let password = try options.readPassword()
        defer { password.wipe() }
        let session: Session
        do {
            session = try LocalVaultService(options).logIn(username: user, password: password)
        } catch VaultError.wrongPassword where options.remote != nil {
            throw CommandFailure("wrong password: the server \(options.remote ?? "") refused the log in")
        }
        if !quietSync { SyncCommand.printReport(session.lastSyncReport) }
        if session.syncRefusedReason != nil, let remote = options.remote {
            printError("onions: the server \(remote) refused the log in; only this machine's copy was used")
        }
        if session.isNewToThisMachine || isatty(2) != 0 { printError("onions: \(stateLine(session))") }
        return session
    }

    /// What the vault says about its last change, for a person to judge whether the store is as
    /// new as it should be (this machine cannot tell on its first log in).
    static func stateLine(_ session: Session) -> String {
        let when = ChangeTime.text(session.lastChanged).map { "last changed \($0) on this vault" }
            ?? "the time of the last change is not recorded"
        let line = "\(when) (save \(session.vaultCounter))"
        guard session.isNewToThisMachine else { return line }
        return "first log in on this machine: \(line); if you expected more recent changes, the store is older "
            + "than it should be"
    }

    /// Prints what the vault noticed about the store; 1 when there was anything, the server's
    /// reports at log in (a rollback, a damaged record) included.
    static func reportIssues(_ session: Session) -> Int32 {
        // What the sync at log in found was printed with its report already.
        let printed = session.lastSyncReport?.issues ?? []
        for issue in session.issues where !printed.contains(issue) { printError("onions: warning: \(issue)") }
        let serverIssues = session.lastSyncReport?.issues ?? []
        let refused = session.lastSyncReport?.refused != nil
        return session.issues.isEmpty && serverIssues.isEmpty && !refused ? 0 : 1
    }
}
