import Foundation
import OnionsCrypto

/// One frozen format vector (Tests/OnionsStoreTests/Vectors/format/README.md): `key: value`
/// lines in order, a key may repeat; `#` lines and empty lines are comments. Binary values are
/// lower-case hex unless the README says base64; texts are the hex of their UTF-8 bytes.
struct FormatVector {
    /// The file's name inside the folder, for messages.
    let file: String
    var fields: [(key: String, value: String)] = []

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    init(file: String) { self.file = file }

    init(file: String, text: String) throws {
        self.file = file
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw Problem(description: "\(file) line \(number + 1): not 'key: value'")
            }
            var value = line[line.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
            fields.append((String(line[..<colon]), String(value)))
        }
    }

    // MARK: Writing

    mutating func add(_ key: String, _ value: String) { fields.append((key, value)) }
    mutating func add(_ key: String, hex bytes: [UInt8]) { add(key, Hex.encode(bytes)) }
    mutating func add(_ key: String, text: String) { add(key, Hex.encode(Array(text.utf8))) }
    mutating func add(_ key: String, base64 bytes: [UInt8]) { add(key, Base64.encode(bytes)) }
    mutating func add<N: BinaryInteger>(_ key: String, _ number: N) { add(key, String(number)) }

    /// Comment lines written before the fields (what the case is, texts as a person reads them).
    var comments: [String] = []

    var encoded: String {
        comments.map { "# \($0)\n" }.joined() + fields.map { "\($0.key): \($0.value)\n" }.joined()
    }

    // MARK: Reading

    func has(_ key: String) -> Bool { fields.contains { $0.key == key } }

    func values(_ key: String) -> [String] { fields.filter { $0.key == key }.map(\.value) }

    /// The one value of `key`.
    func value(_ key: String) throws -> String {
        let found = values(key)
        guard found.count == 1 else { throw Problem(description: "\(file): \(found.count) '\(key)' lines, not one") }
        return found[0]
    }

    func hex(_ key: String) throws -> [UInt8] { try Self.hex(try value(key), key, file) }

    func base64(_ key: String) throws -> [UInt8] {
        guard let bytes = Base64.decode(try value(key)) else { throw Problem(description: "\(file): \(key) is not base64") }
        return bytes
    }

    func number(_ key: String) throws -> UInt64 {
        guard let n = UInt64(try value(key)) else { throw Problem(description: "\(file): \(key) is not a number") }
        return n
    }

    /// A text field: the UTF-8 bytes its hex gives.
    func text(_ key: String) throws -> [UInt8] { try hex(key) }

    static func hex(_ text: String, _ key: String, _ file: String) throws -> [UInt8] {
        if text.isEmpty { return [] }
        guard text == text.lowercased(), let bytes = Hex.decode(text) else {
            throw Problem(description: "\(file): \(key) is not lower-case hex")
        }
        return bytes
    }
}

/// The folder of the frozen vectors, beside this file.
enum FormatVectorFolder {
    static var url: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/format")
    }

    /// Every vector (`*.txt`) of a folder, by file name.
    static func vectors(in folder: URL) throws -> [FormatVector] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }.sorted()
        return try names.map { name in
            try FormatVector(file: name, text: String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)),
                                                      as: UTF8.self))
        }
    }

    /// The lines of `SHA256SUMS`: every file of the folder but itself and the README, as `sha256sum` writes them.
    static func checksums(of folder: URL) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0 != "SHA256SUMS" && $0 != "README.md" && !$0.hasPrefix(".") }.sorted()
        return try names.map { name in
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
            return "\(Hex.encode(SHA256.hash(bytes)))  \(name)\n"
        }.joined()
    }
}
