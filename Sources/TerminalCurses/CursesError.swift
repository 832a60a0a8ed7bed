/// Why the curses terminal could not start.
public enum CursesError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Standard input or output is not a terminal (piped, redirected, or no tty at all).
    case notATerminal
    /// curses could not set up this terminal (unknown or unusable `TERM`).
    case unknownTerminal(String)
    /// The terminal type cannot move the cursor to a given cell (`TERM=dumb`, hard-copy).
    case noCursorAddressing(String)
    /// The locale's character set is not UTF-8, so text cannot be drawn as it is.
    case notUTF8(String)
    /// Another `CursesTerminal` is running in this process.
    case alreadyRunning
    /// The signal self-pipe could not be created (out of file descriptors).
    case noSignalPipe

    /// True when the terminal or locale cannot be used at all (the caller exits with 2).
    public var isUnsupportedTerminal: Bool {
        switch self {
        case .unknownTerminal, .noCursorAddressing, .notUTF8: return true
        case .notATerminal, .alreadyRunning, .noSignalPipe: return false
        }
    }

    public var description: String {
        switch self {
        case .notATerminal: return "standard input and output must be a terminal for the interface"
        case .unknownTerminal(let term): return "curses cannot use the terminal type '\(term)' (check TERM)"
        case .noCursorAddressing(let term):
            let name = term.isEmpty ? "this terminal" : "the terminal type '\(term)'"
            return "\(name) cannot place the cursor, which the full-screen interface needs; "
                + "run it in a terminal such as xterm or tmux, or use the commands (see 'onions --help')"
        case .notUTF8(let codeset):
            return "the locale's character set is \(codeset), not UTF-8 (LC_ALL, LC_CTYPE and LANG decide it), "
                + "so the interface cannot draw text; set a UTF-8 locale, for example LC_ALL=C.UTF-8 "
                + "(see 'locale -a' for the ones installed)"
        case .alreadyRunning: return "the terminal interface is running already"
        case .noSignalPipe: return "cannot set up signal handling (out of file descriptors)"
        }
    }
}
