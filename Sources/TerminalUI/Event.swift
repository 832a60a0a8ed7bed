/// Everything the app loop reacts to from the terminal: keys, size changes, time and signals.
public enum Event: Hashable, Sendable {
    case key(Key)
    /// Text pasted in one piece (bracketed paste): it goes into the focused field as text and
    /// never acts as keys.
    case paste(Paste)
    /// A click or the wheel (only while mouse reporting is on; see `MouseEvent`).
    case mouse(MouseEvent)
    /// The terminal now has this size; lay out again (down to the "too small" message).
    case resize(width: Int, height: Int)
    /// Time passed with no input (the loop makes these when `nextEvent` times out).
    case tick
    /// Ctrl-Z or SIGTSTP: lock and wipe, then call `TerminalBackend.suspend()`.
    case suspendRequested
    /// The process continued after a stop; the screen has been restored, draw again.
    case resumed
    /// SIGHUP: the terminal went away. Seal drafts, wipe and exit without drawing.
    case hangup
    /// SIGTERM: seal drafts, wipe and exit.
    case terminate
    /// SIGINT sent from outside (under raw mode Ctrl-C arrives as `.key(.ctrl("c"))`).
    case interrupt
}
