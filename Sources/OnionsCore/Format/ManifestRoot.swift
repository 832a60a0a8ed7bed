import OnionsCrypto

/// The manifest's root (FORMAT.md section 8): the counter, the time of the last change, each
/// part's version and digest, and the journal of keys whose part has not been written since
/// they changed.
///
/// A save writes the parts the counter's schedule names (`SaveShape.scheduledParts`), not the
/// parts of what it changed; the root, written by every save, carries the rest until their
/// part's turn comes. Which parts a save writes then says nothing of the item it saved.
extension Manifest {
    /// The most keys a journal holds before a write folds them all into their parts: twice the
    /// parts and the fixed keys. A run of standard saves stays below it (each part is written
    /// every `partCount / SaveShape.parts` saves, and a save changes at most three keys outside
    /// part 0); a bulk write reaches it and writes the parts of everything it changed.
    var journalLimit: Int { 2 * partCount + 16 }

    /// Marks what the store's parts hold as this manifest's state: nothing in the journal. For
    /// a manifest whose every changed key is written in the parts it is about to seal (a sync
    /// round's merged manifest).
    mutating func clearJournal() { dirty.removeAll() }

    /// The payload length a root is padded as if it had at least: its part table and a journal
    /// of `partCount + 16` entries of 128 bytes (a key, its version, digest and a label of 40
    /// bytes or so), what the journal of a run of standard saves holds. A root's size then
    /// follows its part count, not how much its journal holds, but for a journal of many long
    /// labels (it takes the next step).
    var rootFloor: Int { 1 + 8 + 8 + 2 + partCount * 24 + 4 + (partCount + 16) * 128 }

    /// The parts holding a journalled key.
    var journalledParts: Set<Int> { Set(dirty.map { part(of: $0) }) }

    /// `9 | counter(u64) | changed(u64) | parts(u16) = P | P x (version(u64) | digest(16))`, P a
    /// power of two from 16 to 256; a part never written has version 0 and a zero digest. With
    /// a journal, kind 13 and after the parts
    /// `j(u32) | j x (logicalKey bytes16 | version(u64) | state(u8) [| digest(16) | label bytes16])`,
    /// sorted by key: state 1 live (with digest and label), 0 deleted, 2 listed by no one.
    func encodeRoot(labels: SecretTable) throws -> SecretBytes {
        let journal = dirty.map { (text: $0.text, key: $0) }.sorted { $0.text < $1.text }
        var size = 1 + 8 + 8 + 2 + partCount * 24
        if !journal.isEmpty {
            size += 4
            for (text, key) in journal { size += listingSize(key, text: text, labels: labels) }
        }
        let w = PayloadWriter(capacity: size)
        try w.u8(journal.isEmpty ? RecordKind.manifestRoot.rawValue : RecordKind.manifestJournal.rawValue)
        try w.u64(counter)
        try w.u64(changed)
        try w.u16(UInt16(partCount))
        for part in parts {
            try w.u64(part.version)
            try w.raw(part.digest?.bytes ?? [UInt8](repeating: 0, count: 16))
        }
        guard !journal.isEmpty else { return w.buffer }
        try w.u32(UInt32(journal.count))
        for (text, key) in journal { try writeListing(key, text: text, to: w, labels: labels) }
        return w.buffer
    }

    /// Decodes a manifest record's payload: a root (entries come from its parts, see
    /// `decodePart`, and its journal, which wins over them) or a whole format-1 manifest.
    /// Throws `VaultError.malformed`; labels added before the throw are removed again.
    static func decode(_ payload: SecretBytes, labels: SecretTable) throws -> Manifest {
        var r = PayloadReader(payload)
        let kind = payload.count > 0 ? payload.withUnsafeBytes { $0[0] } : 0
        if kind == RecordKind.manifest.rawValue { return try decodeLegacy(payload, labels: labels) }
        if kind != RecordKind.manifestJournal.rawValue { try r.expect(.manifestRoot) } else { _ = try r.u8() }
        let counter = try r.u64()
        let changed = try r.u64()
        let count = Int(try r.u16())
        guard count.nonzeroBitCount == 1, (minPartCount...maxPartCount).contains(count) else { throw VaultError.malformed }
        var m = Manifest(partCount: count)
        m.counter = counter
        m.changed = changed
        for i in 0..<count {
            let version = try r.u64()
            let digest = try r.raw(16)
            if version == 0 {
                guard digest.allSatisfy({ $0 == 0 }) else { throw VaultError.malformed }
            } else {
                m.parts[i] = Part(version: version, digest: RecordDigest(bytes: digest))
            }
        }
        if kind == RecordKind.manifestJournal.rawValue {
            do { try m.decodeJournal(&r, labels: labels) } catch {
                m.forgetLabels(in: labels)
                throw error
            }
        }
        try r.expectEnd()
        return m
    }

    /// The journal of a kind-13 root: at least one key, none twice, none of the manifest's own,
    /// and no more than `maxEntries`.
    private mutating func decodeJournal(_ r: inout PayloadReader, labels: SecretTable) throws {
        let n = Int(try r.u32())
        guard n > 0, n <= r.remaining / 11, n <= Self.maxEntries else { throw VaultError.malformed }
        for _ in 0..<n {
            guard let key = try r.withBytes({ LogicalKey(utf8: $0) }), !key.isManifest,
                  !dirty.contains(key) else { throw VaultError.malformed }
            let version = try r.u64()
            switch try r.u8() {
            case 1:
                let digest = RecordDigest(high: try r.u64(), low: try r.u64())
                let label = try r.withBytes { labels.add($0) }
                set(key, Entry(version: version, label: label, digest: digest))
            case 0:
                setDeleted(key, version: version)
            case 2:
                guard version == 0 else { throw VaultError.malformed }
                forget(key)
            default:
                throw VaultError.malformed
            }
        }
    }
}
