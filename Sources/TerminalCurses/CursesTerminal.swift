import CNcursesW
import Glibc
import TerminalUI

/// The real terminal: ncursesw on the alternate screen, raw keys, signals as events.
///
/// Create one per process, on the thread that runs the app loop, and call every method from
/// that thread. Starting checks that standard input and output are terminals, that the locale
/// is UTF-8 and that the terminal type can place the cursor (so `TERM=dumb` is refused before
/// anything is drawn), switches bracketed paste on, routes SIGINT,
/// SIGTERM, SIGHUP, SIGWINCH, SIGCONT and SIGTSTP into a self-pipe before curses starts, then
/// starts curses with `newterm` (a failure is thrown, the process never exits). The terminal
/// is restored by `shutdown()`, by `deinit`, and by an `atexit` hook, whichever comes first.
/// Nothing is written to stderr while curses owns the screen.
public final class CursesTerminal: TerminalBackend {
    /// The running instance, for the exit hook.
    nonisolated(unsafe) private static weak var running: CursesTerminal?
    nonisolated(unsafe) private static var exitHookInstalled = false

    let signals: SignalPipe
    var screen: OpaquePointer?
    var output: UnsafeMutablePointer<FILE>?
    var input: UnsafeMutablePointer<FILE>?
    var colors: CursesColors
    /// The last frame drawn; nil forces a full repaint.
    var shown: Canvas?
    private var pending: [Event] = []
    private var reportedSize: Size
    private var inputClosed = false
    private var emptyReads = 0
    /// Mouse reports may be asked for at all, and are asked for now.
    private let mouseAllowed: Bool
    private var mouseOn = false
    /// Scratch for one cell's scalars, reused so that drawing does not allocate per cell.
    var scalarBuffer = [wchar_t](repeating: 0, count: 8)

    /// Starts curses.
    ///
    /// - Parameter color: nil follows `NO_COLOR` (set and non-empty means no colour at all);
    ///   true or false decides explicitly. Without colour support there is no colour either way.
    /// - Parameter mouse: false keeps mouse reporting off for good (`--no-mouse`), and any
    ///   mouse report the terminal sends anyway is dropped.
    /// - Throws: `CursesError` when there is no terminal or curses cannot use it; the terminal
    ///   is left as it was.
    public init(color: Bool? = nil, mouse: Bool = true) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw CursesError.notATerminal }
        guard Self.running == nil else { throw CursesError.alreadyRunning }
        setlocale(LC_ALL, "")
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        let codeset = String(cString: onions_codeset())
        guard codeset == "UTF-8" else { throw CursesError.notUTF8(codeset) }
        switch onions_terminal_addressable(getenv("TERM"), STDOUT_FILENO) {
        case 1: break
        case 0: throw CursesError.noCursorAddressing(term)
        default: throw CursesError.unknownTerminal(term)
        }
        guard let signals = SignalPipe() else { throw CursesError.noSignalPipe }
        self.signals = signals
        mouseAllowed = mouse
        signals.install()

        let outputFD = dup(STDOUT_FILENO), inputFD = dup(STDIN_FILENO)
        let output = outputFD >= 0 ? fdopen(outputFD, "w") : nil
        let input = inputFD >= 0 ? fdopen(inputFD, "r") : nil
        let screen = (output != nil && input != nil) ? newterm(nil, output, input) : nil
        guard let screen else {
            if let output { fclose(output) } else if outputFD >= 0 { close(outputFD) }
            if let input { fclose(input) } else if inputFD >= 0 { close(inputFD) }
            signals.uninstall()
            throw CursesError.unknownTerminal(term)
        }
        self.screen = screen
        self.output = output
        self.input = input
        set_term(screen)
        raw()
        noecho()
        nonl()
        keypad(onions_stdscr(), true)
        meta(onions_stdscr(), true)
        intrflush(onions_stdscr(), false)
        set_escdelay(25)
        curs_set(0)
        define_key(Paste.startSequence, Self.pasteStartCode)
        define_key(Paste.endSequence, Self.pasteEndCode)
        // Mouse reports are read here, not by curses' own mouse support, whose format follows
        // terminfo (the 223-column X10 form under tmux and screen).
        define_key(MouseEvent.sgrPrefix, Self.mouseCode)
        CursesKeys.defineKeys()

        let noColor = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
        colors = CursesColors(enabled: color ?? !noColor)
        reportedSize = Size(width: Int(onions_cols()), height: Int(onions_lines()))

        writeRaw(Paste.enableSequence)
        Self.running = self
        if !Self.exitHookInstalled {
            Self.exitHookInstalled = true
            atexit { CursesTerminal.running?.shutdown() }
        }
    }

    deinit {
        shutdown()
    }

    /// Whether styles are drawn in colour (false under `NO_COLOR` or without colour support).
    public var usesColor: Bool { colors.enabled }

    public var size: Size {
        guard screen != nil else { return reportedSize }
        return Size(width: Int(onions_cols()), height: Int(onions_lines()))
    }

    // MARK: - Input

    public func nextEvent(timeoutMs: Int) -> Event? {
        guard screen != nil else { return nil }
        if !pending.isEmpty { return pending.removeFirst() }
        let deadline = Self.nowMs() + max(0, timeoutMs)
        while true {
            // curses may already hold input (bytes pushed back while matching a key sequence).
            if !inputClosed, case .event(let event) = readKey(waitMs: 0) { return event }
            var fds = [pollfd(fd: signals.readEnd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: inputClosed ? -1 : STDIN_FILENO, events: Int16(POLLIN), revents: 0)]
            let wait = max(0, deadline - Self.nowMs())
            let ready = poll(&fds, 2, Int32(clamping: wait))
            if ready < 0, errno != EINTR { return nil }
            if fds[0].revents != 0 { handleSignals() }
            if !pending.isEmpty { return pending.removeFirst() }
            let inputEvents = fds[1].revents
            if inputEvents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                return closeInput()
            } else if inputEvents & Int16(POLLIN) != 0 {
                switch readKey(waitMs: Int(onions_escdelay())) {
                case .event(let event): return event
                case .ignored: break
                case .nothing:
                    // Readable but nothing to read, again and again: end of input.
                    emptyReads += 1
                    if emptyReads >= 3 { return closeInput() }
                }
            }
            if Self.nowMs() >= deadline { return nil }
        }
    }

    /// Key codes curses reports for the bracketed-paste markers (far from its own codes).
    private static let pasteStartCode: Int32 = 0x4F50
    private static let pasteEndCode: Int32 = 0x4F51
    /// The key code curses reports for the start of an SGR mouse report.
    private static let mouseCode: Int32 = 0x4F52
    /// How long a paste may pause before it counts as ended without its end marker.
    private static let pastePauseMs: Int32 = 1_000

    /// What one `get_wch` gave.
    private enum KeyRead {
        case event(Event)
        /// Input that means nothing to the app (a mouse report, an unknown function key).
        case ignored
        /// Nothing arrived in time.
        case nothing
    }

    /// One decoded key from curses within `waitMs`.
    private func readKey(waitMs: Int) -> KeyRead {
        let window = onions_stdscr()
        wtimeout(window, Int32(waitMs))
        var code: wint_t = 0
        let status = wget_wch(window, &code)
        if status == ERR { return .nothing }
        emptyReads = 0
        if status == onions_key_code_yes() {
            let keyCode = Int32(bitPattern: code)
            if keyCode == KEY_RESIZE { return resizeEvent().map { .event($0) } ?? .ignored }
            if keyCode == Self.pasteStartCode { return .event(.paste(readPaste())) }
            if keyCode == Self.pasteEndCode { return .ignored }
            if keyCode == Self.mouseCode || keyCode == KEY_MOUSE {
                guard let mouse = readMouseReport(), mouseOn else { return .ignored }
                return .event(.mouse(mouse))
            }
            return CursesKeys.key(forKeyCode: keyCode).map { .event(.key($0)) } ?? .ignored
        }
        switch code {
        case 26:
            return .event(.suspendRequested)
        case 27:
            // Alt-x arrives as Esc then x with no pause between them.
            wtimeout(window, 0)
            var next: wint_t = 0
            let nextStatus = wget_wch(window, &next)
            if nextStatus == OK, let key = Key(code: next), case .character(let character) = key {
                return .event(.key(.alt(character)))
            } else if nextStatus == OK, next == 127 || next == 8 {
                return .event(.key(.altBackspace))
            } else if nextStatus == onions_key_code_yes(), Int32(bitPattern: next) == KEY_BACKSPACE {
                return .event(.key(.altBackspace))
            } else if nextStatus == OK {
                unget_wch(wchar_t(bitPattern: next))
            } else if nextStatus == onions_key_code_yes() {
                ungetch(Int32(bitPattern: next))
            }
            return .event(.key(.escape))
        default:
            return Key(code: code).map { .event(.key($0)) } ?? .ignored
        }
    }

    /// Reads the rest of an SGR mouse report (`b;x;y` then `M` or `m`), which the terminal
    /// sends in one piece. Anything else ends it: what was read is dropped, never taken as keys.
    private func readMouseReport() -> MouseEvent? {
        let window = onions_stdscr()
        wtimeout(window, Int32(onions_escdelay()))
        var body: [UInt8] = []
        while body.count <= MouseEvent.maximumBodyBytes {
            var code: wint_t = 0
            guard wget_wch(window, &code) == OK else { return nil }
            if code == 0x4D || code == 0x6D { return MouseEvent(sgrBody: body, final: UInt8(code)) }
            guard code < 0x80 else { return nil }
            body.append(UInt8(code))
        }
        return nil
    }

    public func setMouseReporting(_ on: Bool) {
        let on = on && mouseAllowed
        guard screen != nil, on != mouseOn else { return }
        mouseOn = on
        writeRaw(on ? MouseEvent.enableSequence : MouseEvent.disableSequence)
    }

    /// Collects a bracketed paste up to its end marker (or a pause of `pastePauseMs`): text,
    /// never keys.
    private func readPaste() -> Paste {
        let window = onions_stdscr()
        var paste = Paste()
        wtimeout(window, Self.pastePauseMs)
        while true {
            var code: wint_t = 0
            let status = wget_wch(window, &code)
            if status == ERR { break }
            if status == onions_key_code_yes() {
                let keyCode = Int32(bitPattern: code)
                if keyCode == Self.pasteEndCode { break }
                if keyCode == KEY_RESIZE {
                    if let event = resizeEvent() { pending.append(event) }
                    continue
                }
                paste.leaveOut()
            } else if let scalar = Unicode.Scalar(code) {
                paste.append(scalar)
            } else {
                paste.leaveOut()
            }
        }
        return paste
    }

    private func closeInput() -> Event {
        inputClosed = true
        return .hangup
    }

    private func handleSignals() {
        for signal in signals.drain() {
            switch signal {
            case SIGINT: pending.append(.interrupt)
            case SIGTERM: pending.append(.terminate)
            case SIGHUP: pending.append(.hangup)
            case SIGTSTP: pending.append(.suspendRequested)
            case SIGCONT: restoreScreen()
            case SIGWINCH:
                if let event = resizeEvent() { pending.append(event) }
            default: break
            }
        }
    }

    /// Brings curses up to the terminal's real size; an event when it differs from the last one reported.
    private func resizeEvent() -> Event? {
        var window = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_row > 0, window.ws_col > 0,
           Int32(window.ws_row) != onions_lines() || Int32(window.ws_col) != onions_cols() {
            resizeterm(Int32(window.ws_row), Int32(window.ws_col))
        }
        let now = Size(width: Int(onions_cols()), height: Int(onions_lines()))
        guard now != reportedSize else { return nil }
        reportedSize = now
        shown = nil
        return .resize(width: now.width, height: now.height)
    }

    // MARK: - Job control and teardown

    public func suspend() {
        guard screen != nil else { return }
        writeRaw(Paste.disableSequence)
        if mouseOn { writeRaw(MouseEvent.disableSequence) }
        endwin()
        signals.setDefault(for: SIGTSTP)
        // The whole process group stops, as less and vim do: a wrapper script that started
        // this program stops with it, so the shell gets the terminal back.
        kill(0, SIGTSTP)
        // Stopped here until SIGCONT.
        signals.watch(SIGTSTP)
        resume()
    }

    public func resume() {
        guard screen != nil else { return }
        for signal in signals.drain() where signal != SIGCONT && signal != SIGTSTP {
            switch signal {
            case SIGINT: pending.append(.interrupt)
            case SIGTERM: pending.append(.terminate)
            case SIGHUP: pending.append(.hangup)
            default: break
            }
        }
        restoreScreen()
    }

    /// Puts curses back in charge after a stop, repaints, and queues `.resumed` (and a resize
    /// when the terminal changed size meanwhile).
    private func restoreScreen() {
        let window = onions_stdscr()
        reset_prog_mode()
        writeRaw(Paste.enableSequence)
        if mouseOn { writeRaw(MouseEvent.enableSequence) }
        if let event = resizeEvent() { pending.append(event) }
        clearok(window, true)
        wrefresh(window)
        shown = nil
        pending.append(.resumed)
    }

    public func shutdown() {
        guard let screen else { return }
        writeRaw(Paste.disableSequence)
        if mouseOn { writeRaw(MouseEvent.disableSequence) }
        mouseOn = false
        curs_set(1)
        endwin()
        delscreen(screen)
        self.screen = nil
        if let output { fclose(output) }
        if let input { fclose(input) }
        output = nil
        input = nil
        signals.uninstall()
        if Self.running === self { Self.running = nil }
    }

    private static func nowMs() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1000 + now.tv_nsec / 1_000_000
    }
}
