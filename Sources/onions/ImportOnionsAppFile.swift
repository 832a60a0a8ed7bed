import Foundation
import OnionsCrypto

/// A JSON export of the original Onions app's Parse `Onion` class, still encrypted.
///
/// `{"results": [{"objectId", "onionTitle", "onionInfo", "iterations", "onionVersion",
/// "userId", "createdAt", "updatedAt"}, …]}`. Titles and infos are base64 (64-character lines
/// allowed) of RNCryptor v3 password-form messages. Only ciphertext goes through Foundation's
/// JSON here; decryption happens later, field by field, into secret memory.
struct OnionsAppFile {
    /// One onion as the file holds it; `problem` says why it cannot be opened at all.
    struct Record {
        /// The Parse objectId (or "#N", its place in the file, when it has none).
        let objectId: String
        let title: [UInt8]
        let info: [UInt8]
        let settings: RNCryptor.KeySettings
        /// ISO 8601 text of the last change (for the import order); empty when absent.
        let updatedAt: String
        /// Set when a field is missing or not base64, or the version or iterations are unknown.
        let problem: String?
    }

    /// The most PBKDF2 iterations accepted per onion (the app used 10,000-ish).
    static let maximumIterations = 10_000_000

    let records: [Record]

    /// Why the file as a whole could not be read (it is not JSON, or has no `results` list).
    struct FormatError: Error, CustomStringConvertible {
        let description: String
    }

    init(decoding bytes: [UInt8]) throws {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw FormatError(description: "not JSON")
        }
        guard let top = object as? [String: Any], let results = top["results"] as? [Any] else {
            throw FormatError(description: "no \"results\" list (expected an export of the app's Onion class)")
        }
        records = results.enumerated().map { Self.record($1, index: $0) }
    }

    private static func record(_ value: Any, index: Int) -> Record {
        let fields = value as? [String: Any] ?? [:]
        let objectId = (fields["objectId"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? "#\(index + 1)"
        let updatedAt = fields["updatedAt"] as? String ?? fields["createdAt"] as? String ?? ""
        func broken(_ why: String) -> Record {
            Record(objectId: objectId, title: [], info: [], settings: .standard, updatedAt: updatedAt, problem: why)
        }
        guard value is [String: Any] else { return broken("not an object") }
        guard let titleText = fields["onionTitle"] as? String else { return broken("no onionTitle") }
        guard let title = Base64.decode(titleText) else { return broken("onionTitle is not base64") }
        guard let infoText = fields["onionInfo"] as? String else { return broken("no onionInfo") }
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

    /// A JSON number or numeric string as a Double.
    private static func number(_ value: Any?) -> Double? {
        if let n = value as? NSNumber { return n.doubleValue }
        if let s = value as? String { return Double(s) }
        return nil
    }

    private static func integer(_ value: Any?) -> Int? {
        guard let d = number(value), d == d.rounded(), abs(d) < 1e15 else { return nil }
        return Int(d)
    }
}
