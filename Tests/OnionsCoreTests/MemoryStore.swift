import OnionsCore
import OnionsCrypto

/// A store in memory that keeps the `Store` contract (versions, tombstones, compare-and-set,
/// one change sequence, verifier checks), and lets a test read and rewrite what it holds the
/// way a hostile store operator could.
final class MemoryStore: Store {
    /// Everything the store holds: one value, so a test can copy it and put an old copy back.
    struct Contents: Equatable {
        var headers: [VaultID: VaultHeaderBlob] = [:]
        var records: [VaultID: [RecordName: StoredRecord]] = [:]
        var sequence: Int64 = 0
        /// Commits by vault, in insertion order (append-only: a hash held already is skipped).
        var commits: [VaultID: [StoredCommit]] = [:]
    }

    var contents = Contents()
    /// Every write `apply` made, in order (the writes of refused batches left out).
    private(set) var applied: [RecordWrite] = []
    /// How many times a key was presented to `authorize`: a test of the KDF floor expects none.
    private(set) var authorizations = 0

    // MARK: Tampering

    /// Rewrites one stored record in place (no new sequence value, as a raw edit would).
    func tamper(vault: VaultID, name: RecordName, _ change: (inout StoredRecord) -> Void) {
        guard var record = contents.records[vault]?[name] else { return }
        change(&record)
        contents.records[vault]?[name] = record
    }

    /// Removes a record outright, tombstone and all, as if it never existed.
    func erase(vault: VaultID, name: RecordName) {
        contents.records[vault]?[name] = nil
    }

    // MARK: Store

    func prelogin(vault: VaultID) throws -> [UInt8]? {
        contents.headers[vault]?.parameters
    }

    func authorize(vault: VaultID, authKey: SecretBytes) throws {
        authorizations += 1
        guard let header = contents.headers[vault] else { throw StoreError.noVault }
        let presented = authKey.withUnsafeBytes { SHA256.hash($0) }
        guard ConstantTime.equals(presented, header.verifier) else { throw StoreError.unauthorized }
    }

    func header(vault: VaultID) throws -> VaultHeaderBlob? {
        contents.headers[vault]
    }

    func createVault(_ vault: VaultID, header: VaultHeaderBlob) throws {
        guard contents.headers[vault] == nil else { throw StoreError.vaultExists }
        contents.headers[vault] = header
        contents.records[vault] = [:]
    }

    /// Header and records in one step: both or neither.
    func createVault(_ vault: VaultID, header: VaultHeaderBlob, authKey: SecretBytes, records: [RecordWrite]) throws {
        let before = contents
        try createVault(vault, header: header)
        do {
            try authorize(vault: vault, authKey: authKey)
            try apply(vault: vault, writes: records)
        } catch {
            contents = before
            throw error
        }
    }

    func replaceHeader(_ vault: VaultID, expected: VaultHeaderBlob, with new: VaultHeaderBlob) throws {
        guard let current = contents.headers[vault] else { throw StoreError.noVault }
        guard current == expected else { throw StoreError.conflict(name: RecordName([]), current: 0) }
        contents.headers[vault] = new
    }

    func deleteVault(_ vault: VaultID) throws {
        contents.headers[vault] = nil
        contents.records[vault] = nil
        contents.commits[vault] = nil
    }

    /// The writes, then the commits not held yet: both or, when a write conflicts, neither.
    @discardableResult
    func apply(vault: VaultID, writes: [RecordWrite], commits: [[UInt8]]) throws -> Int64 {
        try apply(vault: vault, writes: writes)
        for blob in commits where !(contents.commits[vault] ?? []).contains(where: { $0.blob == blob }) {
            contents.sequence += 1
            contents.commits[vault, default: []].append(StoredCommit(blob: blob, sequence: contents.sequence))
        }
        return contents.sequence
    }

    func commits(vault: VaultID, since: Int64) throws -> [StoredCommit] {
        (contents.commits[vault] ?? []).filter { $0.sequence > since }
    }

    func record(vault: VaultID, name: RecordName) throws -> StoredRecord? {
        guard let found = contents.records[vault]?[name], !found.deleted else { return nil }
        return found
    }

    func records(vault: VaultID) throws -> [StoredRecord] {
        (contents.records[vault] ?? [:]).values.filter { !$0.deleted }.sorted { $0.sequence < $1.sequence }
    }

    @discardableResult
    func apply(vault: VaultID, writes: [RecordWrite]) throws -> Int64 {
        guard contents.headers[vault] != nil else { throw StoreError.noVault }
        var next = contents
        for write in writes {
            let current = next.records[vault]?[write.name]?.version ?? 0
            guard current == write.expectedVersion, write.newVersion > current else {
                let before = contents.records[vault]?[write.name]?.version ?? 0
                throw StoreError.conflict(name: write.name, current: before)
            }
            next.sequence += 1
            next.records[vault, default: [:]][write.name] =
                StoredRecord(name: write.name, version: write.newVersion, blob: write.blob, deleted: write.isDelete,
                             sequence: next.sequence)
        }
        contents = next
        applied += writes
        return contents.sequence
    }

    func changes(vault: VaultID, since: Int64) throws -> [StoredRecord] {
        (contents.records[vault] ?? [:]).values.filter { $0.sequence > since }.sorted { $0.sequence < $1.sequence }
    }
}
