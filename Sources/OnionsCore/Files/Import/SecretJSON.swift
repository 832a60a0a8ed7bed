import OnionsCrypto

/// A JSON document (RFC 8259) whose string values stay in secret memory: for exports that
/// hold passwords and notes (Bitwarden, onions' own plain export).
///
/// Member names become Strings (they are the format's field names); every string value is its
/// own `SecretBytes`, wiped by `wipe()`. Numbers are Doubles. Nesting deeper than 64 levels is
/// refused, as are invalid UTF-8, lone surrogates and text after the value.
public indirect enum SecretJSON {
    case null
    case bool(Bool)
    case number(Double)
    case string(SecretBytes)
    case array([SecretJSON])
    case object([(String, SecretJSON)])

    static let maximumDepth = 64

    /// Reads one document filling `bytes`. Throws `.damaged` naming the byte offset.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(ImportError) -> SecretJSON {
        var parser = Parser(bytes: bytes)
        let value = try parser.value(depth: 0)
        parser.skipBlanks()
        guard parser.index == bytes.count else {
            value.wipe()
            throw parser.failure("text after the value")
        }
        return value
    }

    /// Reads the document held by `document`.
    public static func parse(_ document: SecretBytes) throws(ImportError) -> SecretJSON {
        try document.withUnsafeBytes { raw in Result { () throws(ImportError) in try parse(raw) } }.get()
    }

    /// The last member named `key` of an object.
    public subscript(key: String) -> SecretJSON? {
        if case .object(let members) = self { return members.last { $0.0 == key }?.1 }
        return nil
    }

    public var secret: SecretBytes? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var number: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var array: [SecretJSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// A string value that is not secret (an id, a type name, a salt) as a String.
    public var plainString: String? {
        secret?.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Wipes every string value in the document.
    public func wipe() {
        switch self {
        case .string(let s): s.wipe()
        case .array(let items): items.forEach { $0.wipe() }
        case .object(let members): members.forEach { $0.1.wipe() }
        default: break
        }
    }
}

private struct Parser {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    func failure(_ reason: String) -> ImportError { .damaged("JSON at byte \(index): \(reason)") }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipBlanks() {
        while let b = current, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { index += 1 }
    }

    mutating func value(depth: Int) throws(ImportError) -> SecretJSON {
        guard depth < SecretJSON.maximumDepth else { throw failure("nested too deep") }
        skipBlanks()
        guard let b = current else { throw failure("the text ends where a value should be") }
        switch b {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw failure("not the start of a value")
        }
    }

    mutating func literal(_ word: StaticString, _ value: SecretJSON) throws(ImportError) -> SecretJSON {
        let w = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard index + w.count <= bytes.count, bytes[index..<index + w.count].elementsEqual(w) else {
            throw failure("not the start of a value")
        }
        index += w.count
        return value
    }

    mutating func object(depth: Int) throws(ImportError) -> SecretJSON {
        var members: [(String, SecretJSON)] = []
        do throws(ImportError) {
            index += 1
            skipBlanks()
            if current == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipBlanks()
                guard current == UInt8(ascii: "\"") else { throw failure("expected a member name") }
                let key = try string()
                let name = key.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
                key.wipe()
                skipBlanks()
                guard current == UInt8(ascii: ":") else { throw failure("expected ':'") }
                index += 1
                members.append((name, try value(depth: depth + 1)))
                skipBlanks()
                if current == UInt8(ascii: ",") { index += 1; continue }
                guard current == UInt8(ascii: "}") else { throw failure("expected ',' or '}'") }
                index += 1
                return .object(members)
            }
        } catch {
            members.forEach { $0.1.wipe() }
            throw error
        }
    }

    mutating func array(depth: Int) throws(ImportError) -> SecretJSON {
        var items: [SecretJSON] = []
        do throws(ImportError) {
            index += 1
            skipBlanks()
            if current == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            while true {
                items.append(try value(depth: depth + 1))
                skipBlanks()
                if current == UInt8(ascii: ",") { index += 1; continue }
                guard current == UInt8(ascii: "]") else { throw failure("expected ',' or ']'") }
                index += 1
                return .array(items)
            }
        } catch {
            items.forEach { $0.wipe() }
            throw error
        }
    }

    mutating func number() throws(ImportError) -> Double {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        while let b = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || b == UInt8(ascii: ".")
                || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") {
            index += 1
        }
        guard let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)), value.isFinite else {
            throw failure("not a number")
        }
        return value
    }

    /// A string value, unescaped into secret memory sized by its raw length.
    mutating func string() throws(ImportError) -> SecretBytes {
        index += 1
        var end = index
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
            end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
        }
        guard end < bytes.count else { throw failure("the text ends inside a string") }
        let out = SecretBytes(count: 0, capacity: max(1, end - index))
        do throws(ImportError) {
            while index < end {
                let b = bytes[index]
                index += 1
                if b < 0x20 { index -= 1; throw failure("a control character inside a string") }
                guard b == UInt8(ascii: "\\") else { out.append(byte: b); continue }
                try escape(into: out)
            }
            index = end + 1
            guard out.withUnsafeBytes({ TextScan.scalars($0.bindMemory(to: UInt8.self)) != nil }) else {
                throw failure("a string is not UTF-8")
            }
            return out
        } catch {
            out.wipe()
            throw error
        }
    }

    mutating func escape(into out: SecretBytes) throws(ImportError) {
        guard let b = current else { throw failure("the text ends inside a string") }
        index += 1
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte: b)
        case UInt8(ascii: "b"): out.append(byte: 0x08)
        case UInt8(ascii: "f"): out.append(byte: 0x0C)
        case UInt8(ascii: "n"): out.append(byte: 0x0A)
        case UInt8(ascii: "r"): out.append(byte: 0x0D)
        case UInt8(ascii: "t"): out.append(byte: 0x09)
        case UInt8(ascii: "u"):
            var code = try hexQuad()
            if (0xD800..<0xDC00).contains(code) {
                guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw failure("a lone surrogate")
                }
                index += 2
                let low = try hexQuad()
                guard (0xDC00..<0xE000).contains(low) else { throw failure("a lone surrogate") }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(code) else { throw failure("a lone surrogate") }
            for byte in scalar.utf8 { out.append(byte: byte) }
        default:
            throw failure("an unknown escape")
        }
    }

    mutating func hexQuad() throws(ImportError) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let b = current, let digit = Character(Unicode.Scalar(b)).hexDigitValue else {
                throw failure("\\u needs four hex digits")
            }
            code = code << 4 | UInt32(digit)
            index += 1
        }
        return code
    }
}
