import Glibc
import OnionsApp
import OnionsCore

/// The agent's loop: serves commands on its socket with one open session, one at a time, and
/// locks it (wiping every key and text) when idle, told to, hung up on, or after a suspend.
///
/// A command runs on the descriptors its process passed (standard input, output, error and
/// working folder) with the same code as without the agent, so it prints the same and ends
/// with the same exit code. Connections from another user are refused unread.
final class AgentServer {
    private let path: String
    private let listener: Int32
    private let session: Session
    private let options: GlobalOptions
    private let lockAfter: Double
    private var lastUse = BootClock.now()
    /// CLOCK_BOOTTIME minus CLOCK_MONOTONIC at start: it grows by the time the machine slept.
    private let sleptAtStart = AgentServer.slept()

    init(path: String, session: Session, options: GlobalOptions) throws {
        self.path = path
        self.session = session
        self.options = options
        lockAfter = Double(options.lockAfter ?? ConfigFile.defaultLockAfter)
        let fd = socket(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw CommandFailure("cannot make the agent's socket: \(String(cString: strerror(errno)))") }
        unlink(path)  // a socket left by an agent that was killed
        var address = AgentSocket.address(path)
        let oldMask = umask(0o177)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        umask(oldMask)
        guard bound == 0, chmod(path, 0o600) == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw CommandFailure("cannot listen on the agent's socket: \(reason)")
        }
        listener = fd
        AgentSignals.install()
    }

    /// Serves until SIGTERM, SIGINT or a newer agent: then locks, removes the socket and returns.
    func serve() {
        while AgentSignals.quit == 0 {
            if AgentSignals.hangUp != 0 {
                AgentSignals.hangUp = 0
                lock(because: "SIGHUP")
            }
            if !session.isLocked && BootClock.now() - lastUse >= lockAfter { lock(because: "idle time") }
            if !session.isLocked && Self.slept() - sleptAtStart > 2 { lock(because: "the machine was suspended") }
            var wait = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&wait, 1, 1000) > 0, wait.revents & Int16(POLLIN) != 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            answer(connection)
            close(connection)
        }
        lock(because: "ending")
        unlink(path)
        close(listener)
    }

    private func lock(because reason: String) {
        guard !session.isLocked else { return }
        session.lock()
        log("locked (\(reason))")
    }

    private func answer(_ connection: Int32) {
        guard let uid = AgentSocket.peerUID(connection), uid == getuid() else {
            log("refused a connection from another user")
            return
        }
        var ready = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
        guard poll(&ready, 1, 2000) > 0,
              let received = AgentMessage.receive(connection, maximumDescriptors: 4) else { return }
        let descriptors = received.descriptors
        defer { for d in descriptors { close(d) } }
        var bytes = received.bytes
        let request = AgentMessage.decode(bytes[...])
        AgentMessage.wipe(&bytes)
        guard let (kind, words) = request else { return }
        switch kind {
        case .lock:
            lock(because: "onions lock")
            _ = AgentMessage.send(connection, AgentMessage.encode(.exit(0)))
        case .quit:
            lock(because: "a new agent took over")
            AgentSignals.quit = 1
            _ = AgentMessage.send(connection, AgentMessage.encode(.exit(0)))
        case .keys:
            handOverKeys(connection)
        case .run:
            guard !session.isLocked else {
                _ = AgentMessage.send(connection, AgentMessage.encode(.locked))
                return
            }
            guard descriptors.count == 4, AgentClient.served(words) != nil else { return }
            let code = run(words, on: descriptors)
            lastUse = BootClock.now()
            _ = AgentMessage.send(connection, AgentMessage.encode(.exit(code)))
        }
    }

    /// Sends the session's password keys (never the password or the data key) to a process of
    /// this user, from secret memory; a locked agent answers `.locked`.
    private func handOverKeys(_ connection: Int32) {
        guard !session.isLocked, let keys = try? session.handOverKeys() else {
            _ = AgentMessage.send(connection, AgentMessage.encode(.locked))
            return
        }
        defer { keys.wipe() }
        if AgentKeyAnswer.send(connection, keys) {
            log("handed the vault's keys to process \(AgentSocket.peerPID(connection).map { "\($0)" } ?? "unknown")")
        }
    }

    /// Runs a command with the client's descriptors standing in for this process's own.
    private func run(_ words: [String], on descriptors: [Int32]) -> Int32 {
        let saved = (0...2).map { dup($0) }
        for fd in 0...2 { dup2(descriptors[fd], Int32(fd)) }
        _ = fchdir(descriptors[3])
        StandardOutput.failed = false
        var code = Self.execute(words, session, options)
        if StandardOutput.failed && code == 0 && !StandardOutput.readerGone {
            printError("onions: standard output could not be written; what it shows is incomplete")
            code = 1
        }
        _ = chdir("/")
        for (fd, copy) in saved.enumerated() {
            dup2(copy, Int32(fd))
            close(copy)
        }
        return code
    }

    /// One command on the open session, parsed and checked by the same declarations as without
    /// the agent, with the exit codes `onions` gives it there.
    static func execute(_ words: [String], _ session: Session, _ options: GlobalOptions) -> Int32 {
        OnionsCommand.exitCode {
            let line = try CommandLineParser.parse(words)
            try CommandLineParser.validate(line, options)
            guard let (action, arguments) = AgentClient.served(words) else { return 2 }
            // What changed since the last command is read again; nothing else is. A command
            // that failed, or found a problem a log in would not have (a damaged info it
            // opened), leaves no mark, so the next one reads everything as a fresh process does.
            try session.catchUpBeforeCommand()
            let issuesBefore = session.issues
            let status = try VaultRun.perform(action, arguments, session, VaultContext(options: options, atLogIn: nil))
            VaultRun.finish(session, synced: action.syncsItself)
            if session.issues == issuesBefore { session.markStoreRead() }
            return status
        }
    }

    /// Seconds the machine slept since boot: CLOCK_BOOTTIME minus CLOCK_MONOTONIC.
    private static func slept() -> Double {
        var monotonic = timespec()
        clock_gettime(CLOCK_MONOTONIC, &monotonic)
        return BootClock.now() - (Double(monotonic.tv_sec) + Double(monotonic.tv_nsec) / 1e9)
    }

    /// A line on the agent's standard error (its terminal with --foreground); never a secret.
    private func log(_ line: String) { printError("onions agent: \(line)") }
}

/// What the agent's signal handlers noticed, read by its loop.
enum AgentSignals {
    nonisolated(unsafe) static var hangUp: sig_atomic_t = 0
    nonisolated(unsafe) static var quit: sig_atomic_t = 0

    static func install() {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGHUP) { _ in AgentSignals.hangUp = 1 }
        signal(SIGTERM) { _ in AgentSignals.quit = 1 }
        signal(SIGINT) { _ in AgentSignals.quit = 1 }
    }
}
