import OnionsCrypto

/// A JSON export of the original Onions app's Parse `Onion` class, still encrypted.
///
/// `{"results": [{"objectId", "onionTitle", "onionInfo", "iterations", "onionVersion",
/// "userId", "createdAt", "updatedAt"}, …]}`. Titles and infos are base64 (64-character lines
/// allowed) of RNCryptor v3 password-form messages. Only ciphertext goes through the JSON
/// reader here; decryption happens later, field by field, into secret memory (`open`).
public struct OnionsAppFile: Sendable {
    /// One onion as the file holds it; `problem` says why it cannot be opened at all.
    public struct Record: Sendable {
        /// The Parse objectId (or "#N", its place in the file, when it has none).
        public let objectId: String
        public let title: [UInt8]
        public let info: [UInt8]
        public let settings: RNCryptor.KeySettings
        /// ISO 8601 text of the last change (for the import order); empty when absent.
        public let updatedAt: String
        /// Set when a field is missing or not base64, or the version or iterations are unknown.
        public let problem: String?
    }

    /// The most PBKDF2 iterations accepted per onion (the app used 10,000-ish).
    public static let maximumIterations = Limits.maximumPBKDF2Iterations

    public let records: [Record]

    /// Why the file as a whole could not be read (it is not JSON, or has no `results` list).
    public struct FormatError: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// Reads the export's JSON. Throws `FormatError` only when the file as a whole is not an
    /// export, or asks for more than `Limits` allow (file size, onions, PBKDF2 iterations over
    /// all onions, counted before any is derived); a record that is not usable gets its
    /// `problem` instead.
    public init(decoding bytes: [UInt8]) throws {
        guard bytes.count <= Limits.maximumOnionsAppFileBytes else {
            throw FormatError(description: Limits.exceeded("the file", found: bytes.count,
                                                           limit: Limits.maximumOnionsAppFileBytes, unit: "bytes"))
        }
        let top: JSONValue
        do {
            top = try JSONValue(parsing: bytes)
        } catch {
            throw FormatError(description: "not JSON")
        }
        guard let results = top["results"]?.array else {
            throw FormatError(description: "no \"results\" list (expected an export of the app's Onion class)")
        }
        guard results.count <= Limits.maximumOnionsPerImport else {
            throw FormatError(description: Limits.exceeded("the export", found: results.count,
                                                           limit: Limits.maximumOnionsPerImport, unit: "onions"))
        }
        records = results.enumerated().map { Self.record($1, index: $0) }
        // Each usable onion derives two keys (its title's and its info's salt).
        let work = records.reduce(0) { $0 + ($1.problem == nil ? 2 * $1.settings.iterations : 0) }
        guard work <= Limits.maximumPBKDF2IterationsPerImport else {
            throw FormatError(description: Limits.exceeded("the export's onions together", found: work,
                                                           limit: Limits.maximumPBKDF2IterationsPerImport,
                                                           unit: "PBKDF2 iterations"))
        }
    }

    private static func record(_ fields: JSONValue, index: Int) -> Record {
        let objectId = fields["objectId"]?.string.flatMap { $0.isEmpty ? nil : $0 } ?? "#\(index + 1)"
        let updatedAt = fields["updatedAt"]?.string ?? fields["createdAt"]?.string ?? ""
        func broken(_ why: String) -> Record {
            Record(objectId: objectId, title: [], info: [], settings: .standard, updatedAt: updatedAt, problem: why)
        }
        guard fields.isObject else { return broken("not an object") }
        guard let titleText = fields["onionTitle"]?.string else { return broken("no onionTitle") }
        guard let title = Base64.decode(titleText) else { return broken("onionTitle is not base64") }
        guard let infoText = fields["onionInfo"]?.string else { return broken("no onionInfo") }
        guard let info = Base64.decode(infoText) else { return broken("onionInfo is not base64") }
        guard let iterations = integer(fields["iterations"]), (1...maximumIterations).contains(iterations) else {
            return broken("iterations is missing or not a number from 1 to \(maximumIterations)")
        }
        let prf: PBKDF2.PRF
        switch number(fields["onionVersion"]) {
        case 1: prf = .sha512
        case 2: prf = .sha1
        default: return broken("onionVersion is missing or neither 1 nor 2")
        }
        return Record(objectId: objectId, title: title, info: info,
                      settings: RNCryptor.KeySettings(iterations: iterations, prf: prf), updatedAt: updatedAt,
                      problem: nil)
    }

    /// A JSON number, or a string holding one, as a Double (`true` and `false` are not numbers).
    private static func number(_ value: JSONValue?) -> Double? {
        value?.number ?? value?.string.flatMap { Double($0) }
    }

    private static func integer(_ value: JSONValue?) -> Int? {
        guard let d = number(value), d == d.rounded(), abs(d) < 1e15 else { return nil }
        return Int(d)
    }

    /// What decrypting one field with the app's password gave.
    public enum Field {
        case opened(SecretBytes)
        /// The HMAC did not match: a wrong password or a changed byte.
        case rejected
        /// Not even shaped like an RNCryptor message (cut short, another version).
        case malformed

        public var opened: SecretBytes? {
            if case .opened(let text) = self { return text }
            return nil
        }

        public var isRejected: Bool {
            if case .rejected = self { return true }
            return false
        }
    }

    /// Decrypts one field of a record into secret memory (the caller wipes an opened text).
    public static func open(_ message: [UInt8], _ settings: RNCryptor.KeySettings, password: SecretBytes) -> Field {
        do {
            return .opened(try password.withUnsafeBytes { try RNCryptor.decrypt(message, password: $0, settings: settings) })
        } catch CryptoError.authenticationFailed {
            return .rejected
        } catch {
            return .malformed
        }
    }
}
