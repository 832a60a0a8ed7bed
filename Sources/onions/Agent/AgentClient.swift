import Glibc
import OnionsCrypto

/// A command's side of the agent: hands the command to the agent of its vault when one is
/// running and unlocked.
enum AgentClient {
    /// The vault command `words` (a command's words, without global options) declare, when the
    /// agent runs it with these arguments: one on an open vault that asks nothing on the
    /// terminal. Signing up, changing the password and deleting the account always ask.
    static func served(_ words: [String]) -> (action: VaultAction, arguments: Arguments)? {
        guard let line = try? CommandLineParser.parse(words), !line.help, !line.version,
              line.commandWords == words, case .vault(let action)? = line.command?.action,
              action.agentRuns(line.arguments) else { return nil }
        return (action, line.arguments)
    }

    /// True when `line` is a command the agent may run (then this process asks the agent
    /// before it restarts itself for the allocator setting; see ProcessHardening).
    static func mayRun(_ line: ParsedLine) -> Bool {
        guard !line.global.noAgent, case .vault(let action)? = line.command?.action else { return false }
        return action.agentRuns(line.arguments)
    }

    /// Runs `words` in the agent of the vault `options` names and returns its exit code; nil
    /// when there is no agent for it, it is locked, or the command is not one it runs (the
    /// caller then runs it the usual way, asking for the password).
    static func run(_ words: [String], _ options: GlobalOptions) -> Int32? {
        guard served(words) != nil, let connection = connect(options) else { return nil }
        defer { close(connection) }
        guard let request = AgentMessage.encode(.run, words: words) else { return nil }
        let folder = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { return nil }
        defer { close(folder) }
        guard AgentMessage.send(connection, request, descriptors: [0, 1, 2, folder]) else { return nil }
        switch answer(connection) {
        case .exit(let code)?:
            return code
        case .locked?:
            // Said only when the password is then asked on the terminal: with a password file
            // or standard input the command just goes on with it.
            if options.passwordFile == nil && !options.passwordStdin {
                printError("onions: the agent is locked; asking for the password")
            }
            return nil
        case nil:
            printError("onions: the agent stopped before the command ended; it may or may not have run")
            return 1
        }
    }

    /// Asks the agent of the vault to lock (or to quit): true when one was running and did.
    /// `user` names the vault's user when `options` do not (the interface's log in); an
    /// agent that does not answer within `timeout` seconds counts as absent.
    static func send(_ kind: AgentMessage.Request, _ options: GlobalOptions, user: String? = nil,
                     timeout: Int? = nil) -> Bool {
        guard let connection = connect(options, user: user, timeout: timeout),
              let request = AgentMessage.encode(kind, words: []) else { return false }
        defer { close(connection) }
        guard AgentMessage.send(connection, request) else { return false }
        return answer(connection) != nil
    }

    /// The password keys of the vault of `user`, from its agent (the caller wipes them);
    /// throws a sentence when there is no agent, it is locked, or it does not answer in time.
    static func keys(user: String, _ options: GlobalOptions) throws -> SecretBytes {
        guard let connection = connect(options, user: user, timeout: 5) else {
            throw CommandFailure("no agent runs for this vault")
        }
        defer { close(connection) }
        guard let request = AgentMessage.encode(.keys, words: []), AgentMessage.send(connection, request) else {
            throw CommandFailure("the agent did not take the request")
        }
        switch AgentKeyAnswer.receive(connection) {
        case .keys(let keys)?: return keys
        case .locked?: throw CommandFailure("the agent is locked")
        case nil: throw CommandFailure("the agent did not answer")
        }
    }

    /// A connection to the agent of the vault `options` (or `user`) name, nil when none
    /// listens or it is not this user's. With `timeout`, sends and answers wait at most that
    /// many seconds.
    static func connect(_ options: GlobalOptions, user: String? = nil, timeout: Int? = nil) -> Int32? {
        guard let user = user ?? (try? VaultRun.username(options)),
              let path = try? AgentSocket.path(storePath: options.resolvedStorePath(), user: user,
                                               remote: options.remote, environment: options.environment)
        else { return nil }
        return connect(path: path, timeout: timeout)
    }

    /// Asks every agent of the vault (whatever remote each was started with) to lock; how
    /// many did.
    static func lockAll(_ options: GlobalOptions, user: String? = nil, timeout: Int = 5) -> Int {
        guard let user = user ?? (try? VaultRun.username(options)) else { return 0 }
        var locked = 0
        for path in AgentSocket.paths(storePath: options.resolvedStorePath(), user: user, environment: options.environment) {
            guard let connection = connect(path: path, timeout: timeout),
                  let request = AgentMessage.encode(.lock, words: []) else { continue }
            defer { close(connection) }
            if AgentMessage.send(connection, request), answer(connection) != nil { locked += 1 }
        }
        return locked
    }

    /// A connection to the agent socket at `path`, nil when none listens or it is not this user's.
    static func connect(path: String, timeout: Int? = nil) -> Int32? {
        let fd = socket(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = AgentSocket.address(path)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        // Only an agent of this user is asked (the folder is private too).
        guard connected == 0, AgentSocket.peerUID(fd) == getuid() else {
            close(fd)
            return nil
        }
        if let timeout {
            var limit = timeval(tv_sec: timeout, tv_usec: 0)
            let size = socklen_t(MemoryLayout<timeval>.size)
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, size)
            _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, size)
        }
        return fd
    }

    private static func answer(_ connection: Int32) -> AgentMessage.Answer? {
        guard let (bytes, descriptors) = AgentMessage.receive(connection, maximumDescriptors: 0) else { return nil }
        for d in descriptors { close(d) }
        return AgentMessage.decode(answer: bytes)
    }
}
