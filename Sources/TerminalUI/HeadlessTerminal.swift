/// A terminal in memory for tests: events you push in, frames you read back as text.
///
/// It behaves like the curses backend without a device: `draw` keeps the canvas and the
/// cursor, `nextEvent` hands out pushed events in order (nil when none are left, like a
/// timeout), `suspend` records the stop and queues `.resumed` at once.
public final class HeadlessTerminal: TerminalBackend {
    public private(set) var size: Size
    /// What the screen shows now.
    public private(set) var screen: Canvas
    /// Where the cursor is, nil when hidden.
    public private(set) var cursor: Point?
    /// The cells the last `draw` changed.
    public private(set) var lastChanges: [CellChange] = []
    public private(set) var drawCount = 0
    public private(set) var suspendCount = 0
    public private(set) var clearCount = 0
    /// How many times `repaint` was asked for.
    public private(set) var repaintCount = 0
    public private(set) var isShutDown = false
    /// Everything passed to `writeRaw`, in order.
    public private(set) var rawOutput: [UInt8] = []
    /// Whether mouse reports were asked for last (`setMouseReporting`).
    public private(set) var mouseReporting = false
    private var events: [Event] = []
    private var nextEventIndex = 0

    public init(width: Int = 80, height: Int = 24) {
        size = Size(width: width, height: height)
        screen = Canvas(width: width, height: height)
    }

    /// Queues an event.
    public func push(_ event: Event) {
        events.append(event)
    }

    /// Queues key events.
    public func push(_ keys: Key...) {
        for key in keys { events.append(.key(key)) }
    }

    /// Queues one `.character` key per grapheme of `text`, as if typed.
    public func type(_ text: String) {
        for character in text { events.append(.key(.character(character))) }
    }

    /// Queues `text` as one bracketed paste.
    public func paste(_ text: String) {
        events.append(.paste(Paste(text)))
    }

    /// Changes the size, blanks the screen and queues `.resize` as a real terminal would.
    public func resize(width: Int, height: Int) {
        size = Size(width: width, height: height)
        screen = Canvas(width: width, height: height)
        events.append(.resize(width: width, height: height))
    }

    /// Number of events not yet taken by `nextEvent`.
    public var pendingEventCount: Int { events.count - nextEventIndex }

    /// The screen as lines of text (trailing spaces trimmed unless asked otherwise).
    public func screenText(trimmingTrailingSpaces: Bool = true) -> [String] {
        screen.lines(trimmingTrailingSpaces: trimmingTrailingSpaces)
    }

    // MARK: TerminalBackend

    public func nextEvent(timeoutMs: Int) -> Event? {
        guard nextEventIndex < events.count else { return nil }
        defer {
            nextEventIndex += 1
            if nextEventIndex == events.count {
                events.removeAll()
                nextEventIndex = 0
            }
        }
        return events[nextEventIndex]
    }

    public func draw(_ canvas: Canvas, cursor: Point?) {
        var frame = Canvas(size: size)
        if canvas.size == size {
            frame = canvas
        } else {
            for y in 0..<min(size.height, canvas.height) {
                for x in 0..<min(size.width, canvas.width) where !canvas[x: x, y: y].isContinuation {
                    let cell = canvas[x: x, y: y]
                    frame.put(cell.character, x: x, y: y, style: cell.style)
                }
            }
        }
        lastChanges = frame.changes(from: screen)
        screen = frame
        self.cursor = cursor.flatMap { Rect(size: size).contains($0) ? $0 : nil }
        drawCount += 1
    }

    public func suspend() {
        suspendCount += 1
        resume()
    }

    public func resume() {
        events.append(.resumed)
    }

    public func clearAll() {
        screen.clear()
        cursor = nil
        clearCount += 1
    }

    public func repaint() {
        repaintCount += 1
    }

    public func writeRaw(_ bytes: UnsafeRawBufferPointer) {
        rawOutput.append(contentsOf: bytes)
    }

    public func shutdown() {
        isShutDown = true
        mouseReporting = false
    }

    public func setMouseReporting(_ on: Bool) {
        mouseReporting = on
    }
}
