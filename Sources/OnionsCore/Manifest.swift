import OnionsCrypto

/// The sealed list of every logical record with its version, and a counter that only grows.
///
/// A store that deletes, replays or rolls back records cannot also forge the manifest, so
/// comparing the two names what it did. Each entry carries a label (the title, recipient or
/// task text) so that a missing or damaged record is reported by name.
struct Manifest {
    struct Entry {
        var version: UInt64
        /// Handle of the label in the session's secret table.
        var label: Int
    }

    var counter: UInt64 = 0
    var entries: [LogicalKey: Entry] = [:]

    /// Payload: `kind(1)=7 | counter(u64) | n(u32) | n x (key bytes16 | version u64 | label bytes16)`,
    /// entries sorted by the key's text (byte order). A reader refuses a key that does not parse,
    /// a key listed twice and leftover bytes.
    func encode(labels: SecretTable) throws -> SecretBytes {
        var size = 1 + 8 + 4
        let keyed = entries.map { (text: $0.key.text, entry: $0.value) }.sorted { $0.text < $1.text }
        for (text, entry) in keyed { size += 2 + text.utf8.count + 8 + 2 + labels.count(entry.label) }
        let w = PayloadWriter(capacity: size)
        try w.u8(RecordKind.manifest.rawValue)
        try w.u64(counter)
        try w.u32(UInt32(entries.count))
        for (text, entry) in keyed {
            try w.bytes(Array(text.utf8))
            try w.u64(entry.version)
            try labels.withBytes(entry.label) { try w.bytes($0) }
        }
        return w.buffer
    }

    static func decode(_ payload: SecretBytes, labels: SecretTable) throws -> Manifest {
        var r = PayloadReader(payload)
        try r.expect(.manifest)
        var m = Manifest()
        m.counter = try r.u64()
        let n = Int(try r.u32())
        guard n <= r.remaining else { throw VaultError.malformed }
        m.entries.reserveCapacity(n)
        labels.reserve(bytes: min(r.remaining, n * 40), handles: n)
        for _ in 0..<n {
            guard let key = LogicalKey(text: String(decoding: try r.publicBytes(), as: UTF8.self)),
                  key != .manifest, m.entries[key] == nil else { throw VaultError.malformed }
            let version = try r.u64()
            let label = try r.withBytes { labels.add($0) }
            m.entries[key] = Entry(version: version, label: label)
        }
        try r.expectEnd()
        return m
    }
}
