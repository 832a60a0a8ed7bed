/// Time-based one-time passwords (RFC 6238) from an `otpauth://totp/...` URI or a base32 seed.
///
/// The seed lives in secret memory from the moment it is decoded; codes come back in secret
/// memory too (ASCII digits). Only the standard parameters are read: `secret`, `algorithm`
/// (SHA1, SHA256, SHA512), `digits` (6 to 10) and `period` (seconds, 1 to 86,400).
public final class TOTP: @unchecked Sendable {
    /// Why a URI or seed is not a usable TOTP description. Never carries the seed.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case notTOTP
        case badSecret
        case badParameter(String)

        public var description: String {
            switch self {
            case .notTOTP: return "not an otpauth://totp/ URI"
            case .badSecret: return "the TOTP secret is missing or not base32"
            case .badParameter(let name): return "the TOTP parameter \(name) has a value this program does not take"
            }
        }
    }

    public let seed: SecretBytes
    public let algorithm: Digest.Algorithm
    public let digits: Int
    public let period: Int

    /// A generator from the raw seed (copied), with RFC 6238's parameters.
    public init(seed: SecretBytes, algorithm: Digest.Algorithm = .sha1, digits: Int = 6, period: Int = 30) throws(ParseError) {
        guard (6...10).contains(digits) else { throw .badParameter("digits") }
        guard (1...86_400).contains(period) else { throw .badParameter("period") }
        guard seed.count > 0 else { throw .badSecret }
        self.seed = seed.copy()
        self.algorithm = algorithm
        self.digits = digits
        self.period = period
    }

    /// A generator from a base32 seed as peers store it (case, spaces and `=` padding ignored).
    public convenience init(base32 text: UnsafeRawBufferPointer) throws(ParseError) {
        guard let seed = Base32.decode(text) else { throw .badSecret }
        defer { seed.wipe() }
        try self.init(seed: seed)
    }

    /// A generator from an `otpauth://totp/LABEL?secret=...` URI (UTF-8 bytes).
    public convenience init(uri: UnsafeRawBufferPointer) throws(ParseError) {
        let prefix = Array("otpauth://totp/".utf8)
        guard uri.count > prefix.count,
              zip(uri.prefix(prefix.count), prefix).allSatisfy({ lower($0) == $1 }) else { throw .notTOTP }
        guard let question = uri.firstIndex(of: UInt8(ascii: "?")) else { throw .badSecret }
        var seed: SecretBytes?
        defer { seed?.wipe() }
        var algorithm = Digest.Algorithm.sha1, digits = 6, period = 30
        var start = question + 1
        while start < uri.count {
            let end = uri[start...].firstIndex(of: UInt8(ascii: "&")) ?? uri.count
            let pair = UnsafeRawBufferPointer(rebasing: uri[start..<end])
            start = end + 1
            guard let equals = pair.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = String(decoding: pair[pair.startIndex..<equals].map(lower), as: UTF8.self)
            let value = UnsafeRawBufferPointer(rebasing: pair[(equals + 1)...])
            switch name {
            case "secret":
                let decoded = try Self.percentDecoded(value)
                defer { decoded.wipe() }
                seed?.wipe()
                seed = decoded.withUnsafeBytes { Base32.decode($0) }
                guard seed != nil else { throw .badSecret }
            case "algorithm":
                switch String(decoding: value.map(lower), as: UTF8.self) {
                case "sha1": algorithm = .sha1
                case "sha256": algorithm = .sha256
                case "sha512": algorithm = .sha512
                default: throw .badParameter("algorithm")
                }
            case "digits":
                guard let n = Int(String(decoding: value, as: UTF8.self)) else { throw .badParameter("digits") }
                digits = n
            case "period":
                guard let n = Int(String(decoding: value, as: UTF8.self)) else { throw .badParameter("period") }
                period = n
            default:
                continue
            }
        }
        guard let seed else { throw .badSecret }
        try self.init(seed: seed, algorithm: algorithm, digits: digits, period: period)
    }

    deinit { seed.wipe() }

    /// The code for `time` (seconds since 1970), as ASCII digits in secret memory.
    public func code(at time: Int64) -> SecretBytes {
        var counter = UInt64(max(0, time) / Int64(period)).bigEndian
        var mac = withUnsafeBytes(of: &counter) { HMAC.code(algorithm, key: seed, message: $0) }
        defer { for i in mac.indices { mac[i] = 0 } }
        let offset = Int(mac[mac.count - 1] & 0x0f)
        var value = (UInt64(mac[offset] & 0x7f) << 24 | UInt64(mac[offset + 1]) << 16
                     | UInt64(mac[offset + 2]) << 8 | UInt64(mac[offset + 3]))
        var modulus: UInt64 = 1
        for _ in 0..<digits { modulus *= 10 }
        value %= modulus
        let out = SecretBytes(count: digits)
        out.withUnsafeMutableBytes { o in
            for i in stride(from: digits - 1, through: 0, by: -1) {
                o[i] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        return out
    }

    /// Seconds until the code for `time` changes (1...period).
    public func secondsLeft(at time: Int64) -> Int {
        period - Int(max(0, time) % Int64(period))
    }

    private static func percentDecoded(_ value: UnsafeRawBufferPointer) throws(ParseError) -> SecretBytes {
        let out = SecretBytes(count: 0, capacity: max(1, value.count))
        var i = 0
        while i < value.count {
            if value[i] == UInt8(ascii: "%") {
                guard i + 2 < value.count, let high = hexValue(value[i + 1]), let low = hexValue(value[i + 2]) else {
                    out.wipe()
                    throw .badSecret
                }
                out.append(byte: high << 4 | low)
                i += 3
            } else {
                out.append(byte: value[i])
                i += 1
            }
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

private func lower(_ c: UInt8) -> UInt8 {
    (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c) ? c + 32 : c
}

/// Base32 (RFC 4648 section 6) as TOTP seeds are written.
public enum Base32 {
    /// The bytes `text` spells, in secret memory; case, spaces, hyphens and `=` padding are
    /// ignored. Nil for any other character or an impossible length.
    public static func decode(_ text: UnsafeRawBufferPointer) -> SecretBytes? {
        let out = SecretBytes(count: 0, capacity: max(1, text.count * 5 / 8 + 1))
        var buffer: UInt64 = 0
        var bits = 0
        var symbols = 0
        for c in text {
            let value: UInt8
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = c - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = c - UInt8(ascii: "a")
            case UInt8(ascii: "2")...UInt8(ascii: "7"): value = c - UInt8(ascii: "2") + 26
            case UInt8(ascii: "="), UInt8(ascii: " "), UInt8(ascii: "-"): continue
            default:
                out.wipe()
                return nil
            }
            symbols += 1
            buffer = buffer << 5 | UInt64(value)
            bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(byte: UInt8(truncatingIfNeeded: buffer >> UInt64(bits)))
            }
        }
        buffer = 0
        // 1, 3 and 6 leftover symbols cannot end a base32 text.
        guard [0, 2, 4, 5, 7].contains(symbols % 8), out.count > 0 else {
            out.wipe()
            return nil
        }
        return out
    }
}
