import OnionsCore
import OnionsCrypto

/// `--json`: one JSON document per command on standard output, built in secret memory so that
/// texts of the vault go from there straight to the output.
///
/// Field names are stable (the man page lists them); texts are JSON strings, counts numbers,
/// and a missing value is `null`.
struct JSONOutput {
    let out = SecretJSONOutput { writeRawStdout($0) }

    /// Runs `body` to build the document, then ends it with a line break and writes it.
    static func write(_ body: (JSONOutput) throws -> Void) throws {
        let json = JSONOutput()
        try body(json)
        try json.out.append("\n")
        try json.out.flush()
    }

    /// `{"name": [{...}, ...]}` for a listing command: `fields` writes the inside of each
    /// item's object.
    static func writeList<T>(_ name: String, _ items: [T], _ fields: @escaping (JSONOutput, T) throws -> Void) throws {
        try write { out in
            try out.raw("{")
            try out.key(name)
            try out.array(items) { item in
                try out.raw("{")
                try fields(out, item)
                try out.raw("}")
            }
            try out.raw("}")
        }
    }

    func raw(_ text: String) throws { try out.append(text) }

    /// `"name":` (names are plain ASCII).
    func key(_ name: String) throws { try out.append("\"\(name)\":") }

    func string(_ bytes: UnsafeRawBufferPointer) throws { try out.appendJSONString(bytes) }

    func string(_ secret: SecretBytes) throws { try secret.withUnsafeBytes { try out.appendJSONString($0) } }

    func string(_ table: SecretTable, _ handle: Int) throws { try table.withBytes(handle) { try out.appendJSONString($0) } }

    /// A text that is no secret (a setting, a sync message), or null.
    func string(_ text: String?) throws {
        guard var text else { return try out.append("null") }
        try text.withUTF8 { try out.appendJSONString(UnsafeRawBufferPointer($0)) }
    }

    /// `[...]` of `items`, each written by `element`.
    func array<T>(_ items: [T], _ element: (T) throws -> Void) throws {
        try raw("[")
        for (i, item) in items.enumerated() {
            if i > 0 { try raw(",") }
            try element(item)
        }
        try raw("]")
    }
}
