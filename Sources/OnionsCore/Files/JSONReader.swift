/// Why bytes are not a JSON document, and where (0-based byte offset).
public struct JSONParseError: Error, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "byte \(offset): \(reason)" }
}

/// A tree of JSON values that `JSONReader` builds: the payload-free and scalar cases are the
/// enum's own cases; where a string value's bytes go while they are unescaped is `TextBuffer`,
/// so a tree holding secrets never sees them in a Swift String.
protocol JSONTree {
    associatedtype TextBuffer: JSONTextBuffer
    /// The deepest nesting of arrays and objects read.
    static var maximumDepth: Int { get }
    static var null: Self { get }
    static func bool(_ value: Bool) -> Self
    static func number(_ value: Double) -> Self
    static func array(_ items: [Self]) -> Self
    /// An object from its members in file order (a name may repeat).
    static func members(_ members: [(String, Self)]) -> Self
    /// The string value gathered in `text`; nil (with `text` discarded) when it is not UTF-8.
    static func string(_ text: TextBuffer) -> Self?
    /// Forgets a value read before the document turned out damaged.
    func discard()
}

/// Where the unescaped bytes of one string go.
protocol JSONTextBuffer {
    /// An empty buffer with room for `capacity` bytes (never more are appended).
    init(capacity: Int)
    mutating func append(_ byte: UInt8)
    /// Forgets the bytes of a string that turned out damaged.
    func discard()
}

/// Member names are format field names, never secret: they are gathered as plain bytes.
extension [UInt8]: JSONTextBuffer {
    init(capacity: Int) {
        self.init()
        reserveCapacity(capacity)
    }

    func discard() {}
}

/// The one recursive-descent JSON (RFC 8259) reader: numbers by the grammar, strings UTF-8 with
/// `\u` escapes as whole characters (surrogates only in pairs), nesting at most
/// `Tree.maximumDepth`, nothing after the value but blanks. On an error every value read so
/// far is discarded.
struct JSONReader<Tree: JSONTree> {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    /// Reads the one value filling `bytes`.
    static func document(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> Tree {
        var reader = JSONReader(bytes: bytes)
        let value = try reader.value(depth: 0)
        reader.skipBlanks()
        guard reader.index == bytes.count else {
            value.discard()
            throw reader.failure("text after the value")
        }
        return value
    }

    private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    private func failure(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipBlanks() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws(JSONParseError) {
        guard current == byte else { throw failure("expected '\(Character(Unicode.Scalar(byte)))'") }
        index += 1
    }

    private mutating func value(depth: Int) throws(JSONParseError) -> Tree {
        skipBlanks()
        guard let byte = current else { throw failure("the text ends where a value should be") }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return try stringValue()
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw failure("not the start of a value")
        }
    }

    private mutating func literal(_ word: StaticString, _ value: Tree) throws(JSONParseError) -> Tree {
        for byte in UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount) { try expect(byte) }
        return value
    }

    private mutating func object(depth: Int) throws(JSONParseError) -> Tree {
        var members: [(String, Tree)] = []
        do throws(JSONParseError) {
            try elements(closedBy: UInt8(ascii: "}"), depth: depth) { reader throws(JSONParseError) in
                reader.skipBlanks()
                guard reader.current == UInt8(ascii: "\"") else { throw reader.failure("expected a member name") }
                let name: [UInt8] = try reader.string()
                guard let key = String(validating: name, as: UTF8.self) else {
                    throw reader.failure("a string is not UTF-8")
                }
                reader.skipBlanks()
                try reader.expect(UInt8(ascii: ":"))
                members.append((key, try reader.value(depth: depth)))
            }
        } catch {
            members.forEach { $0.1.discard() }
            throw error
        }
        return .members(members)
    }

    private mutating func array(depth: Int) throws(JSONParseError) -> Tree {
        var items: [Tree] = []
        do throws(JSONParseError) {
            try elements(closedBy: UInt8(ascii: "]"), depth: depth) { reader throws(JSONParseError) in
                items.append(try reader.value(depth: depth))
            }
        } catch {
            items.forEach { $0.discard() }
            throw error
        }
        return .array(items)
    }

    /// Steps over an opening bracket and reads comma-separated elements with `element` up to
    /// `close`, refusing nesting deeper than the limit.
    private mutating func elements(closedBy close: UInt8, depth: Int,
                                   _ element: (inout JSONReader) throws(JSONParseError) -> Void) throws(JSONParseError) {
        guard depth <= Tree.maximumDepth else { throw failure("nested deeper than \(Tree.maximumDepth)") }
        index += 1
        skipBlanks()
        if current == close {
            index += 1
            return
        }
        while true {
            try element(&self)
            skipBlanks()
            if current == UInt8(ascii: ",") {
                index += 1
                continue
            }
            try expect(close)
            return
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func number() throws(JSONParseError) -> Double {
        let start = index
        func digits(_ reader: inout JSONReader) -> Int {
            let from = reader.index
            while let byte = reader.current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { reader.index += 1 }
            return reader.index - from
        }
        if current == UInt8(ascii: "-") { index += 1 }
        if current == UInt8(ascii: "0") {
            index += 1
        } else if digits(&self) == 0 {
            throw failure("a number needs digits")
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw failure("a number needs digits after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw failure("a number needs digits in its exponent") }
        }
        guard let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)), value.isFinite else {
            throw failure("a number out of range")
        }
        return value
    }

    private mutating func stringValue() throws(JSONParseError) -> Tree {
        let text: Tree.TextBuffer = try string()
        guard let value = Tree.string(text) else { throw failure("a string is not UTF-8") }
        return value
    }

    /// The unescaped bytes of the string starting at the current quote, in a buffer sized by
    /// the string's raw length (unescaping never lengthens it).
    private mutating func string<Buffer: JSONTextBuffer>() throws(JSONParseError) -> Buffer {
        index += 1
        var end = index
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
            end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
        }
        var out = Buffer(capacity: max(1, min(end, bytes.count) - index))
        do throws(JSONParseError) {
            while true {
                guard let byte = current else { throw failure("the text ends inside a string") }
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return out
                case UInt8(ascii: "\\"):
                    try escape(into: &out)
                case 0x00..<0x20:
                    index -= 1
                    throw failure("a control character inside a string")
                default:
                    out.append(byte)
                }
            }
        } catch {
            out.discard()
            throw error
        }
    }

    private mutating func escape<Buffer: JSONTextBuffer>(into out: inout Buffer) throws(JSONParseError) {
        guard let byte = current else { throw failure("the text ends inside a string") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var code = try hexQuad()
            if (0xD800..<0xDC00).contains(code) {
                guard current == UInt8(ascii: "\\") else { throw failure("a lone surrogate") }
                index += 1
                try expect(UInt8(ascii: "u"))
                let low = try hexQuad()
                guard (0xDC00..<0xE000).contains(low) else { throw failure("a lone surrogate") }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(code) else { throw failure("a lone surrogate") }
            for byte in scalar.utf8 { out.append(byte) }
        default:
            throw failure("an unknown escape")
        }
    }

    private mutating func hexQuad() throws(JSONParseError) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Character(Unicode.Scalar(byte)).hexDigitValue else {
                throw failure("\\u needs four hex digits")
            }
            code = code << 4 | UInt32(digit)
            index += 1
        }
        return code
    }
}
