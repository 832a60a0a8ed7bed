import OnionsCrypto

/// A JSON document (RFC 8259) whose string values stay in secret memory: for exports that
/// hold passwords and notes (Bitwarden, onions' own plain export).
///
/// Member names become Strings (they are the format's field names); every string value is its
/// own `SecretBytes`, unescaped into it straight from the input and wiped by `wipe()`. Read by
/// the same `JSONReader` as `JSONValue` (same grammar and refusals) but nesting deeper than 64
/// levels is refused.
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
        do {
            return try JSONReader<SecretJSON>.document(bytes)
        } catch {
            throw .damaged("JSON at byte \(error.offset): \(error.reason)")
        }
    }

    /// Reads the document held by `document`.
    public static func parse(_ document: SecretBytes) throws(ImportError) -> SecretJSON {
        try document.withUnsafeBytes { raw in Result { () throws(ImportError) in try parse(raw) } }.get()
    }

    /// The last member named `key` of an object.
    public subscript(key: String) -> SecretJSON? {
        if case .object(let members) = self { members.last { $0.0 == key }?.1 } else { nil }
    }

    public var secret: SecretBytes? { if case .string(let s) = self { s } else { nil } }

    public var number: Double? { if case .number(let n) = self { n } else { nil } }

    public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }

    public var array: [SecretJSON]? { if case .array(let items) = self { items } else { nil } }

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

extension SecretJSON: JSONTree {
    /// Each string value is unescaped straight into its own secret memory.
    struct TextBuffer: JSONTextBuffer {
        let bytes: SecretBytes

        init(capacity: Int) { bytes = SecretBytes(count: 0, capacity: capacity) }

        func append(_ byte: UInt8) { bytes.append(byte: byte) }

        func discard() { bytes.wipe() }
    }

    static func members(_ members: [(String, SecretJSON)]) -> SecretJSON { .object(members) }

    static func string(_ text: TextBuffer) -> SecretJSON? {
        guard text.bytes.withUnsafeBytes({ TextScan.scalars($0.bindMemory(to: UInt8.self)) != nil }) else {
            text.discard()
            return nil
        }
        return .string(text.bytes)
    }

    func discard() { wipe() }
}
