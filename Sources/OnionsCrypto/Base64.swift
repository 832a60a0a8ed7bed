/// Standard base64 (RFC 4648 section 4, with `=` padding).
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// `bytes` as one line of base64, no line breaks.
    public static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { encode($0) }
    }

    /// Raw bytes as one line of base64.
    public static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i])
            let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let triple = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(triple >> 18 & 63)])
            out.append(alphabet[Int(triple >> 12 & 63)])
            out.append(i + 1 < bytes.count ? alphabet[Int(triple >> 6 & 63)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[Int(triple & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Base64 broken into lines of `lineLength` characters (the Onions app wrote 64 with
    /// CR LF between lines, as Foundation's `lineLength64Characters` does); no break at the end.
    public static func encode(_ bytes: [UInt8], lineLength: Int, lineBreak: String = "\r\n") -> String {
        precondition(lineLength > 0, "line length must be positive")
        let flat = Array(encode(bytes).utf8)
        var out = [UInt8]()
        var start = 0
        while start < flat.count {
            if start > 0 { out += Array(lineBreak.utf8) }
            out += flat[start..<min(start + lineLength, flat.count)]
            start += lineLength
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes base64, ignoring spaces, tabs and line breaks. Returns nil for any other
    /// character outside the alphabet, misplaced `=`, or a length that is not a whole number
    /// of 4-character groups (padding is required).
    public static func decode(_ text: String) -> [UInt8]? {
        var values = [UInt8]()
        var padding = 0
        for c in text.utf8 {
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                continue
            case UInt8(ascii: "="):
                padding += 1
                values.append(0)
            default:
                guard padding == 0, let v = value(of: c) else { return nil }
                values.append(v)
            }
        }
        guard values.count % 4 == 0, padding <= 2 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(values.count / 4 * 3)
        var i = 0
        while i < values.count {
            let quad = UInt32(values[i]) << 18 | UInt32(values[i + 1]) << 12 | UInt32(values[i + 2]) << 6 | UInt32(values[i + 3])
            out.append(UInt8(quad >> 16 & 0xff))
            out.append(UInt8(quad >> 8 & 0xff))
            out.append(UInt8(quad & 0xff))
            i += 4
        }
        out.removeLast(padding)
        return out
    }

    /// Decodes base64 text into secret memory (for protected values inside a decrypted
    /// document), under the same rules as `decode(_:)`; nil when it is not base64.
    public static func decodeSecret(_ text: UnsafeRawBufferPointer) -> SecretBytes? {
        let out = SecretBytes(count: 0, capacity: max(1, text.count / 4 * 3 + 3))
        var quad: UInt32 = 0, filled = 0, padding = 0
        for c in text {
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { continue }
            let v: UInt8
            if c == UInt8(ascii: "=") {
                padding += 1
                v = 0
            } else {
                guard padding == 0, let value = value(of: c) else { out.wipe(); return nil }
                v = value
            }
            quad = quad << 6 | UInt32(v)
            filled += 1
            if filled == 4 {
                let keep = 3 - padding
                guard keep >= 1 else { out.wipe(); return nil }
                for shift in [16, 8, 0].prefix(keep) { out.append(byte: UInt8(quad >> UInt32(shift) & 0xff)) }
                quad = 0
                filled = 0
                if padding > 0 { padding = 3 }  // nothing may follow a padded group
            }
        }
        guard filled == 0, padding == 0 || padding == 3 else { out.wipe(); return nil }
        return out
    }

    private static func value(of c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): c - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): c - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
