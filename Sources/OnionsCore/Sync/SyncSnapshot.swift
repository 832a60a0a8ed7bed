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
    /// The server's row of every record where it disagrees with what this machine knows it
    /// wrote there: older than the base, dropped (version 0 when the row is gone), or another
    /// blob at the base version. This machine's copy is put back over it.
    var tampered: [RecordName: StoredRecord] = [:]
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
    /// The names of the companions of tasks and cards this machine knows (not counted as moved).
    var companionNames: Set<RecordName> = []
    /// The highest manifest counter this machine has seen.
    var localCounter: UInt64
    /// The time merged records are stamped with.
    var now: UInt64
    /// Records the server changed whose blobs were not read (a `PagedReading` server): live,
    /// changed there only, listed by the server's manifest at that version with a digest. The
    /// round copies them here a page at a time, each checked as it is read (`SyncPageCopy`).
    var deferred: Set<RecordName> = []
    /// Records changed here only whose blobs were not read: live, above the server's version.
    /// The round sends them a page at a time from this machine's store.
    var deferredLocal: Set<RecordName> = []

    func baseVersion(_ name: RecordName) -> UInt64 { base.versions[name] ?? 0 }

    /// True when this machine changed the record since the base.
    func localChanged(_ name: RecordName) -> Bool {
        guard let l = localVersions[name] else { return false }
        return l.version != baseVersion(name)
    }

    func wipe() { labels.wipe() }

    /// True when the server holds changes this machine must take in (or put right) first.
    var serverChanged: Bool { !remoteChanged.isEmpty || !tampered.isEmpty }

    /// Reads a round's snapshot. `sealer` opens the manifests (to know which records belong
    /// together); nothing is written.
    ///
    /// `verify` also compares the server's version of every record with the base (one blob-free
    /// query), so that rows the server changed without announcing them (dropped, rolled back,
    /// a replayed dump) are found, and records this machine lacks are fetched again.
    ///
    /// `pushOnly`: the caller gives up when the server changed anything, so then nothing more
    /// is read (`serverChanged` says so).
    ///
    /// `known`: the session's manifest as it last loaded or saved it; the manifests' parts it
    /// holds unchanged are taken from it instead of being read and opened again.
    static func read(local: SyncStateStore, server: RemoteStore, vault: VaultID, base: SyncBase,
                     sealer: RecordSealer, localCounter: UInt64, verify: Bool = false,
                     pushOnly: Bool = false, known: Manifest.Known? = nil,
                     skipping head: RecordName? = nil, eager: Set<RecordName> = []) throws -> SyncSnapshot {
        // A first sync (nothing known of the server yet) reads the versions of the server's records
        // alone, when the server gives them: the blobs a decision needs are read below, the others
        // a page at a time while the round copies them. Later rounds read their few changes whole.
        let paged = base.sequence == 0 ? server as? PagedReading : nil
        var changes = try paged?.changeVersions(vault: vault, since: base.sequence)
            ?? server.changes(vault: vault, since: base.sequence)
        // The chain's head record moves by its own rules (SyncChain), never merged as an item.
        if let head { changes.removeAll { $0.name == head } }
        var s = SyncSnapshot(base: base, sequence: max(base.sequence, changes.map(\.sequence).max() ?? 0),
                             localCounter: localCounter, now: nowMilliseconds())
        if paged != nil { s.deferred = Set(changes.lazy.filter { !$0.deleted }.map(\.name)) }
        if verify && !base.versions.isEmpty {
            changes += try unannounced(server: server, vault: vault, base: base,
                                       announced: Set(changes.map(\.name) + (head.map { [$0] } ?? [])))
        }
        for entry in try local.recordVersions(vault: vault) where entry.name != head { s.localVersions[entry.name] = entry }
        var sameVersion: [RecordName: StoredRecord] = [:]
        for record in changes {
            let b = s.baseVersion(record.name)
            if record.version > b { s.remoteChanged[record.name] = record }
            else if record.version < b { s.tampered[record.name] = record }
            else if b > 0 { sameVersion[record.name] = record }
        }
        let manifestNames = Set(Manifest.partNames(sealer.keys) + [sealer.keys.name(.manifest)])
        try s.readBlobs(Set(sameVersion.keys).union(s.tampered.keys)
            .union(manifestNames.filter { s.remoteChanged[$0] != nil }), server: server, vault: vault,
                        into: &sameVersion)
        try s.checkSameVersion(sameVersion, local: local, vault: vault)
        if pushOnly && s.serverChanged { return s }
        let localNames = s.localVersions.keys.filter { s.localChanged($0) }
        guard s.serverChanged || !localNames.isEmpty else { return s }

        // Only copying this machine's changes out needs no manifest (SyncPlanner.plan).
        if s.serverChanged {
            try s.readManifests(local: local, server: server, vault: vault, sealer: sealer, known: known)
        }

        var both = Set(localNames.filter { s.remoteChanged[$0] != nil })
        var keys: [RecordName: LogicalKey] = [:]
        for key in s.localManifest.entries.keys { keys[sealer.keys.name(key)] = key }
        for key in s.remoteManifest?.entries.keys ?? [:].keys { keys[sealer.keys.name(key)] = key }
        for name in both {
            guard let id = keys[name]?.onion else { continue }
            both.insert(sealer.keys.name(.onionTitle(id)))
            both.insert(sealer.keys.name(.onionInfo(id)))
        }
        // A copy is checked against the digest the server's manifest lists for it: without one,
        // its blob is read now and checked as any change.
        let unvouched = s.deferred.filter { name in
            guard let record = s.remoteChanged[name], let key = keys[name],
                  let entry = s.remoteManifest?.entries[key] else { return true }
            return entry.version != record.version || entry.digest == nil
        }
        var none: [RecordName: StoredRecord] = [:]
        try s.readBlobs(both.union(eager).union(unvouched), server: server, vault: vault, into: &none)
        s.deferred.formIntersection(s.remoteChanged.keys)
        // This machine's records the server only takes as they are: sent from the store a page at a
        // time, when there are more than a page of them (a first push, a push after offline work).
        let sentAsTheyAre = localNames.filter { name in
            guard let entry = s.localVersions[name], !entry.deleted, !manifestNames.contains(name),
                  s.remoteChanged[name] == nil, s.tampered[name] == nil, !both.contains(name),
                  !eager.contains(name) else { return false }
            return entry.version > s.baseVersion(name)
        }
        if sentAsTheyAre.count > SyncPage.records { s.deferredLocal = Set(sentAsTheyAre) }
        // A record the server may have changed behind this machine's back needs this machine's
        // copy too: to put back, or to compare with (verifyRemoteRecords).
        let wanted = Set(localNames).union(both).union(s.tampered.keys).union(s.remoteChanged.keys)
            .subtracting(s.deferred).subtracting(s.deferredLocal)
            .filter { s.localVersions[$0]?.deleted == false }
        for record in try local.records(vault: vault, names: Array(wanted)) { s.localRecords[record.name] = record }
        for name in both where s.localChanged(name) {
            s.ancestors[name] = SyncBase.ancestor(local, vault: vault, name: name, version: s.baseVersion(name))
        }
        return s
    }

    /// Reads the blobs of `names` not read yet (`deferred`) into the changes that hold them
    /// (`remoteChanged`, `tampered`, or `others`). The server's row is taken only at the version
    /// its change gave; a row gone or at an older version leaves the blob empty, which does not
    /// open (it is reported as any change that does not); a newer one means that the server
    /// moved on since: the round is made again (`SyncPageMismatch`).
    private mutating func readBlobs(_ names: Set<RecordName>, server: RemoteStore, vault: VaultID,
                                    into others: inout [RecordName: StoredRecord]) throws {
        let wanted = names.intersection(deferred)
        guard !wanted.isEmpty else { return }
        deferred.subtract(wanted)
        for record in try server.records(vault: vault, names: Array(wanted)) where wanted.contains(record.name) {
            func fill(_ change: inout StoredRecord?) throws -> Bool {
                guard let c = change, !c.deleted else { return false }
                if record.version > c.version { throw SyncPageMismatch(names: []) }
                guard c.version == record.version else { return false }
                change = StoredRecord(name: c.name, version: c.version, blob: record.blob, deleted: false,
                                      sequence: c.sequence)
                return true
            }
            _ = try fill(&remoteChanged[record.name]) || fill(&tampered[record.name]) || fill(&others[record.name])
        }
    }

    /// The server's rows whose version differs from the base although no change announced them:
    /// live ones read whole, tombstones and rows that are gone (version 0) as tombstones.
    private static func unannounced(server: RemoteStore, vault: VaultID, base: SyncBase,
                                    announced: Set<RecordName>) throws -> [StoredRecord] {
        var unseen = base.versions.filter { $0.value > 0 && !announced.contains($0.key) }
        var live: [RecordName] = []
        var found: [StoredRecord] = []
        for entry in try server.recordVersions(vault: vault) where !announced.contains(entry.name) {
            unseen[entry.name] = nil
            guard entry.version != base.versions[entry.name] ?? 0 else { continue }
            if entry.deleted {
                found.append(StoredRecord(name: entry.name, version: entry.version, blob: [], deleted: true, sequence: 0))
            } else {
                live.append(entry.name)
            }
        }
        found += try server.records(vault: vault, names: live)
        for name in unseen.keys { found.append(StoredRecord(name: name, version: 0, blob: [], deleted: true, sequence: 0)) }
        return found
    }

    /// A change at the base version is this machine's own write coming back, unless its blob (or
    /// tombstone) is not the one this machine holds at that version: then it was tampered with.
    private mutating func checkSameVersion(_ changes: [RecordName: StoredRecord], local: SyncStateStore,
                                           vault: VaultID) throws {
        guard !changes.isEmpty else { return }
        // Only where this machine still holds the base version can it tell.
        let comparable = changes.keys.filter { localVersions[$0] != nil && !localChanged($0) }
        var mine: [RecordName: StoredRecord] = [:]
        let live = comparable.filter { localVersions[$0]?.deleted == false }
        for record in try local.records(vault: vault, names: live) { mine[record.name] = record }
        for name in comparable {
            guard let theirs = changes[name] else { continue }
            let same = theirs.deleted ? mine[name] == nil : mine[name]?.blob == theirs.blob
            if !same { tampered[name] = theirs }
        }
    }

    /// Reads both manifests, root and parts. A server part that did not change since the base is
    /// the same blob as this machine's at the base version, so it is read here instead.
    ///
    /// Parts that `known` (this machine's manifest as the session holds it) lists at the same
    /// version and digest are taken from it, and the server's parts that this machine's manifest
    /// holds the same from that: a round decrypts only the parts that changed.
    private mutating func readManifests(local: SyncStateStore, server: RemoteStore, vault: VaultID,
                                        sealer: RecordSealer, known: Manifest.Known?) throws {
        manifestsRead = true
        let name = sealer.keys.name(.manifest)
        let localRoot = try local.record(vault: vault, name: name)
        var localFound = false
        if case .found(let m, _) = try Manifest.read(root: localRoot, sealer: sealer, labels: labels, known: known,
                                                     fetch: { try local.records(vault: vault, names: $0) }) {
            localManifest = m
            localFound = true
        }
        var record = remoteChanged[name]
        if record == nil && !remoteChanged.isEmpty { record = try server.record(vault: vault, name: name) }
        guard let record, !record.deleted else { return }
        let changed = remoteChanged, versions = localVersions, base = base
        let mine = localFound ? Manifest.Known(manifest: localManifest, labels: labels) : nil
        let found = try Manifest.read(root: record, sealer: sealer, labels: labels, known: mine) { names in
            // A part the server did not change since the base is the blob both agreed on then:
            // this machine's, or the ancestor kept when this machine changed it. Only what is
            // neither is read from the server, which may have moved on since `changes` (a torn
            // read, found as a damaged manifest and tried again).
            var records = names.compactMap { changed[$0] }
            let rest = names.filter { changed[$0] == nil }
            let same = Set(rest.filter { versions[$0]?.version == base.versions[$0] && base.versions[$0] != nil })
            records += try local.records(vault: vault, names: Array(same))
            var unknown: [RecordName] = []
            for name in rest where !same.contains(name) {
                if let kept = SyncBase.ancestor(local, vault: vault, name: name, version: base.versions[name] ?? 0) {
                    records.append(kept)
                } else {
                    unknown.append(name)
                }
            }
            records += try server.records(vault: vault, names: unknown)
            return records
        }
        if case .found(let m, _) = found { remoteManifest = m }
    }
}
