/// A JSON document (RFC 8259) read into values, for files that hold no secret (`SecretJSON`
/// reads those that do; both come from `JSONReader`).
///
/// Numbers are Doubles; an object keeps the last of a repeated key; strings must be UTF-8 and
/// their `\u` escapes whole characters (surrogates only in pairs). Nesting deeper than
/// `maximumDepth` is refused, so a hostile file cannot exhaust the stack.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The deepest nesting of arrays and objects read.
    public static let maximumDepth = 256

    /// Why bytes are not a JSON document, and where (0-based byte offset).
    public typealias ParseError = JSONParseError

    /// Reads one JSON value that fills `bytes` (blanks around it allowed).
    public init(parsing bytes: [UInt8]) throws(ParseError) {
        self = try bytes.withUnsafeBytes { raw in
            Result { () throws(ParseError) in try JSONReader<JSONValue>.document(raw) }
        }.get()
    }

    /// The member `key` of an object; nil for a missing key or a value that is not an object.
    public subscript(key: String) -> JSONValue? { if case .object(let members) = self { members[key] } else { nil } }

    public var string: String? { if case .string(let text) = self { text } else { nil } }

    public var number: Double? { if case .number(let value) = self { value } else { nil } }

    public var array: [JSONValue]? { if case .array(let items) = self { items } else { nil } }

    public var isObject: Bool { if case .object = self { true } else { false } }
}

extension JSONValue: JSONTree {
    static func members(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(Dictionary(members, uniquingKeysWith: { $1 }))
    }

    static func string(_ text: [UInt8]) -> JSONValue? {
        String(validating: text, as: UTF8.self).map(JSONValue.string)
    }

    func discard() {}
}
