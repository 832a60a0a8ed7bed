/// Why the curses terminal could not start.
public enum CursesError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Standard input or output is not a terminal (piped, redirected, or no tty at all).
    case notATerminal
    /// curses could not set up this terminal (unknown or unusable `TERM`).
    case unknownTerminal(String)
    /// Another `CursesTerminal` is running in this process.
    case alreadyRunning
    /// The signal self-pipe could not be created (out of file descriptors).
    case noSignalPipe

    public var description: String {
        switch self {
        case .notATerminal: return "standard input and output must be a terminal for the interface"
        case .unknownTerminal(let term): return "curses cannot use the terminal type '\(term)' (check TERM)"
        case .alreadyRunning: return "the terminal interface is running already"
        case .noSignalPipe: return "cannot set up signal handling (out of file descriptors)"
        }
    }
}
