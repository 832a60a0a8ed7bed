import XCTest

/// One `key: value` block of a vector file (keys as written, values trimmed).
struct VectorBlock {
    var fields: [String: String]

    subscript(_ key: String) -> String? { fields[key] }

    /// The hex field `key`, decoded (spaces and tabs ignored); fails the test when absent or bad.
    func hex(_ key: String, file: StaticString = #filePath, line: UInt = #line) -> [UInt8] {
        guard let text = fields[key] else {
            XCTFail("vector '\(fields["title"] ?? "?")' has no field \(key)", file: file, line: line)
            return []
        }
        guard let bytes = decodeTestHex(text) else {
            XCTFail("vector '\(fields["title"] ?? "?")' has bad hex in \(key)", file: file, line: line)
            return []
        }
        return bytes
    }
}

/// Parses the RNCryptor vector files: `#` comments, `key: value` lines, blocks split by blank lines.
enum VectorFile {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors")

    static func load(_ name: String) throws -> [VectorBlock] {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        var blocks: [VectorBlock] = []
        var current: [String: String] = [:]
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") { continue }
            if line.isEmpty {
                if !current.isEmpty { blocks.append(VectorBlock(fields: current)) }
                current = [:]
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            current[key] = value
        }
        if !current.isEmpty { blocks.append(VectorBlock(fields: current)) }
        return blocks
    }
}

/// Hex decoding for test data, independent of the module's own `Hex` (which is under test).
func decodeTestHex(_ text: String) -> [UInt8]? {
    let digits = text.filter { !$0.isWhitespace }
    guard digits.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        guard let byte = UInt8(digits[index..<next], radix: 16) else { return nil }
        out.append(byte)
        index = next
    }
    return out
}

