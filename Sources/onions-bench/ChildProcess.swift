import Glibc

/// Runs this same program again as a child process.
enum ChildProcess {
    /// Starts `/proc/self/exe` with `arguments` (standard streams inherited), waits for it, and
    /// returns its exit status (128 + the signal number when a signal ended it).
    static func runSelf(_ arguments: [String]) throws -> Int32 {
        let executable = "/proc/self/exe"
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let started = posix_spawn(&pid, executable, nil, nil, argv, environ)
        guard started == 0 else { throw BenchFailure("cannot start a child process (error \(started))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw BenchFailure("lost the child process") }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
