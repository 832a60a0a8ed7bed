import Glibc

/// Starts other programs for the command-line scenarios: in a new session (so none has a
/// terminal to ask a password on), with their own environment and standard streams.
enum Spawn {
    /// glibc's POSIX_SPAWN_SETSID (left out of Swift's Glibc module).
    private static let setSID: Int16 = 0x80

    /// Starts `argv` and returns its pid. `stdin`, `stdout`, `stderr`: files to use (nil:
    /// /dev/null); `environment`: "NAME=value" entries.
    static func start(_ argv: [String], environment: [String], stdin: String? = nil, stdout: String? = nil,
                      stderr: String? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, setSID)
        let cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let cEnvironment: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { for p in cArguments + cEnvironment { free(p) } }
        var pid: pid_t = 0
        let started = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
        guard started == 0 else { throw BenchFailure("cannot start \(argv[0]) (error \(started))") }
        return pid
    }

    /// Waits for `pid` and returns its exit status (128 + the signal when one ended it).
    static func wait(_ pid: pid_t) throws -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw BenchFailure("lost the child process \(pid)") }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Runs `argv` to its end; throws unless it exits with one of `expected`.
    static func run(_ argv: [String], environment: [String], stdin: String? = nil, stdout: String? = nil,
                    stderr: String? = nil, expected: Set<Int32> = [0]) throws {
        let status = try wait(start(argv, environment: environment, stdin: stdin, stdout: stdout, stderr: stderr))
        guard expected.contains(status) else {
            throw BenchFailure("\(argv.prefix(3).joined(separator: " ")) ... exited with \(status)")
        }
    }

    /// Runs `argv` to its end (exit 0) and returns what it wrote on standard output, through
    /// the file `scratch` (removed afterwards).
    static func output(_ argv: [String], environment: [String], scratch: String) throws -> String {
        try run(argv, environment: environment, stdout: scratch)
        defer { unlink(scratch) }
        let fd = open(scratch, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw BenchFailure("cannot read \(scratch)") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The environment entries for `PATH`, `HOME` and `LANG`, and the given ones.
    static func environment(_ entries: [String: String]) -> [String] {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        return ["PATH=" + path, "LANG=C.UTF-8"] + entries.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }
}
