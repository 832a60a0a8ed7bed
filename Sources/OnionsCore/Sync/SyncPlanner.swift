import OnionsCrypto

/// One sync round's decisions: from what both sides changed since the last sync (a
/// `SyncSnapshot`), record by record, what each side must write so that both hold the same
/// blobs at the same versions. It reads no store; `SyncSession` writes the plan.
///
/// A record changed on one side only is copied to the other as it is (same name, version and
/// blob; a version gap is filled with tombstones that the same transaction overwrites). A
/// record changed on both sides is merged (SyncResolve.swift, by the rules of `ItemMerge`), the merge sealed
/// above both. Records from the server are checked against the server's manifest before they
/// are taken: an older, dropped, unlisted or unopenable one is reported and left out. Where the
/// server tampered with a record this machine holds, this machine's copy is put back over the
/// server's (compare-and-set on the server's actual version), sealed again above it if needed.
final class SyncPlanner {
    let snapshot: SyncSnapshot
    let sealer: RecordSealer
    var base: SyncBase
    var report = SyncReport()

    // What the round found.
    var remoteChanged: [RecordName: StoredRecord]
    /// The server's row of each record it tampered with, and what it did (SyncSnapshot.tampered
    /// and the changes `verifyRemoteRecords` refused).
    var tampered: [RecordName: StoredRecord]
    var tamperKinds: [RecordName: IntegrityIssue.Kind] = [:]
    var nameToKey: [RecordName: LogicalKey] = [:]
    var labels: SecretTable { snapshot.labels }
    var localManifest: Manifest { snapshot.localManifest }
    var remoteManifest: Manifest? { snapshot.remoteManifest }
    var newKeys: [LogicalKey: Int] = [:]
    /// Writes this machine only (see `plan`).
    var holdPushes = false
    /// How many records that left for the next round to send.
    var heldWrites = 0

    // What it decided.
    enum Decision {
        case remote(StoredRecord)
        case local
        case payload(SecretBytes, SizeClass, label: Int?)
        case tombstone
    }
    var decisions: [RecordName: Decision] = [:]
    var decisionLabels: [RecordName: Int] = [:]
    /// Where each conflict copy the round adds came from, sealed into its main record.
    var origins: [RecordName: ConflictOrigin] = [:]
    /// The digest of every blob the plan writes, by name (for the merged manifest's entries).
    var finalDigests: [RecordName: RecordDigest] = [:]
    /// The manifest's root and part names; part index by name.
    let partNames: [RecordName]
    let manifestNames: Set<RecordName>
    /// The names of the filler records (`SaveShape`), which hold nothing to report.
    let fillerNames: Set<RecordName>
    var pendingTasks: [PendingTask] = []
    var taskMaxConflict = false

    /// Decides a round from its snapshot: touches no store, only seals and opens (`sealer`).
    /// The snapshot's label table gains the labels of what the plan adds.
    ///
    /// When the server changed anything (or tampered), the plan only takes that in: merges are
    /// written here, with the base at the server's versions, so that this machine's side goes
    /// out in a following round that only copies. That round reads no manifest and so holds
    /// the server's compare-and-set window short while other machines save; a round that loses
    /// the race anyway starts again from what it took in, not from the start.
    static func plan(_ snapshot: SyncSnapshot, sealer: RecordSealer) throws -> SyncPlan {
        let planner = SyncPlanner(snapshot: snapshot, sealer: sealer)
        planner.holdPushes = snapshot.serverChanged
        var plan = try planner.decide()
        plan.pushesHeld = planner.heldWrites > 0
        plan.report = planner.report
        // What moved, merges and conflict copies included: the records each side takes (the
        // manifest's root and parts, which follow every change, and the fillers that pad every
        // save are not counted).
        // The companions of tasks and cards (their bodies and heads) move with their items.
        var uncounted = planner.manifestNames.union(planner.fillerNames).union(snapshot.companionNames)
        for (name, key) in planner.nameToKey where key.isCompanion { uncounted.insert(name) }
        for manifest in [planner.localManifest, planner.remoteManifest].compactMap({ $0 }) {
            for key in manifest.tombstones.keys where key.isCompanion { uncounted.insert(planner.name(key)) }
        }
        plan.report.pulled = Set((plan.localWrites + plan.localCopies).map(\.name)).subtracting(uncounted).count
        plan.report.pushed = Set((plan.remoteWrites + plan.remoteCopies).map(\.name)).subtracting(uncounted).count
        return plan
    }

    private init(snapshot: SyncSnapshot, sealer: RecordSealer) {
        self.snapshot = snapshot
        self.sealer = sealer
        self.base = snapshot.base
        self.remoteChanged = snapshot.remoteChanged
        self.tampered = snapshot.tampered
        partNames = Manifest.partNames(sealer.keys)
        manifestNames = Set(partNames + [sealer.keys.name(.manifest)])
        fillerNames = Set(SaveShape.fillers.map { sealer.keys.name($0) })
    }

    var manifestName: RecordName { name(.manifest) }
    func name(_ key: LogicalKey) -> RecordName { sealer.keys.name(key) }

    func baseVersion(_ name: RecordName) -> UInt64 { snapshot.baseVersion(name) }
    func localVersion(_ name: RecordName) -> UInt64 { snapshot.localVersions[name]?.version ?? 0 }
    func remoteVersion(_ name: RecordName) -> UInt64 {
        tampered[name]?.version ?? remoteChanged[name]?.version ?? baseVersion(name)
    }
    func localChanged(_ name: RecordName) -> Bool { snapshot.localChanged(name) }

    // MARK: The round

    private func decide() throws -> SyncPlan {
        let localNames = snapshot.localVersions.keys.filter { localChanged($0) }
        var result = SyncPlan(base: base)
        result.base.sequence = snapshot.sequence
        if snapshot.manifestsRead { mapNames() }
        for (name, theirs) in tampered { tamperKinds[name] = kindOfTampering(name, theirs) }
        if remoteChanged.isEmpty && localNames.isEmpty && tampered.isEmpty { return result }

        if !remoteChanged.isEmpty {
            guard let remoteManifest else {
                report.issues.append(IntegrityIssue(kind: .manifest, label: LogicalKey.manifest.displayName(label: nil)))
                return SyncPlan(base: base)
            }
            if remoteManifest.counter < base.remoteCounter {
                report.issues.append(IntegrityIssue(kind: .rolledBack(seen: base.remoteCounter, found: remoteManifest.counter),
                                                    label: "the vault"))
                return SyncPlan(base: base)
            }
            verifyRemoteRecords()
        }
        let repairs = putBack()
        // The altered or swapped rows the repairs replace, which the server keeps (schema 5).
        result.replacedTampered = tampered.compactMap { name, theirs in
            guard snapshot.localVersions[name] != nil, !manifestNames.contains(name) else { return nil }
            // An older or a dropped row is a genuine one (or none); anything else does not open.
            switch tamperKinds[name] {
            case .serverOlder?, .dropped?: return nil
            default: return HistoryPurge(name: name, exactly: theirs.version)
            }
        }

        var conflicts: [RecordName] = []
        for name in Set(remoteChanged.keys).union(localNames) where !manifestNames.contains(name) && tampered[name] == nil {
            let rc = remoteChanged[name] != nil, lc = localChanged(name)
            if rc && !lc {
                decisions[name] = .remote(remoteChanged[name]!)
            } else if lc && !rc {
                decisions[name] = .local
            } else if !converged(name) {
                conflicts.append(name)
            }
        }
        if !conflicts.isEmpty { try resolve(conflicts) }
        try placePendingTasks()

        let lmc = manifestNames.contains { localChanged($0) }
        let rmc = manifestNames.contains { remoteChanged[$0] != nil }
        var counter = snapshot.manifestsRead ? max(localManifest.counter, remoteManifest?.counter ?? 0) : snapshot.localCounter
        var merged: UInt64?
        if conflicts.isEmpty && !(lmc && rmc) && !repairs.resealed {
            // One side saved: its root and parts go over as they are.
            for name in manifestNames {
                if let record = remoteChanged[name] { decisions[name] = .remote(record) }
                else if localChanged(name) || tampered[name] != nil { decisions[name] = .local }
            }
        } else {
            counter = max(counter, snapshot.localCounter) + 1
            merged = counter
        }
        result.counter = counter
        try finalize(into: &result, mergedCounter: merged)
        if let remoteManifest { result.base.remoteCounter = max(result.base.remoteCounter, remoteManifest.counter) }
        if (merged != nil || lmc) && !holdPushes { result.base.remoteCounter = max(result.base.remoteCounter, counter) }
        return result
    }

    /// Both sides hold the same thing: the same blob at the same version, or both deleted.
    private func converged(_ name: RecordName) -> Bool {
        let l = localVersion(name), r = remoteVersion(name)
        guard l == r else { return false }
        let remote = remoteChanged[name]
        let localDeleted = snapshot.localVersions[name]?.deleted ?? true
        if localDeleted || remote?.deleted ?? true {
            guard localDeleted == (remote?.deleted ?? true) else { return false }
        } else {
            guard let mine = snapshot.localRecords[name], mine.blob == remote?.blob else { return false }
        }
        base.versions[name] = l
        return true
    }

    // MARK: Tampering

    /// What the server did to a record this machine holds, from the server's row of it.
    private func kindOfTampering(_ name: RecordName, _ theirs: StoredRecord) -> IntegrityIssue.Kind {
        let mineDeleted = snapshot.localVersions[name]?.deleted ?? true
        if theirs.deleted { return .dropped }
        if mineDeleted { return .reAdded }
        if theirs.version < baseVersion(name) { return .serverOlder }
        return alteredOrSwapped(name, theirs.blob)
    }

    /// `.swapped` when the blob is the one either manifest lists for another record, else `.altered`.
    func alteredOrSwapped(_ name: RecordName, _ blob: [UInt8]) -> IntegrityIssue.Kind {
        guard let digest = RecordDigest(blob: blob) else { return .altered }
        for manifest in [localManifest, remoteManifest].compactMap({ $0 }) {
            for (key, entry) in manifest.entries where entry.digest == digest && self.name(key) != name {
                return .swapped(with: describe(self.name(key)))
            }
        }
        return .altered
    }

    /// A change from the server that failed its checks: put back from this machine's copy when
    /// there is one, else only reported and left out.
    private func refuse(_ name: RecordName, _ record: StoredRecord, _ kind: IntegrityIssue.Kind) {
        remoteChanged[name] = nil
        if snapshot.localVersions[name] != nil {
            tampered[name] = record
            tamperKinds[name] = kind
        } else {
            issue(kind, name)
        }
    }

    /// Reports every tampered record (a rolled-back manifest root as one replay of the vault) and
    /// decides to put this machine's copy back. `resealed` when a copy must take a version above
    /// the server's (the manifest is then written anew).
    private func putBack() -> (count: Int, resealed: Bool) {
        let records = tampered.keys.filter { !manifestNames.contains($0) }
        switch tamperKinds[manifestName] {
        case .serverOlder?, .dropped?:
            let issue = IntegrityIssue(kind: .replayed(count: records.count), label: "the vault")
            if !report.issues.contains(issue) { report.issues.append(issue) }
        default:
            for name in records { issue(tamperKinds[name] ?? .altered, name) }
            for name in manifestNames where tamperKinds[name] != nil {
                let issue = IntegrityIssue(kind: tamperKinds[name]!, label: LogicalKey.manifest.displayName(label: nil))
                if !report.issues.contains(issue) { report.issues.append(issue) }
            }
        }
        var count = 0, resealed = false
        for (name, theirs) in tampered where snapshot.localVersions[name] != nil {
            if localVersion(name) <= theirs.version { resealed = true }
            guard !manifestNames.contains(name) else { continue }
            decisions[name] = .local
            count += 1
        }
        report.repaired = count
        return (count, resealed)
    }

    func issue(_ kind: IntegrityIssue.Kind, _ name: RecordName) {
        let issue = IntegrityIssue(kind: kind, label: describe(name))
        if !report.issues.contains(issue) { report.issues.append(issue) }
    }

    // MARK: Manifests

    /// Which logical key each record name stands for, from either manifest.
    private func mapNames() {
        for key in localManifest.entries.keys { nameToKey[name(key)] = key }
        for key in remoteManifest?.entries.keys ?? [:].keys where localManifest.entries[key] == nil {
            nameToKey[name(key)] = key
        }
    }

    /// Leaves out every changed record the server's own manifest does not vouch for.
    private func verifyRemoteRecords() {
        guard let remoteManifest else { return }
        var unlisted = 0
        for (name, record) in remoteChanged where !manifestNames.contains(name) {
            guard let key = nameToKey[name] else {
                if !record.deleted { unlisted += 1 }
                if !record.deleted { remoteChanged[name] = nil }
                continue
            }
            let listed = remoteManifest.entries[key]
            if !record.deleted, listed == nil, remoteManifest.tombstones[key] != nil {
                refuse(name, record, .reAdded)
                continue
            }
            if record.deleted {
                if listed != nil { refuse(name, record, .dropped) }
                continue
            }
            guard let listed else { unlisted += 1; remoteChanged[name] = nil; continue }
            if listed.version != record.version {
                refuse(name, record, .serverOlder)
                continue
            }
            // Opened and compared with the listed digest while it is copied (SyncPageCopy).
            if snapshot.deferred.contains(name) { continue }
            guard let payload = try? sealer.open(record) else {
                refuse(name, record, alteredOrSwapped(name, record.blob))
                continue
            }
            payload.wipe()
            if let digest = listed.digest, RecordDigest(blob: record.blob) != digest {
                refuse(name, record, alteredOrSwapped(name, record.blob))
            }
        }
        if unlisted > 0 { report.issues.append(IntegrityIssue(kind: .unlisted(count: unlisted), label: "records")) }
    }

    /// "onion 'Groceries'": how a record is named to the person, from either manifest's label.
    func describe(_ name: RecordName) -> String {
        guard let key = nameToKey[name] else { return "a record" }
        let label = (localManifest.entries[key] ?? remoteManifest?.entries[key])?.label
        return key.displayName(label: label.map { labels.string($0) })
    }
}
