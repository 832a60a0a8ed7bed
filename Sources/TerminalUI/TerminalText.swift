/// The one gate between text from outside the program and a terminal.
///
/// Every byte the program writes as text (standard output in text mode, standard error,
/// prompts, the interface's cells) passes here, whatever its source: a server's message, an
/// import file, the environment, a decrypted record. What could steer a terminal is shown
/// visibly instead of sent: C0 controls other than TAB and LF (`\e` for ESC, `\r`, `\x07`),
/// DEL (`\x7F`), C1 controls (`U+009B`), the bidirectional overrides and isolates
/// U+202A-U+202E and U+2066-U+2069 (`U+202E`), and bytes that are not UTF-8 (`\xFF`). An
/// escape sequence therefore arrives as harmless text, whether or not the output is a
/// terminal now (a pipe's reader may be one later).
///
/// The command line sanitizes bytes (`write(_:to:)`), without building a `String` of them, so
/// a decrypted text stays in the caller's secret memory; the interface asks
/// `isRefusedInCell(_:)` for each grapheme and draws U+FFFD instead. Both decide with
/// `isRefused(_:)`.
public enum TerminalText {
    /// True for the scalars that never reach a terminal as themselves: C0 controls other than
    /// TAB and LF, DEL, C1 controls, and the bidirectional overrides and isolates.
    public static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 { return v != 0x09 && v != 0x0A }
        if v < 0x7F { return false }
        if v < 0xA0 { return true }
        return (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// True for a grapheme that the interface must not put into a cell: one with a refused
    /// scalar, or a TAB or LF (a cell holds no layout; the canvas draws U+FFFD instead).
    public static func isRefusedInCell(_ character: Character) -> Bool {
        character.unicodeScalars.contains { $0 == "\t" || $0 == "\n" || isRefused($0) }
    }

    /// `text` with every refused scalar shown visibly (see the type's summary).
    public static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isRefused) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        var copy = text
        copy.withUTF8 { utf8 in
            write(UnsafeRawBufferPointer(utf8)) { out.append(contentsOf: $0) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Passes `bytes` to `emit` in pieces, each either a run of `bytes` itself (no copy) or
    /// the visible form of a refused scalar or of a byte that is not UTF-8. Nothing `emit`
    /// receives holds a refused scalar, and everything it receives is valid UTF-8.
    public static func write(_ bytes: UnsafeRawBufferPointer, to emit: (UnsafeRawBufferPointer) -> Void) {
        guard bytes.count > 0 else { return }
        var start = 0
        var index = 0
        func flush(upTo end: Int) {
            if end > start { emit(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) }
        }
        while index < bytes.count {
            let (scalar, length) = decode(bytes, at: index)
            guard let scalar else {
                flush(upTo: index)
                emitVisible(byte: bytes[index], emit)
                index += 1
                start = index
                continue
            }
            if isRefused(scalar) {
                flush(upTo: index)
                emitVisible(scalar: scalar, emit)
                start = index + length
            }
            index += length
        }
        flush(upTo: bytes.count)
    }

    /// The visible form of a refused scalar.
    public static func visible(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x1B: return "\\e"
        case 0x0D: return "\\r"
        case 0..<0x20, 0x7F: return "\\x" + hex(scalar.value, digits: 2)
        default: return "U+" + hex(scalar.value, digits: 4)
        }
    }

    // MARK: - Decoding

    /// The scalar that starts at `index` and its length in bytes, or nil (length 1) when the
    /// bytes there are not well-formed UTF-8 (overlong forms and surrogates included).
    static func decode(_ bytes: UnsafeRawBufferPointer, at index: Int) -> (Unicode.Scalar?, Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let count: Int
        var value: UInt32
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: count = 2; value = UInt32(lead & 0x1F)
        case 0xE0: count = 3; value = 0; low = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: count = 3; value = UInt32(lead & 0x0F)
        case 0xED: count = 3; value = 0x0D; high = 0x9F
        case 0xF0: count = 4; value = 0; low = 0x90
        case 0xF1...0xF3: count = 4; value = UInt32(lead & 0x07)
        case 0xF4: count = 4; value = 4; high = 0x8F
        default: return (nil, 1)
        }
        guard index + count <= bytes.count else { return (nil, 1) }
        for offset in 1..<count {
            let byte = bytes[index + offset]
            let range = offset == 1 ? low...high : 0x80...0xBF
            guard range.contains(byte) else { return (nil, 1) }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return (nil, 1) }
        return (scalar, count)
    }

    private static func emitVisible(scalar: Unicode.Scalar, _ emit: (UnsafeRawBufferPointer) -> Void) {
        Array(visible(scalar).utf8).withUnsafeBytes(emit)
    }

    private static func emitVisible(byte: UInt8, _ emit: (UnsafeRawBufferPointer) -> Void) {
        Array(("\\x" + hex(UInt32(byte), digits: 2)).utf8).withUnsafeBytes(emit)
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}

/// The program's own control sequences: the only ones that pass the gate as themselves.
///
/// A caller names what it means (erase the line, clear the clipboard) and the gate renders
/// the bytes, so no caller writes an escape byte itself and every other text still goes
/// through `TerminalText.write(_:to:)`.
public enum TerminalControl: Sendable {
    /// Back to the line's start and erase it (`CR ESC [ K`): a progress line drawn again in place.
    case eraseLine
    /// Overwrite the clipboard (OSC 52 with one space; see `OSC52.clearSequence`).
    case clearClipboard
}

extension TerminalText {
    /// Emits the bytes of one of the program's own control sequences.
    public static func write(_ control: TerminalControl, to emit: (UnsafeRawBufferPointer) -> Void) {
        switch control {
        case .eraseLine: [UInt8]([0x0D, 0x1B, 0x5B, 0x4B]).withUnsafeBytes(emit)
        case .clearClipboard: OSC52.clearSequence.withUnsafeBytes(emit)
        }
    }

    /// Emits the OSC 52 sequence that puts `payload` (UTF-8 text) on the clipboard, built in
    /// `buffer` (the caller's secret memory, `OSC52.sequenceLength` bytes or more), the text
    /// base64 inside it so that nothing of it can steer the terminal. False, and nothing
    /// emitted, when `buffer` is too short.
    @discardableResult
    public static func writeClipboard(_ payload: UnsafeRawBufferPointer, using buffer: UnsafeMutableRawBufferPointer,
                                      to emit: (UnsafeRawBufferPointer) -> Void) -> Bool {
        guard let written = OSC52.encode(payload, into: buffer) else { return false }
        emit(UnsafeRawBufferPointer(rebasing: buffer[0..<written]))
        return true
    }
}
