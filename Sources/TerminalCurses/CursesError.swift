/// Why the curses terminal could not start.
public enum CursesError: Error, Hashable, Sendable {
    /// Standard input or output is not a terminal (piped, redirected, or no tty at all).
    case notATerminal
    /// curses could not set up this terminal (unknown or unusable `TERM`).
    case unknownTerminal(String)
    /// Another `CursesTerminal` is running in this process.
    case alreadyRunning
    /// The signal self-pipe could not be created (out of file descriptors).
    case noSignalPipe
}
