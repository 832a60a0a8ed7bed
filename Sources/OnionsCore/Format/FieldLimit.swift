import OnionsCrypto

/// A text field's limits: user-perceived characters (extended grapheme clusters) and bytes.
///
/// Characters are what a person counts (`é`, `👍🏽` and `家` count one each); the byte cap exists
/// because one character can be many bytes, and every record of a size class has a fixed size.
public struct FieldLimit: Sendable, Equatable {
    /// The field's name as the user sees it ("title").
    public let name: String
    public let minCharacters: Int
    public let maxCharacters: Int
    public let maxBytes: Int
    /// Whether a line break may appear (infos and descriptions, not titles).
    public let allowsLineBreaks: Bool

    public static let onionTitle = FieldLimit(name: "title", minCharacters: 1, maxCharacters: 30,
                                              maxBytes: 240, allowsLineBreaks: false)
    public static let onionInfo = FieldLimit(name: "info", minCharacters: 0, maxCharacters: 2_500,
                                             maxBytes: 8_000, allowsLineBreaks: true)
    /// An onion's folder path ("web/github.com"); empty is no folder.
    public static let onionFolder = FieldLimit(name: "folder", minCharacters: 0, maxCharacters: 200,
                                               maxBytes: 800, allowsLineBreaks: false)
    public static let cardRecipient = FieldLimit(name: "recipient", minCharacters: 1, maxCharacters: 30,
                                                 maxBytes: 240, allowsLineBreaks: false)
    public static let cardDescription = FieldLimit(name: "description", minCharacters: 0,
                                                   maxCharacters: 2_500, maxBytes: 8_000,
                                                   allowsLineBreaks: true)
    public static let taskDescription = FieldLimit(name: "task", minCharacters: 1, maxCharacters: 280,
                                                   maxBytes: 1_120, allowsLineBreaks: false)

    /// The live counter an editor shows: "812/2500", with the bytes added once they fill
    /// faster than the characters (many-byte characters such as emoji): "1000/2500 · 7800/8000 bytes".
    public func counter(characters: Int, bytes: Int) -> String {
        let text = "\(characters)/\(maxCharacters)"
        return bytesBind(characters: characters, bytes: bytes) ? text + " · \(bytes)/\(maxBytes) bytes" : text
    }

    /// True when the bytes are the nearer limit.
    public func bytesBind(characters: Int, bytes: Int) -> Bool {
        bytes > 0 && bytes * maxCharacters > characters * maxBytes
    }

    /// True when either limit is reached (the counter warns).
    public func isFull(characters: Int, bytes: Int) -> Bool {
        characters >= maxCharacters || bytes >= maxBytes - 3
    }

    /// Why a typed character was refused, as a sentence: the character limit when it is
    /// reached, otherwise the byte limit.
    public func refusal(characters: Int) -> String {
        let article = name.first.map { "aeiou".contains($0) } == true ? "An" : "A"
        if characters >= maxCharacters {
            return "\(article) \(name) holds at most \(maxCharacters) characters; that was not added."
        }
        return "\(article) \(name) holds at most \(maxBytes) bytes (some characters, such as emoji, take up to "
            + "\(maxBytes / maxCharacters) or more); that was not added."
    }

    /// Checks UTF-8 text against the limit. Throws `LimitError` naming the field, never its text.
    public func check(_ utf8: SecretBytes) throws {
        try utf8.withUnsafeBytes { try check($0) }
    }

    /// Checks UTF-8 text against the limit. Throws `LimitError` naming the field, never its text.
    public func check(_ utf8: UnsafeRawBufferPointer) throws {
        let bytes = utf8.bindMemory(to: UInt8.self)
        guard let scalars = TextScan.scalars(bytes) else {
            throw LimitError.notText(field: name)
        }
        for scalar in scalars where !TextScan.isAllowed(scalar, lineBreaks: allowsLineBreaks) {
            throw LimitError.controlCharacter(field: name, code: scalar.value)
        }
        let characters = TextScan.characterCount(bytes)
        if characters > maxCharacters {
            throw LimitError.tooLong(field: name, characters: characters, limit: maxCharacters)
        }
        if characters < minCharacters {
            throw LimitError.tooShort(field: name, minimum: minCharacters)
        }
        if bytes.count > maxBytes {
            throw LimitError.tooManyBytes(field: name, bytes: bytes.count, limit: maxBytes)
        }
    }
}

/// A text broke a field's limit. Messages name the field and the numbers, never the text.
public enum LimitError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooLong(field: String, characters: Int, limit: Int)
    case tooShort(field: String, minimum: Int)
    case tooManyBytes(field: String, bytes: Int, limit: Int)
    case notText(field: String)
    case controlCharacter(field: String, code: UInt32)

    public var description: String {
        switch self {
        case .tooLong(let field, let n, let limit):
            return "\(field) is \(n) characters long; the limit is \(limit)"
        case .tooShort(let field, let minimum):
            return minimum == 1 ? "\(field) may not be empty"
                : "\(field) needs at least \(minimum) characters"
        case .tooManyBytes(let field, let n, let limit):
            return "\(field) takes \(n) bytes; the limit is \(limit) bytes (some characters take several)"
        case .notText(let field):
            return "\(field) is not valid UTF-8 text"
        case .controlCharacter(let field, let code):
            let hex = String(code, radix: 16, uppercase: true)
            return "\(field) contains a control character (U+\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex))"
        }
    }
}

/// Scans UTF-8 without keeping copies of it.
public enum TextScan {
    /// The scalars of valid UTF-8, or nil when the bytes are not valid UTF-8.
    public static func scalars(_ bytes: UnsafeBufferPointer<UInt8>) -> [Unicode.Scalar]? {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(bytes.count)
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): result.append(s)
            case .emptyInput: return result
            case .error: return nil
            }
        }
    }

    /// True when a scalar may be stored in a text field: no C0/C1 controls except a line break
    /// where allowed (and tab in multi-line text), no lone surrogates (UTF-8 excludes them).
    public static func isAllowed(_ scalar: Unicode.Scalar, lineBreaks: Bool) -> Bool {
        switch scalar.value {
        case 0x0A: return lineBreaks
        case 0x09: return lineBreaks
        case 0x00...0x1F, 0x7F...0x9F: return false
        default: return true
        }
    }

    /// The number of user-perceived characters (extended grapheme clusters) in valid UTF-8.
    ///
    /// Uses a transient String (Swift's grapheme breaking lives there); freed heap is scrubbed
    /// by the process-wide allocator settings (see ProcessHardening).
    public static func characterCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var ascii = true
        for b in bytes where b >= 0x80 || b == 0x0D { ascii = false; break }
        if ascii { return bytes.count }
        return String(decoding: bytes, as: UTF8.self).count
    }
}
