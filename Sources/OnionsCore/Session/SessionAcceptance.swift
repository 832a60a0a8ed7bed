import OnionsCrypto

/// Going on from what the store holds after it lost or rolled back records (`heldIssues`).
extension Session {
    /// Accepts the store's state and makes the vault writable again, in one save: records the
    /// store lost are dropped from the manifest, records it holds in an older version or copy
    /// are listed as they are when they open (deleted when they do not), damaged, re-added and
    /// unlisted records are deleted, and this machine forgets the higher counter it had seen.
    /// The lists are read again afterwards. Returns the issues that were accepted.
    ///
    /// Throws `VaultError.manifestUnrecoverable` when the manifest itself is missing or damaged
    /// (nothing of the vault could be named; a backup is the way back), and store errors.
    @discardableResult
    public func acceptStoreState() throws -> [IntegrityIssue] {
        try checkUnlocked()
        guard !heldIssues.isEmpty else { return [] }
        guard !manifestIsDamaged else { throw VaultError.manifestUnrecoverable }
        var next = manifest
        var parts: Set<Int> = []
        var pending: [PendingWrite] = []
        for key in repair.forget {
            next.forget(key)
            parts.insert(next.part(of: key))
        }
        let adopted = try Self.wrapStore {
            try store.records(vault: vault, names: repair.adopt.map { keys.name($0) })
        }
        var byName: [RecordName: StoredRecord] = [:]
        for record in adopted { byName[record.name] = record }
        for key in repair.adopt {
            guard let entry = next.entries[key], let record = byName[keys.name(key)],
                  let digest = RecordDigest(blob: record.blob), let payload = try? sealer.open(record) else {
                pending.append(.delete(key))
                continue
            }
            payload.wipe()
            parts.insert(next.set(key, Manifest.Entry(version: record.version, label: entry.label, digest: digest)))
            versions[key] = record.version
        }
        for key in repair.delete where !repair.adopt.contains(key) { pending.append(.delete(key)) }
        let accepted = heldIssues, seen = localState.counter
        heldIssues.removeAll()
        localState.counter = manifest.counter
        do {
            try commit(pending, onto: next, changedParts: parts, deletingNames: Array(repair.deleteNames))
        } catch {
            heldIssues = accepted
            localState.counter = seen
            throw error
        }
        try reload()
        return accepted
    }
}
