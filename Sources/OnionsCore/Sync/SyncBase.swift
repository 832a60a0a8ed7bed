import OnionsCrypto

/// What this machine knows of a vault on the server as of its last sync, kept in the local store.
///
/// `versions` holds, per record name, the version the server had at the last sync, which is
/// also the version of the same blob here unless this machine changed the record since: the
/// outbox is every record whose local version differs. `sequence` is the server's change
/// sequence read up to; `remoteCounter` the highest manifest counter the server showed (a lower
/// one later is a rollback). Stored as one value (`sync.base`), so it changes all at once.
struct SyncBase: Equatable {
    var sequence: Int64 = 0
    var remoteCounter: UInt64 = 0
    var versions: [RecordName: UInt64] = [:]

    static let key = "sync.base"
    private static let format: UInt8 = 2

    /// The base kept for `vault`, and whether what was kept is damaged. A value that does not
    /// authenticate (a changed byte), does not parse, or is of format 1 (not authenticated)
    /// gives an empty base: the next round compares everything with the server again, once
    /// (records that differ then look changed on both sides and are merged or kept twice;
    /// nothing is dropped).
    static func load(_ store: SyncStateStore, vault: VaultID, keys: DataKeys) throws -> (base: SyncBase, damaged: Bool) {
        guard let bytes = try store.localState(vault: vault, key: key) else { return (SyncBase(), false) }
        if bytes.first == 1 { return (SyncBase(), false) }
        guard let body = LocalStateSeal.open(bytes, label: label, vault: vault, keys: keys),
              let base = SyncBase(decoding: body) else { return (SyncBase(), true) }
        return (base, false)
    }

    func save(_ store: SyncStateStore, vault: VaultID, keys: DataKeys) throws {
        try store.setLocalState(vault: vault, key: Self.key,
                                value: LocalStateSeal.seal(encoded, label: Self.label, vault: vault, keys: keys))
    }

    /// The MAC's label (`LocalStateSeal`).
    private static let label = "onions/v1/sync-base"

    /// `format(1)=2 | sequence(i64) | remoteCounter(u64) | n(u32) | n x (name length(u8) | name | version(u64))`,
    /// followed when stored by its MAC (32 bytes).
    var encoded: [UInt8] {
        var out: [UInt8] = [Self.format]
        out.reserveCapacity(21 + versions.count * 41)
        out += bigEndian(UInt64(bitPattern: sequence)) + bigEndian(remoteCounter)
        out += bigEndian(UInt32(versions.count))
        for (name, version) in versions.sorted(by: { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }) {
            out.append(UInt8(name.bytes.count))
            out += name.bytes
            out += bigEndian(version)
        }
        return out
    }

    init() {}

    init?(decoding bytes: [UInt8]) {
        var at = 0
        func take(_ n: Int) -> ArraySlice<UInt8>? {
            guard n >= 0, bytes.count - at >= n else { return nil }
            defer { at += n }
            return bytes[at..<(at + n)]
        }
        func u64() -> UInt64? { take(8).map { $0.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } } }
        guard take(1)?.first == Self.format, let sequence = u64(), let counter = u64(),
              let n = take(4).map({ $0.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }) else { return nil }
        self.sequence = Int64(bitPattern: sequence)
        remoteCounter = counter
        for _ in 0..<n {
            guard let length = take(1)?.first, let name = take(Int(length)), let version = u64() else { return nil }
            versions[RecordName(Array(name))] = version
        }
        guard at == bytes.count else { return nil }
    }

    // MARK: Ancestors

    /// The local state key of a record's ancestor: the blob the server and this machine last
    /// agreed on, kept when this machine first changes the record after a sync.
    static func ancestorKey(_ name: RecordName) -> String { "sync.ancestor." + name.description }

    /// Keeps `record` as the ancestor of its name (`version(u64) | blob`).
    static func saveAncestor(_ store: SyncStateStore, vault: VaultID, _ record: StoredRecord) throws {
        try store.setLocalState(vault: vault, key: ancestorKey(record.name), value: bigEndian(record.version) + record.blob)
    }

    /// The ancestor of `name` if one was kept at exactly `version`.
    static func ancestor(_ store: SyncStateStore, vault: VaultID, name: RecordName, version: UInt64) -> StoredRecord? {
        guard version > 0, let bytes = try? store.localState(vault: vault, key: ancestorKey(name)), bytes.count > 8 else {
            return nil
        }
        let stored = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard stored == version else { return nil }
        return StoredRecord(name: name, version: version, blob: Array(bytes[8...]), deleted: false, sequence: 0)
    }

    static func removeAncestor(_ store: SyncStateStore, vault: VaultID, name: RecordName) {
        try? store.setLocalState(vault: vault, key: ancestorKey(name), value: nil)
    }
}
