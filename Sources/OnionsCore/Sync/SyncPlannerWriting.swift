import OnionsCrypto

/// Writing a round's decisions: the batches for both sides, the new base, and the merged
/// manifest (sealed by `Manifest.seal`, like every save's).
extension SyncPlanner {
    /// The manifest both sides end with, once every other record's final version is known:
    /// every key either manifest lists (live or deleted) at its final version and digest. Sealed
    /// into the parts either side changed or that list a decided record, then the root.
    func writeMergedManifest(counter: UInt64, finalVersions: [RecordName: UInt64],
                                     onBoth: (RecordName, [UInt8]?, UInt64) -> Void) throws {
        // As many parts as the larger side has (`seal` doubles them if the union outgrew that).
        var merged = Manifest(partCount: max(localManifest.partCount, remoteManifest?.partCount ?? Manifest.minPartCount))
        merged.counter = counter
        merged.changed = snapshot.now
        var keys = Set(localManifest.entries.keys)
        keys.formUnion(remoteManifest?.entries.keys ?? [:].keys)
        keys.formUnion(localManifest.tombstones.keys)
        keys.formUnion(remoteManifest?.tombstones.keys ?? [:].keys)
        keys.formUnion(newKeys.keys)
        var changedParts = Set(partNames.indices.filter {
            localChanged(partNames[$0]) || remoteChanged[partNames[$0]] != nil || tampered[partNames[$0]] != nil
        })
        for key in keys where !key.isManifest {
            let name = name(key)
            if decisions[name] != nil { changedParts.insert(merged.part(of: key)) }
            switch finalState(name) {
            case .live(let version):
                let label = decisionLabels[name] ?? newKeys[key] ?? labelFor(key: key, name: name) ?? emptyLabel()
                let digest = finalDigests[name]
                    ?? [localManifest.entries[key], remoteManifest?.entries[key]].lazy
                        .compactMap { $0 }.first { $0.version == version }?.digest
                    ?? RecordDigest(bytes: [UInt8](repeating: 0, count: 16))
                merged.set(key, Manifest.Entry(version: version, label: label, digest: digest))
            case .deleted:
                merged.setDeleted(key, version: finalVersions[name] ?? max(localVersion(name), remoteVersion(name)))
            case .absent:
                if let entry = remoteManifest?.entries[key] ?? localManifest.entries[key] {
                    merged.set(key, entry)
                } else if let version = [localManifest.tombstones[key], remoteManifest?.tombstones[key]]
                            .compactMap({ $0 }).max() {
                    merged.setDeleted(key, version: version)
                }
            }
        }
        if localManifest.partCount != merged.partCount || (remoteManifest.map { $0.partCount != merged.partCount } ?? false) {
            // A side with fewer parts lists its keys elsewhere: every part is written to both.
            changedParts = Set(0..<merged.partCount)
        }
        // What either side's root journals is not in its parts: those parts are written, and
        // the merged manifest journals nothing (every part it does not write lists the same on
        // both sides as the merge).
        for side in [localManifest, remoteManifest].compactMap({ $0 }) {
            for key in side.dirty { changedParts.insert(merged.part(of: key)) }
        }
        merged.clearJournal()
        changedParts = changedParts.filter { $0 < merged.partCount }
        for index in 0..<merged.partCount where !changedParts.contains(index) {
            merged.parts[index] = localManifest.parts[index]
        }
        let rootVersion = max(localVersion(manifestName), remoteVersion(manifestName)) + 1
        let sealed = try merged.seal(parts: changedParts, partNames: partNames, labels: labels, sealer: sealer,
                                     rootVersion: rootVersion) { index, _ in
            max(localVersion(partNames[index]), remoteVersion(partNames[index])) + 1
        }
        for record in sealed { onBoth(record.name, record.blob, record.version) }
    }

    private func emptyLabel() -> Int { labels.add(UnsafeRawBufferPointer(start: nil, count: 0)) }

    private func labelFor(key: LogicalKey, name: RecordName) -> Int? {
        if case .remote? = decisions[name] { return remoteManifest?.entries[key]?.label ?? localManifest.entries[key]?.label }
        return localManifest.entries[key]?.label ?? remoteManifest?.entries[key]?.label
    }

    enum FinalState { case live(UInt64), deleted, absent }

    /// A record's state once the round's decisions are written.
    func finalState(_ name: RecordName) -> FinalState {
        let l = localVersion(name), r = remoteVersion(name)
        switch decisions[name] {
        case .remote(let record)?:
            if record.deleted { return .deleted }
            return .live(record.version > l ? record.version : max(l, record.version) + 1)
        case .local?:
            guard let entry = snapshot.localVersions[name], !entry.deleted else { return .deleted }
            return .live(entry.version > r ? entry.version : max(entry.version, r) + 1)
        case .payload?:
            return .live(max(l, r) + 1)
        case .tombstone?:
            return .deleted
        case nil:
            guard let entry = snapshot.localVersions[name] else { return .absent }
            return entry.deleted ? .deleted : .live(entry.version)
        }
    }

    // MARK: Writing

    /// Turns decisions into write batches for both sides and the new base; the manifest last
    /// (merged at `mergedCounter` when given), so each batch leaves it for the end like a save does.
    func finalize(into plan: inout SyncPlan, mergedCounter: UInt64?) throws {
        plan.base.versions = base.versions
        let rootDecided = decisions[manifestName] != nil
        let ordered = decisions.keys.filter { !manifestNames.contains($0) }
            + decisions.keys.filter { manifestNames.contains($0) && $0 != manifestName }
            + (rootDecided ? [manifestName] : [])
        /// Both sides end at `version` with `blob` (nil: deleted). Pushes held: this machine now,
        /// the server's side from the outbox (the base stays at the server's version).
        func onBoth(_ name: RecordName, _ blob: [UInt8]?, at version: UInt64) {
            if let write = RecordWrite.reaching(name, from: localVersion(name), to: version, blob: blob) {
                plan.localWrites.append(write)
            }
            if let blob { finalDigests[name] = RecordDigest(blob: blob) }
            if holdPushes {
                // The ancestor is the server's copy at the base kept here: the one it sent now,
                // or the one kept when this machine first changed the record.
                heldWrites += 1
                plan.base.versions[name] = remoteVersion(name)
                if let theirs = remoteChanged[name], !theirs.deleted, name != manifestName {
                    plan.ancestors.append(theirs)
                }
                return
            }
            if let write = RecordWrite.reaching(name, from: remoteVersion(name), to: version, blob: blob) {
                plan.remoteWrites.append(write)
            }
            plan.base.versions[name] = version
            plan.touched.append(name)
        }
        for name in ordered {
            let l = localVersion(name), r = remoteVersion(name)
            /// Both sides end with `payload` sealed again above either side's version.
            /// A conflict copy's record carries where it came from (`origins`).
            func sealedOnBoth(_ payload: SecretBytes, _ sizeClass: SizeClass, origin: ConflictOrigin? = nil) throws {
                let version = max(l, r) + 1
                let sealer = self.sealer.marking(origin ?? origins[name])
                onBoth(name, try sealer.seal(payload, name: name, version: version, sizeClass: sizeClass), at: version)
            }
            /// A record whose version one side already passed: its payload (and origin), sealed again.
            func resealedOnBoth(_ record: StoredRecord) throws {
                let (payload, _, origin) = try sealer.openMarked(record)
                defer { payload.wipe() }
                try sealedOnBoth(payload, sizeClass(record), origin: origin)
            }
            /// One side takes the other's blob as it is.
            func copied(_ record: StoredRecord, toLocal: Bool) {
                finalDigests[name] = RecordDigest(blob: record.blob)
                if toLocal {
                    if let write = RecordWrite.reaching(name, from: l, to: record.version, blob: record.blob) {
                        plan.localWrites.append(write)
                    }
                } else if holdPushes {
                    // Stays in the outbox, against what the server holds now.
                    heldWrites += 1
                    plan.base.versions[name] = r
                    return
                } else {
                    if let write = RecordWrite.reaching(name, from: r, to: record.version, blob: record.blob) {
                        plan.remoteWrites.append(write)
                    }
                }
                plan.base.versions[name] = record.version
                plan.touched.append(name)
            }
            switch decisions[name]! {
            case .remote(let record) where snapshot.deferred.contains(name) && record.version > l:
                // Its blob comes a page at a time and must have the digest the server's manifest lists.
                let digest = nameToKey[name].flatMap { remoteManifest?.entries[$0] }?.digest
                finalDigests[name] = digest
                if let digest { plan.copyDigests[name] = digest }
                plan.localCopies.append(.put(name: name, blob: [], expectedVersion: l, version: record.version))
                plan.base.versions[name] = record.version
                plan.touched.append(name)
            case .local where snapshot.deferredLocal.contains(name) && localVersion(name) > r:
                // Sent from this machine's store a page at a time, unless pushes are held.
                let version = localVersion(name)
                finalDigests[name] = nameToKey[name].flatMap { localManifest.entries[$0] }
                    .flatMap { $0.version == version ? $0.digest : nil }
                if holdPushes {
                    heldWrites += 1
                    plan.base.versions[name] = r
                    continue
                }
                plan.remoteCopies.append(.put(name: name, blob: [], expectedVersion: r, version: version))
                plan.base.versions[name] = version
                plan.touched.append(name)
            case .remote(let record):
                if record.deleted {
                    onBoth(name, nil, at: tombstoneTarget(name, l, r))
                } else if record.version > l {
                    copied(record, toLocal: true)
                } else {
                    try resealedOnBoth(record)
                }
            case .local:
                if let record = snapshot.localRecords[name] {
                    if record.version > r {
                        copied(record, toLocal: false)
                    } else {
                        try resealedOnBoth(record)
                    }
                } else {
                    onBoth(name, nil, at: tombstoneTarget(name, l, r))
                }
            case .payload(let payload, let sizeClass, _):
                defer { payload.wipe() }
                try sealedOnBoth(payload, sizeClass)
            case .tombstone:
                onBoth(name, nil, at: tombstoneTarget(name, l, r))
            }
        }
        if let mergedCounter {
            let finalVersions = plan.base.versions
            try writeMergedManifest(counter: mergedCounter, finalVersions: finalVersions) { onBoth($0, $1, at: $2) }
        }
        // The server sees a push's records in the one order of a save (small puts, large puts,
        // tombstones, each by name), then the manifest's parts and root: not in the order of a
        // dictionary of decisions, which followed the names' hashes.
        let manifestWrites = plan.remoteWrites.filter { manifestNames.contains($0.name) }
        plan.remoteWrites = SaveShape.ordered(plan.remoteWrites.filter { !manifestNames.contains($0.name) }) + manifestWrites
    }

    private func sizeClass(_ record: StoredRecord) -> SizeClass {
        record.blob.count > 1 ? SizeClass(rawValue: record.blob[1]) ?? .large : .large
    }

    private func tombstoneTarget(_ name: RecordName, _ l: UInt64, _ r: UInt64) -> UInt64 {
        let t = max(l, r)
        let localLive = snapshot.localVersions[name].map { !$0.deleted } ?? false
        let remoteLive = (tampered[name] ?? remoteChanged[name]).map { !$0.deleted } ?? false
        if (l == t && localLive) || (r == t && remoteLive) { return t + 1 }
        return t
    }
}
