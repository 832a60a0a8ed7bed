import OnionsCrypto

/// The sealed list of every logical record with its version and content digest, tombstones
/// included, and a counter that only grows.
///
/// A store that deletes, replays, swaps or rolls back records cannot also forge the manifest, so
/// comparing the two names what it did. Each live entry carries a label (the title, recipient or
/// task text) so that a missing or damaged record is reported by name.
///
/// Stored in parts (FORMAT.md section 8): a root under `manifest` with the counter, the time of
/// the last change, the number of parts (16 to 256, following the vault's size) and the version
/// and digest of each part; each part (`manifest/<2 hex>`) lists the keys `part(of:)` assigns to
/// it. A save re-writes the root and the two parts its counter names, the root carrying the
/// journal of changed keys whose part has not been written since (`ManifestRoot.swift`), so its
/// cost does not grow with the vault and its parts say nothing of what it saved; the one save
/// that finds the vault outgrew its parts writes them all.
struct Manifest {
    struct Entry {
        var version: UInt64
        /// Handle of the label in the session's secret table.
        var label: Int
        /// The sealed record's GCM tag; nil only for entries read from a format-1 manifest.
        var digest: RecordDigest?
    }

    /// Where one part is: its store version (0: never written, it lists nothing) and digest.
    struct Part: Equatable {
        var version: UInt64 = 0
        var digest: RecordDigest?
    }

    /// The most parts a manifest has (a key's part comes from one byte), and the fewest.
    static let maxPartCount = 256
    static let minPartCount = 16
    /// How many keys a part lists on average before the manifest doubles its parts: about 3 KiB
    /// of entries, so that a part of a vault below 256 parts fits the first padding step (4 KiB).
    static let keysPerPart = 32
    /// The most entries and tombstones a manifest may list (a hostile store could name more).
    static let maxEntries = 2_000_000

    /// The record names of every part a manifest may have (256), in part order, under `keys`.
    static func partNames(_ keys: DataKeys) -> [RecordName] {
        (0..<maxPartCount).map { keys.name(.manifestPart(UInt8($0))) }
    }

    /// The number of parts for a manifest that lists `keys` keys: the fewest, a power of two
    /// from 16 to 256, that keep `keysPerPart` or fewer on average.
    static func partCount(listing keys: Int) -> Int {
        var count = minPartCount
        while count < maxPartCount && keys > count * keysPerPart { count *= 2 }
        return count
    }

    var counter: UInt64 = 0
    /// When the vault last changed (milliseconds since 1970, UTC), as the saving machine saw it.
    var changed: UInt64 = 0
    private(set) var entries: [LogicalKey: Entry] = [:]
    /// Deleted records, with the version of their tombstone.
    private(set) var tombstones: [LogicalKey: UInt64] = [:]
    /// How many parts the manifest has: a power of two from `minPartCount` to `maxPartCount`.
    /// It only grows (`grow()`), so a part name once written stays in use.
    private(set) var partCount: Int
    var parts: [Part]
    /// Keys whose state here is not what their part in the store lists: the journal, carried by
    /// the root until the counter's schedule writes their part (FORMAT.md section 8). Every
    /// change marks its key; sealing a part clears the keys it lists.
    var dirty: Set<LogicalKey> = []
    /// True when read from a format-1 manifest (one record, no digests, no tombstones): the next
    /// save writes every part.
    var isLegacy = false

    /// An empty manifest of `partCount` parts (a power of two from 16 to 256).
    init(partCount: Int = Manifest.minPartCount) {
        precondition(partCount.nonzeroBitCount == 1 && (Self.minPartCount...Self.maxPartCount).contains(partCount))
        self.partCount = partCount
        parts = [Part](repeating: Part(), count: partCount)
    }

    /// The part that lists `key` among `partCount` parts: the first byte of an item's random id,
    /// a task's number, each modulo `partCount`; part 0 for the rest. The store sees only which
    /// records are written together.
    static func part(of key: LogicalKey, partCount: Int) -> Int {
        switch key {
        case .onionTitle(let id), .onionInfo(let id), .card(let id), .cardHead(let id): return Int(id.byte(0)) & (partCount - 1)
        case .task(let n), .taskBody(let n): return Int(n) & (partCount - 1)
        case .taskCounter, .draft, .draftHead, .settings, .settingsHead, .manifest, .manifestPart, .filler: return 0
        }
    }

    /// The part of this manifest that lists `key`.
    func part(of key: LogicalKey) -> Int { Self.part(of: key, partCount: partCount) }

    /// Doubles the parts until they fit the keys listed (`partCount(listing:)`); true when they
    /// changed, and then every part must be written: each lists other keys than before. The
    /// parts kept their store versions (the next write continues from them); the new ones have
    /// none yet.
    mutating func grow() -> Bool {
        let wanted = Self.partCount(listing: entries.count + tombstones.count)
        guard wanted > partCount else { return false }
        repartition(to: wanted)
        return true
    }

    /// Lists every key in its part among `count` parts; parts below both counts keep their
    /// versions and digests. Used by `grow()`, and to undo it when a save fails.
    mutating func repartition(to count: Int) {
        partCount = count
        parts = Array(parts.prefix(count)) + [Part](repeating: Part(), count: max(0, count - parts.count))
    }

    /// The keys (live or deleted) that each of parts `indices` lists, by index, found in one pass
    /// over the manifest. A part's keys are not kept beside the entries: a log in reads tens of
    /// thousands of keys and a save writes two parts, so the pass a save makes costs less than
    /// a set of keys per part that every log in would fill.
    func keys(inParts indices: some Sequence<Int>) -> [Int: [LogicalKey]] {
        var lists = [[LogicalKey]?](repeating: nil, count: partCount)
        for index in indices where lists.indices.contains(index) { lists[index] = [] }
        for key in entries.keys { lists[part(of: key)]?.append(key) }
        for key in tombstones.keys { lists[part(of: key)]?.append(key) }
        return Dictionary(uniqueKeysWithValues: lists.indices.compactMap { i in lists[i].map { (i, $0) } })
    }

    /// Lists `key` as live. Returns the part that changed.
    @discardableResult
    mutating func set(_ key: LogicalKey, _ entry: Entry) -> Int {
        entries[key] = entry
        tombstones[key] = nil
        dirty.insert(key)
        return part(of: key)
    }

    /// Lists `key` as deleted at `version`. Returns the part that changed.
    @discardableResult
    mutating func setDeleted(_ key: LogicalKey, version: UInt64) -> Int {
        entries[key] = nil
        tombstones[key] = version
        dirty.insert(key)
        return part(of: key)
    }

    /// Drops `key` from the manifest altogether (a record the store lost, accepted as lost).
    mutating func forget(_ key: LogicalKey) {
        entries[key] = nil
        tombstones[key] = nil
        dirty.insert(key)
    }

    mutating func setDigest(_ key: LogicalKey, _ digest: RecordDigest) {
        entries[key]?.digest = digest
    }

    /// The parts that list anything.
    var usedParts: [Int] {
        var used = [Bool](repeating: false, count: partCount)
        for key in entries.keys { used[part(of: key)] = true }
        for key in tombstones.keys { used[part(of: key)] = true }
        return used.indices.filter { used[$0] }
    }

    // MARK: Parts

    /// `10 | index(u8) | n(u32) | n x (key bytes16 | version(u64) | live(u8) [| digest(16) | label bytes16])`,
    /// entries sorted by the key's text (byte order); `live` 1 carries digest and label, 0 is a tombstone.
    /// `keys`: the keys the part lists, when the caller found them already (`keys(inParts:)`).
    func encodePart(_ index: Int, keys: [LogicalKey]? = nil, labels: SecretTable) throws -> SecretBytes {
        let keyed = (keys ?? self.keys(inParts: [index])[index] ?? []).map { (text: $0.text, key: $0) }.sorted { $0.text < $1.text }
        var size = 1 + 1 + 4
        for (text, key) in keyed { size += listingSize(key, text: text, labels: labels) }
        let w = PayloadWriter(capacity: size)
        try w.u8(RecordKind.manifestPart.rawValue)
        try w.u8(UInt8(index))
        try w.u32(UInt32(keyed.count))
        for (text, key) in keyed { try writeListing(key, text: text, to: w, labels: labels) }
        return w.buffer
    }

    /// The bytes `writeListing` takes for `key`.
    func listingSize(_ key: LogicalKey, text: String, labels: SecretTable) -> Int {
        2 + text.utf8.count + 8 + 1 + (entries[key].map { 16 + 2 + labels.count($0.label) } ?? 0)
    }

    /// One key as a part or the root's journal lists it:
    /// `logicalKey bytes16 | version(u64) | state(u8) [| digest(16) | label bytes16]`, state 1
    /// live, 0 deleted, 2 listed nowhere (version 0; only a journal holds such a key).
    func writeListing(_ key: LogicalKey, text: String, to w: PayloadWriter, labels: SecretTable) throws {
        try w.bytes(Array(text.utf8))
        if let entry = entries[key] {
            guard let digest = entry.digest else { throw VaultError.internalLimit }
            try w.u64(entry.version)
            try w.u8(1)
            try w.raw(digest.bytes)
            try labels.withBytes(entry.label) { try w.bytes($0) }
        } else if let version = tombstones[key] {
            try w.u64(version)
            try w.u8(0)
        } else {
            try w.u64(0)
            try w.u8(2)
        }
    }

    /// How many keys a part's payload says it lists, for reserving room before `decodePart`
    /// checks it: never more than its bytes could hold (an entry takes at least 12), 0 when it
    /// is too short to say.
    static func listedCount(ofPart payload: PayloadReader) -> Int {
        var r = payload
        guard (try? r.u8()) != nil, (try? r.u8()) != nil else { return 0 }
        return min(Int((try? r.u32()) ?? 0), r.remaining / 12)
    }

    /// Makes room for `entries` keys in all without growing again.
    mutating func reserve(entries count: Int) {
        entries.reserveCapacity(min(count, Self.maxEntries))
    }

    /// Adds the entries of part `index` to this manifest. Refuses (`VaultError.malformed`) a part
    /// of another index, a key that does not parse or belongs to another part, a manifest key, a
    /// key listed twice, more than `maxEntries` in all and leftover bytes.
    mutating func decodePart(_ payload: SecretBytes, index: Int, labels: SecretTable) throws {
        try decodePart(PayloadReader(payload), index: index, labels: labels)
    }

    /// `decodePart(_:index:labels:)` for a payload `reader` reads.
    mutating func decodePart(_ reader: PayloadReader, index: Int, labels: SecretTable) throws {
        var r = reader
        var journalled = Set<LogicalKey>()
        try r.expect(.manifestPart)
        guard Int(try r.u8()) == index else { throw VaultError.malformed }
        let n = Int(try r.u32())
        guard n <= r.remaining, entries.count + tombstones.count + n <= Self.maxEntries else {
            throw VaultError.malformed
        }
        for _ in 0..<n {
            // A key listed twice (live or deleted) is the one whose insertion finds it listed
            // already: in the same table, or (checked only when that table holds any) the other.
            guard let key = try r.withBytes({ LogicalKey(utf8: $0) }),
                  part(of: key) == index, !key.isManifest else { throw VaultError.malformed }
            let version = try r.u64()
            if dirty.contains(key) {
                // The root's journal holds this key's state: the part's listing is older. It is
                // still checked, and listed only once in the part.
                guard journalled.insert(key).inserted else { throw VaultError.malformed }
                switch try r.u8() {
                case 1: _ = try r.raw(16); try r.withBytes { _ in () }
                case 0: break
                default: throw VaultError.malformed
                }
                continue
            }
            switch try r.u8() {
            case 1:
                let digest = RecordDigest(high: try r.u64(), low: try r.u64())
                guard tombstones.isEmpty || tombstones[key] == nil else { throw VaultError.malformed }
                let label = try r.withBytes { labels.add($0) }
                if let earlier = entries.updateValue(Entry(version: version, label: label, digest: digest), forKey: key) {
                    labels.remove(earlier.label)  // the new label is listed now, freed with the rest
                    throw VaultError.malformed
                }
            case 0:
                guard entries.isEmpty || entries[key] == nil,
                      tombstones.updateValue(version, forKey: key) == nil else { throw VaultError.malformed }
            default:
                throw VaultError.malformed
            }
        }
        try r.expectEnd()
    }

    // MARK: Format 1

    /// A whole format-1 manifest: `7 | counter(u64) | n(u32) | n x (key bytes16 | version(u64) | label bytes16)`.
    static func decodeLegacy(_ payload: SecretBytes, labels: SecretTable) throws -> Manifest {
        var r = PayloadReader(payload)
        try r.expect(.manifest)
        let counter = try r.u64()
        let n = Int(try r.u32())
        guard n <= r.remaining, n <= maxEntries else { throw VaultError.malformed }
        var m = Manifest(partCount: partCount(listing: n))
        m.isLegacy = true
        m.counter = counter
        m.entries.reserveCapacity(n)
        labels.reserve(bytes: min(r.remaining, n * 40), handles: n)
        for _ in 0..<n {
            guard let key = LogicalKey(text: String(decoding: try r.publicBytes(), as: UTF8.self)),
                  !key.isManifest, m.entries[key] == nil else { throw VaultError.malformed }
            let version = try r.u64()
            let label = try r.withBytes { labels.add($0) }
            m.set(key, Entry(version: version, label: label, digest: nil))
        }
        try r.expectEnd()
        m.dirty.removeAll()  // it has no parts: its first save writes every one (`isLegacy`)
        return m
    }
}

extension LogicalKey {
    /// The manifest's root or one of its parts.
    var isManifest: Bool {
        switch self {
        case .manifest, .manifestPart: return true
        default: return false
        }
    }
}
