/// Clipboard escape sequences (OSC 52) that reach the user's own clipboard over ssh.
///
/// Write the result with `TerminalBackend.writeRaw`. The encoder writes into a buffer the
/// caller provides and allocates nothing, so the caller can keep plaintext and its encoding in
/// secret memory. Terminals that do not support OSC 52 ignore it; tmux passes it on only with
/// `set-clipboard on`.
public enum OSC52 {
    private static let prefix: [UInt8] = Array("\u{1b}]52;c;".utf8)
    private static let terminator: UInt8 = 0x07
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The sequence that clears the clipboard: it sets one space, because tmux ignores an
    /// empty text and would keep the copy.
    public static let clearSequence: [UInt8] = prefix + Array("IA==".utf8) + [terminator]

    /// Bytes `encode` writes for a payload of `count` bytes.
    public static func sequenceLength(payloadCount count: Int) -> Int {
        prefix.count + (count + 2) / 3 * 4 + 1
    }

    /// Writes the sequence that puts `payload` (UTF-8 text) on the clipboard into `buffer` and
    /// returns the bytes written, or nil when `buffer` is shorter than `sequenceLength`.
    public static func encode(_ payload: UnsafeRawBufferPointer, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        let needed = sequenceLength(payloadCount: payload.count)
        guard buffer.count >= needed else { return nil }
        var out = 0
        for byte in prefix {
            buffer[out] = byte
            out += 1
        }
        var index = 0
        while index < payload.count {
            let a = UInt32(payload[index])
            let b = index + 1 < payload.count ? UInt32(payload[index + 1]) : 0
            let c = index + 2 < payload.count ? UInt32(payload[index + 2]) : 0
            let group = a << 16 | b << 8 | c
            let remaining = payload.count - index
            buffer[out] = alphabet[Int(group >> 18 & 63)]
            buffer[out + 1] = alphabet[Int(group >> 12 & 63)]
            buffer[out + 2] = remaining > 1 ? alphabet[Int(group >> 6 & 63)] : UInt8(ascii: "=")
            buffer[out + 3] = remaining > 2 ? alphabet[Int(group & 63)] : UInt8(ascii: "=")
            out += 4
            index += 3
        }
        buffer[out] = terminator
        return out + 1
    }
}
