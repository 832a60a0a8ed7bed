import Glibc
import OnionsCore
import OnionsCrypto

/// `onions agent` and `onions lock`: unlock once, then let commands run without the password
/// until the agent locks.
enum AgentCommand {
    static let details = """
      'agent' asks for the password once, opens the vault and serves the commands list, show,
      grep, add, edit, rm, card (with --card-password-file), task and sync of the same vault
      (same --store, --user and --remote) from a socket in $XDG_RUNTIME_DIR/onions that only
      this user can reach. Between commands it reads again only what another process may have
      changed, with the checks a fresh process makes. It holds the keys in secret memory and
      never writes them anywhere.
      It locks (wipes every key and text) after --lock-after seconds without a command (the
      interface's setting, default 300), on 'onions lock', on SIGHUP and when the machine was
      suspended; a locked agent makes commands ask for the password again. SIGTERM locks and
      ends it; starting another agent for the vault ends the old one. Without --foreground it
      goes to the background once the vault is open. --no-agent before a command skips it.
    """

    static let declaration = CommandDeclaration(
        "agent", summary: "unlock once and serve the commands until it locks", details: details,
        options: [OptionDeclaration("--foreground", help: "stay in the foreground, logging on standard error")],
        action: .plain { arguments, invocation in try run(foreground: arguments.flag("--foreground"), invocation.options) })

    static let lockDeclaration = CommandDeclaration(
        "lock", summary: "lock the running agent", details: details,
        action: .plain { _, invocation in lock(invocation.options) })

    /// `onions agent`.
    static func run(foreground: Bool, _ options: GlobalOptions) throws -> Int32 {
        var options = options
        options.readsOnly = false
        let user = try VaultRun.username(options)
        _ = try options.openStore()  // a store that does not open is said before the password is asked
        guard let path = try AgentSocket.path(storePath: options.resolvedStorePath(), user: user,
                                              remote: options.remote, environment: options.environment,
                                              create: true) else {
            throw CommandFailure("there is no store at \(options.resolvedStorePath()); sign up first")
        }
        if AgentClient.send(.quit, options) { printError("onions: the agent that was running for this vault has ended") }
        let password = try options.readPassword()
        defer { password.wipe() }

        var report: Int32 = -1
        if !foreground {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { throw CommandFailure("cannot start the agent: \(String(cString: strerror(errno)))") }
            let child = fork()
            guard child >= 0 else { throw CommandFailure("cannot start the agent: \(String(cString: strerror(errno)))") }
            if child > 0 {
                close(ends[1])
                password.wipe()
                return waitForStart(ends[0], pid: child)
            }
            close(ends[0])
            _ = setsid()
            report = ends[1]
            // Nothing of the caller's stays open in the agent (a pipe its shell reads, say).
            for fd in Int32(3)..<4096 where fd != report { close(fd) }
        }
        let session: Session
        let server: AgentServer
        do {
            session = try LocalVaultService(options).logIn(username: user, password: password)
            password.wipe()
            server = try AgentServer(path: path, session: session, options: options)
        } catch {
            if report >= 0 { tell(report, "onions: \(error)") ; exit(1) }
            throw error
        }
        SyncCommand.printReport(session.lastSyncReport)
        _ = VaultRun.reportIssues(session)
        session.markStoreRead()
        if report >= 0 {
            tell(report, "")
            close(report)
            let null = open("/dev/null", O_RDWR)
            for fd in Int32(0)...2 { dup2(null, fd) }
            if null > 2 { close(null) }
        } else {
            printError("onions: the agent is running (process \(getpid())); SIGTERM or Ctrl-C ends it")
        }
        server.serve()
        return 0
    }

    /// `onions lock`: locks every agent of the vault, whatever remote or settings each was
    /// started with, and says how many.
    static func lock(_ options: GlobalOptions) -> Int32 {
        switch AgentClient.lockAll(options) {
        case 0: printError("onions: no agent is running for this vault")
        case 1: printError("onions: the agent is locked (1 agent of this vault)")
        case let n: printError("onions: \(n) agents of this vault are locked")
        }
        return 0
    }

    /// The parent's side of a background start: what the agent said, as this process's result.
    private static func waitForStart(_ fd: Int32, pid: pid_t) -> Int32 {
        var said: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = read(fd, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            said.append(byte)
        }
        close(fd)
        guard !said.isEmpty else {
            printError("onions: the agent stopped while opening the vault")
            return 1
        }
        if said == [0] {
            printError("onions: the agent is running (process \(pid)); 'onions lock' locks it")
            return 0
        }
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        printError(String(decoding: said, as: UTF8.self))
        return 1
    }

    /// Writes the start's outcome for the parent: one zero byte when the agent serves, else
    /// the error's sentence.
    private static func tell(_ fd: Int32, _ message: String) {
        var bytes = message.isEmpty ? [0] : Array(message.utf8)
        _ = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
