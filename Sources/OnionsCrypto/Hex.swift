/// Hexadecimal text, lower case out, either case in.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Decodes hex, ignoring spaces, tabs and line breaks. Returns nil for any other
    /// character or an odd number of digits.
    public static func decode(_ text: String) -> [UInt8]? {
        decode(utf8: text.utf8)
    }

    private static func decode<Text: Collection<UInt8>>(utf8 text: Text) -> [UInt8]? {
        var out = [UInt8]()
        out.reserveCapacity(text.count / 2)  // one buffer: no copies left behind by growth
        var high: UInt8? = nil
        for c in text {
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                continue
            }
            guard let v = value(of: c) else { return nil }
            if let h = high {
                out.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        return high == nil ? out : nil
    }

    /// Decodes hex (as `decode`) straight into secret memory, for keys given as text.
    public static func decodeSecret(_ text: String) -> SecretBytes? {
        guard var bytes = decode(text) else { return nil }
        defer { OpenSSL.cleanse(&bytes) }
        return SecretBytes(copying: bytes)
    }

    /// Decodes hex text held in secret memory (a key file) straight into secret memory.
    public static func decodeSecret(_ text: SecretBytes) -> SecretBytes? {
        guard var bytes = text.withUnsafeBytes({ decode(utf8: $0) }) else { return nil }
        defer { OpenSSL.cleanse(&bytes) }
        return SecretBytes(copying: bytes)
    }

    /// `bytes` as lower-case hex, no separators.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func value(of c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
