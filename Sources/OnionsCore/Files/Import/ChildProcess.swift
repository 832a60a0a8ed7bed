import Glibc
import OnionsCrypto

/// Runs a helper program (gpg) whose standard output is plaintext: it comes back through a
/// pipe straight into secret memory, never through a file or an ordinary buffer.
enum ChildProcess {
    /// The most a child may write (16 MiB); more is taken for damage.
    static let outputLimit = 16 << 20

    /// Runs `arguments` (the first is looked up on PATH) with standard input read from
    /// `inputFD`, standard error discarded, and returns what it wrote and its exit status.
    static func run(_ arguments: [String], inputFD: Int32) throws(ImportError) -> (output: SecretBytes, status: Int32) {
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else { throw .toolFailed("cannot make a pipe for \(arguments[0])") }
        // Close-on-exec, so no other child started meanwhile keeps the write end open.
        for fd in pipeFDs { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputFD, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        close(pipeFDs[1])
        guard spawned == 0 else {
            close(pipeFDs[0])
            throw .toolFailed("cannot run \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        let output = readAll(pipeFDs[0])
        close(pipeFDs[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which do not import.
        let exited = status & 0x7f == 0
        let code = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard let output else { throw .toolFailed("\(arguments[0]) wrote more than \(outputLimit >> 20) MiB") }
        return (output, code)
    }

    /// Everything readable from `fd` until end of file, in secret memory that is replaced by a
    /// bigger one (the old one wiped) as it fills; nil past `outputLimit` (nothing kept).
    private static func readAll(_ fd: Int32) -> SecretBytes? {
        var out = SecretBytes(count: 0, capacity: 16 << 10)
        let chunk = SecretBytes(count: 4096)
        defer { chunk.wipe() }
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            let fits = chunk.withUnsafeBytes { SecretGrowth.append(UnsafeRawBufferPointer(rebasing: $0[0..<n]), to: &out, limit: outputLimit) }
            if !fits {
                out.wipe()
                // Drain so the child can finish.
                while chunk.withUnsafeMutableBytes({ Glibc.read(fd, $0.baseAddress, $0.count) }) > 0 {}
                return nil
            }
        }
        return out
    }
}
