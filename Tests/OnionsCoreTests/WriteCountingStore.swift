import OnionsCore
import OnionsCrypto

/// A store that passes everything to another and counts what `apply` writes: records, and bytes
/// (each write's name, version and blob); it keeps each batch too.
final class WriteCountingStore: Store {
    let inner: Store
    private(set) var writes = 0
    private(set) var bytes = 0
    private(set) var batches: [[RecordWrite]] = []

    init(_ inner: Store) { self.inner = inner }

    func reset() {
        writes = 0
        bytes = 0
        batches = []
    }

    func apply(vault: VaultID, writes batch: [RecordWrite]) throws -> Int64 {
        batches.append(batch)
        for write in batch {
            writes += 1
            bytes += write.name.bytes.count + 8 + write.blob.count
        }
        return try inner.apply(vault: vault, writes: batch)
    }

    func prelogin(vault: VaultID) throws -> [UInt8]? { try inner.prelogin(vault: vault) }
    func authorize(vault: VaultID, authKey: SecretBytes) throws { try inner.authorize(vault: vault, authKey: authKey) }
    func header(vault: VaultID) throws -> VaultHeaderBlob? { try inner.header(vault: vault) }
    func createVault(_ vault: VaultID, header: VaultHeaderBlob) throws { try inner.createVault(vault, header: header) }
    func replaceHeader(_ vault: VaultID, expected: VaultHeaderBlob, with new: VaultHeaderBlob) throws {
        try inner.replaceHeader(vault, expected: expected, with: new)
    }
    func deleteVault(_ vault: VaultID) throws { try inner.deleteVault(vault) }
    func record(vault: VaultID, name: RecordName) throws -> StoredRecord? { try inner.record(vault: vault, name: name) }
    func records(vault: VaultID) throws -> [StoredRecord] { try inner.records(vault: vault) }
    func changes(vault: VaultID, since: Int64) throws -> [StoredRecord] { try inner.changes(vault: vault, since: since) }
    func recordVersions(vault: VaultID) throws -> [RecordVersion] { try inner.recordVersions(vault: vault) }
    func records(vault: VaultID, names: [RecordName]) throws -> [StoredRecord] {
        try inner.records(vault: vault, names: names)
    }
}
