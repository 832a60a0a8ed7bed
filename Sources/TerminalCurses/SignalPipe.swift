import Glibc

/// Write end of the self-pipe, read by the signal handler. Set before any handler is installed.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// The handler for every signal the terminal watches: it only writes the signal number to the
/// self-pipe (async-signal-safe), keeping `errno` as it was. The main loop does the work.
private let recordSignal: @convention(c) (Int32) -> Void = { signal in
    let savedErrno = errno
    var byte = UInt8(truncatingIfNeeded: signal)
    _ = write(signalPipeWriteEnd, &byte, 1)
    errno = savedErrno
}

/// A self-pipe that turns signals into bytes the event loop can `poll` for.
///
/// Only one may be installed at a time (the handler writes to one pipe). Installing saves the
/// previous dispositions; `uninstall` puts them back and closes the pipe.
final class SignalPipe {
    static let watched: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGCONT, SIGTSTP]

    let readEnd: Int32
    private let writeEnd: Int32
    private var previous: [Int32: sigaction] = [:]
    private var installed = false

    init?() {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return nil }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        uninstall()
        close(readEnd)
        close(writeEnd)
    }

    /// Routes the watched signals into the pipe.
    func install() {
        guard !installed else { return }
        signalPipeWriteEnd = writeEnd
        for signal in Self.watched {
            var old = sigaction()
            sigaction(signal, nil, &old)
            previous[signal] = old
            setHandler(for: signal)
        }
        installed = true
    }

    /// Puts back the dispositions that were there before `install`.
    func uninstall() {
        guard installed else { return }
        for (signal, old) in previous {
            var old = old
            sigaction(signal, &old, nil)
        }
        previous.removeAll()
        installed = false
    }

    /// Lets `signal` do its default thing (used to stop on SIGTSTP), until `watch` again.
    func setDefault(for signal: Int32) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = SIG_DFL
        sigemptyset(&action.sa_mask)
        sigaction(signal, &action, nil)
    }

    /// Routes `signal` into the pipe again after `setDefault`.
    func watch(_ signal: Int32) {
        setHandler(for: signal)
    }

    /// The signal numbers received since the last call, oldest first.
    func drain() -> [Int32] {
        var received: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let n = read(readEnd, &buffer, buffer.count)
            if n <= 0 { break }
            received.append(contentsOf: buffer[0..<n].map { Int32($0) })
        }
        return received
    }

    private func setHandler(for signal: Int32) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = recordSignal
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(signal, &action, nil)
    }
}
