import OnionsCrypto

/// Everything one sync round reads from both stores, taken before anything is decided.
///
/// `read` is the only part of a round that reads: the server's changes since the base, this
/// machine's versions, both manifests (opened), and the local blobs and ancestors a decision
/// may need. `SyncPlanner.plan` then decides from this alone. Call `wipe()` when the round is
/// over: `labels` holds the manifests' labels in secret memory.
struct SyncSnapshot {
    /// What this machine knew of the server at its last sync.
    var base: SyncBase
    /// The server's change sequence read up to.
    var sequence: Int64
    /// Records the server changed since the base, by name (the base version itself left out:
    /// that is this machine's own write coming back).
    var remoteChanged: [RecordName: StoredRecord] = [:]
    /// Names the server holds at a version below the base (reported as older, not taken).
    var olderNames: [RecordName] = []
    /// This machine's version of every record, tombstones included.
    var localVersions: [RecordName: RecordVersion] = [:]
    /// True when the manifests were read (something changed, or something must be named).
    var manifestsRead = false
    /// This machine's manifest, empty when it does not open.
    var localManifest = Manifest()
    /// The server's manifest when the server changed anything and it opens, else nil.
    var remoteManifest: Manifest?
    /// Labels of both manifests (and of what the planner adds).
    let labels = SecretTable()
    /// This machine's live blobs of every record changed here, and of every record changed on
    /// both sides together with the other record of its onion.
    var localRecords: [RecordName: StoredRecord] = [:]
    /// Ancestors (SyncBase) at the base version of those records, where one was kept.
    var ancestors: [RecordName: StoredRecord] = [:]
    /// The highest manifest counter this machine has seen.
    var localCounter: UInt64
    /// The time merged records are stamped with.
    var now: UInt64

    func baseVersion(_ name: RecordName) -> UInt64 { base.versions[name] ?? 0 }

    /// True when this machine changed the record since the base.
    func localChanged(_ name: RecordName) -> Bool {
        guard let l = localVersions[name] else { return false }
        return l.version != baseVersion(name)
    }

    func wipe() { labels.wipe() }

    /// Reads a round's snapshot. `sealer` opens the manifests (to know which records belong
    /// together); nothing is written.
    static func read(local: SyncStateStore, server: RemoteStore, vault: VaultID, base: SyncBase,
                     sealer: RecordSealer, localCounter: UInt64) throws -> SyncSnapshot {
        let changes = try server.changes(vault: vault, since: base.sequence)
        var s = SyncSnapshot(base: base, sequence: max(base.sequence, changes.map(\.sequence).max() ?? 0),
                             localCounter: localCounter, now: nowMilliseconds())
        for record in changes { s.remoteChanged[record.name] = record }
        for (name, record) in s.remoteChanged {
            let b = s.baseVersion(name)
            if record.version == b { s.remoteChanged[name] = nil }
            else if record.version < b { s.olderNames.append(name); s.remoteChanged[name] = nil }
        }
        for entry in try local.recordVersions(vault: vault) { s.localVersions[entry.name] = entry }
        let localNames = s.localVersions.keys.filter { s.localChanged($0) }
        guard !s.remoteChanged.isEmpty || !localNames.isEmpty || !s.olderNames.isEmpty else { return s }

        try s.readManifests(local: local, server: server, vault: vault, sealer: sealer)
        guard !s.remoteChanged.isEmpty || !localNames.isEmpty else { return s }

        var both = Set(localNames.filter { s.remoteChanged[$0] != nil })
        var keys: [RecordName: LogicalKey] = [:]
        for key in s.localManifest.entries.keys { keys[sealer.keys.name(key)] = key }
        for key in s.remoteManifest?.entries.keys ?? [:].keys { keys[sealer.keys.name(key)] = key }
        for name in both {
            guard let id = keys[name]?.onion else { continue }
            both.insert(sealer.keys.name(.onionTitle(id)))
            both.insert(sealer.keys.name(.onionInfo(id)))
        }
        let wanted = Set(localNames).union(both).filter { s.localVersions[$0]?.deleted == false }
        for record in try local.records(vault: vault, names: Array(wanted)) { s.localRecords[record.name] = record }
        for name in both where s.localChanged(name) {
            s.ancestors[name] = SyncBase.ancestor(local, vault: vault, name: name, version: s.baseVersion(name))
        }
        return s
    }

    /// Reads both manifests, root and parts. A server part that did not change since the base is
    /// the same blob as this machine's at the base version, so it is read here instead.
    private mutating func readManifests(local: SyncStateStore, server: RemoteStore, vault: VaultID,
                                        sealer: RecordSealer) throws {
        manifestsRead = true
        let name = sealer.keys.name(.manifest)
        let localRoot = try local.record(vault: vault, name: name)
        if case .found(let m, _) = try Manifest.read(root: localRoot, sealer: sealer, labels: labels,
                                                     fetch: { try local.records(vault: vault, names: $0) }) {
            localManifest = m
        }
        var record = remoteChanged[name]
        if record == nil && !remoteChanged.isEmpty { record = try server.record(vault: vault, name: name) }
        guard let record, !record.deleted else { return }
        let changed = remoteChanged, versions = localVersions, base = base
        let found = try Manifest.read(root: record, sealer: sealer, labels: labels) { names in
            var records = names.compactMap { changed[$0] }
            let rest = names.filter { changed[$0] == nil }
            let same = Set(rest.filter { versions[$0]?.version == base.versions[$0] && base.versions[$0] != nil })
            records += try local.records(vault: vault, names: Array(same))
            records += try server.records(vault: vault, names: rest.filter { !same.contains($0) })
            return records
        }
        if case .found(let m, _) = found { remoteManifest = m }
    }
}
