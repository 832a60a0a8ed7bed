/// Text the terminal delivered as one bracketed paste (between `ESC [200~` and `ESC [201~`).
///
/// A paste is data for the focused field, never keys: it is collected whole by the backend and
/// handed over as one `Event.paste`. While it is collected, line ends (CR, LF, CR LF) become
/// one "\n" each, a tab stays a tab, and every other control character (escape, C1 codes, function keys the
/// terminal decoded from pasted escape sequences) is left out and counted, so that nothing
/// pasted can act as a key or be drawn raw. Call `wipe()` once the text has been used.
public struct Paste: Hashable, Sendable {
    /// Switches bracketed paste on; written when the program takes the terminal.
    public static let enableSequence: [UInt8] = Array("\u{1b}[?2004h".utf8)
    /// Switches it off again; written before the terminal is handed back.
    public static let disableSequence: [UInt8] = Array("\u{1b}[?2004l".utf8)
    /// What the terminal sends before pasted text.
    public static let startSequence = "\u{1b}[200~"
    /// What the terminal sends after pasted text.
    public static let endSequence = "\u{1b}[201~"

    /// The text, one scalar at a time, line ends as "\n".
    public private(set) var scalars: [Unicode.Scalar] = []
    /// Control characters that were left out.
    public private(set) var leftOut = 0
    /// Scalars kept at most; a longer paste is marked `overflowed` and fits no field.
    public static let maximumScalars = 65_536
    /// True when more than `maximumScalars` arrived (the rest was not kept).
    public private(set) var overflowed = false
    private var lastWasCarriageReturn = false

    public init() {}

    /// A paste of `text` (for tests and the headless terminal), filtered like a real one.
    public init(_ text: String) {
        for scalar in text.unicodeScalars { append(scalar) }
    }

    /// Adds one scalar as it arrived from the terminal.
    public mutating func append(_ scalar: Unicode.Scalar) {
        let value = scalar.value
        defer { lastWasCarriageReturn = value == 13 }
        if value == 13 || value == 10 {
            if value == 10 && lastWasCarriageReturn { return }
            if scalars.count < Self.maximumScalars { scalars.append("\n") } else { overflowed = true }
        } else if (value < 0x20 && value != 9) || (0x7F..<0xA0).contains(value) {
            leftOut += 1
        } else if scalars.count < Self.maximumScalars {
            scalars.append(scalar)
        } else {
            overflowed = true
        }
    }

    /// Counts something that was not text (a decoded function key) as left out.
    public mutating func leaveOut() {
        leftOut += 1
        lastWasCarriageReturn = false
    }

    public var isEmpty: Bool { scalars.isEmpty }
    public var containsNewline: Bool { scalars.contains("\n") }
    /// Tabs in the text (kept for a multi-line field, left out of a one-line one).
    public var tabCount: Int { scalars.reduce(0) { $0 + ($1 == "\t" ? 1 : 0) } }

    /// Bytes the text takes as UTF-8.
    public var utf8Count: Int { scalars.reduce(0) { $0 + UTF8.width($1) } }

    /// Overwrites the text and empties it.
    public mutating func wipe() {
        for index in scalars.indices { scalars[index] = "\0" }
        scalars.removeAll()
        leftOut = 0
        overflowed = false
        lastWasCarriageReturn = false
    }
}
