/// What the app loop needs from a terminal: its size, input events, and drawing.
///
/// Two implementations: `CursesTerminal` (TerminalCurses) for real terminals and
/// `HeadlessTerminal` for tests. All calls come from the one thread that runs the loop.
public protocol TerminalBackend: AnyObject {
    /// The current size in cells.
    var size: Size { get }

    /// The next input or signal event, waiting at most `timeoutMs` milliseconds.
    ///
    /// Returns nil when the time ran out with nothing to report; the loop then sends `.tick`.
    func nextEvent(timeoutMs: Int) -> Event?

    /// Shows `canvas`, sending only what changed since the last frame, and places the cursor
    /// at `cursor` (hidden when nil). A canvas of another size than the terminal is clipped.
    func draw(_ canvas: Canvas, cursor: Point?)

    /// Gives the terminal back, stops the process (job control) and, once it is continued,
    /// restores the screen and queues `.resumed`. Lock and wipe before calling this.
    func suspend()

    /// Restores the screen after the process was stopped and continued, and queues `.resumed`.
    func resume()

    /// Wipes the screen and the backend's own copies of it. The terminal's scrollback is left
    /// alone: the program draws on the alternate screen, which keeps no history.
    /// The next `draw` repaints everything.
    func clearAll()

    /// Forgets what the terminal is thought to show, so the next `draw` sends every cell
    /// again (for a screen another program wrote over). Input waiting to be read is kept.
    func repaint()

    /// Writes bytes straight to the terminal, bypassing the screen model (OSC 52 and the like).
    func writeRaw(_ bytes: UnsafeRawBufferPointer)

    /// Restores the terminal for good. Safe to call more than once.
    func shutdown()

    /// Asks the terminal for mouse reports, or stops them (the terminal selects text itself
    /// then). A backend started without the mouse keeps it off whatever is asked.
    func setMouseReporting(_ on: Bool)
}
