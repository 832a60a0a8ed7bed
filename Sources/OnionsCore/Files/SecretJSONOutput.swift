import OnionsCrypto

/// Builds JSON in secret memory and hands it to a sink a chunk at a time.
///
/// For plaintext exports and the commands' `--json`: nothing it holds is ever in an ordinary Swift buffer; the chunk is
/// wiped after each flush and at the end. Call `flush()` last: what was not flushed is lost.
public final class SecretJSONOutput {
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    private let chunk = SecretBytes(count: 0, capacity: 64 * 1024)

    public init(_ sink: @escaping (UnsafeRawBufferPointer) throws -> Void) { self.sink = sink }

    deinit { chunk.wipe() }

    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        var rest = bytes
        while !rest.isEmpty {
            let room = chunk.capacity - chunk.count
            if room == 0 {
                try flush()
                continue
            }
            let n = min(room, rest.count)
            _ = chunk.append(UnsafeRawBufferPointer(rebasing: rest[0..<n]))
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
        }
    }

    /// Appends a non-secret text (punctuation, names of fields, numbers).
    public func append(_ text: String) throws {
        var copy = text
        try copy.withUTF8 { try append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends `text` (UTF-8) as a JSON string, quotes included.
    ///
    /// Escapes `"` and `\`, and every control character (as `\n`, `\t`, … or `\u00XX`), C1
    /// controls and the bidirectional overrides and isolates too (`\u009b`, `\u202e`), so no
    /// terminal that shows the document obeys them; all other bytes pass through, so valid
    /// UTF-8 stays valid JSON.
    public func appendJSONString(_ text: UnsafeRawBufferPointer) throws {
        try append("\"")
        var start = 0
        var i = 0
        while i < text.count {
            let byte = text[i]
            if let (scalar, length) = Self.formatScalar(text, at: i) {
                try append(UnsafeRawBufferPointer(rebasing: text[start..<i]))
                try append("\\u" + String(scalar, radix: 16).leftPadded(to: 4))
                i += length
                start = i
                continue
            }
            i += 1
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F else { continue }
            try append(UnsafeRawBufferPointer(rebasing: text[start..<i - 1]))
            try append(Self.escape(byte))
            start = i
        }
        try append(UnsafeRawBufferPointer(rebasing: text[start..<text.count]))
        try append("\"")
    }

    public func flush() throws {
        try chunk.withUnsafeBytes { try sink($0) }
        chunk.wipe()
    }

    /// A C1 control (UTF-8 C2 80-9F) or a bidirectional override or isolate (U+202A-U+202E,
    /// U+2066-U+2069) starting at `i`: its scalar value and length in bytes.
    private static func formatScalar(_ text: UnsafeRawBufferPointer, at i: Int) -> (UInt32, Int)? {
        if text[i] == 0xC2, i + 1 < text.count, (0x80...0x9F).contains(text[i + 1]) {
            return (UInt32(text[i + 1]), 2)
        }
        guard text[i] == 0xE2, i + 2 < text.count else { return nil }
        if text[i + 1] == 0x80, (0xAA...0xAE).contains(text[i + 2]) { return (0x2000 + UInt32(text[i + 2] - 0x80), 3) }
        if text[i + 1] == 0x81, (0xA6...0xA9).contains(text[i + 2]) { return (0x2040 + UInt32(text[i + 2] - 0x80), 3) }
        return nil
    }

    /// JSON's escape for a byte that cannot stand for itself in a string.
    private static func escape(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "\""): return "\\\""
        case UInt8(ascii: "\\"): return "\\\\"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x08: return "\\b"
        case 0x0C: return "\\f"
        default:
            let digits = Array("0123456789abcdef")
            return "\\u00" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0f)])
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
