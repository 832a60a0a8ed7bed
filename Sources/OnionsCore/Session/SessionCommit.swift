import OnionsCrypto

/// What a save writes: a record's new payload (with the label the manifest will list) or its deletion.
enum PendingWrite {
    case put(LogicalKey, SecretBytes, SizeClass, label: SecretBytes?)
    case delete(LogicalKey)

    /// The key it writes.
    var key: LogicalKey {
        switch self {
        case .put(let key, _, _, _), .delete(let key): return key
        }
    }
}

/// Commit: every save as one store transaction of its records and the manifest's changed parts.
extension Session {
    /// One save in the shape of every save (`SaveShape`): the given writes and fillers, the
    /// manifest parts that list them (padded to the same count) and the manifest's root with a
    /// higher counter. A format-1 manifest is written in parts here (every part).
    /// Throws `VaultError.readOnly` while the store's problems are not accepted (`heldIssues`).
    func commit(_ pending: [PendingWrite]) throws {
        guard heldIssues.isEmpty else { throw VaultError.readOnly }
        let companions = try companionWrites(for: pending)
        let fillers = try SaveShape.fillers(for: pending + companions)
        let seeds = try seedWrites(besides: pending + companions + fillers)
        defer {
            for case .put(_, let payload, _, _) in companions + fillers + seeds { payload.wipe() }
        }
        try commit(pending + companions + fillers + seeds, onto: nil, changedParts: [], deletingNames: [], shaped: true)
    }

    /// Every item is one small and one large record (FORMAT.md section 5): a task or card put
    /// puts its companion (the task's body, the card's head) too, and a delete deletes the
    /// companion the manifest lists (a task or card from before companions has none until its
    /// next write).
    private func companionWrites(for pending: [PendingWrite]) throws -> [PendingWrite] {
        var writes: [PendingWrite] = []
        var written = Set(pending.map(\.key))
        for write in pending {
            switch write {
            case .put(let key, _, _, let label):
                guard let companion = key.companion, !written.contains(companion) else { continue }
                let sizeClass: SizeClass = companion.isSmallCompanion ? .small : .large
                writes.append(.put(companion, try RecordPayload.filler(), sizeClass, label: label))
                written.insert(companion)
            case .delete(let key):
                guard let companion = key.companion, !written.contains(companion),
                      manifest.entries[companion] != nil else { continue }
                writes.append(.delete(companion))
                written.insert(companion)
            }
        }
        return writes
    }

    /// Sign-up's first records, listed in `m` at version 1: every filler slot of the small and
    /// large class and the task counter (0), sealed as writes that expect nothing.
    func seedRecords(into m: inout Manifest) throws -> [RecordWrite] {
        var records: [RecordWrite] = []
        for write in try seedWrites(besides: []) {
            guard case .put(let key, let payload, let sizeClass, _) = write else { continue }
            defer { payload.wipe() }
            let name = keys.name(key)
            let blob = try sealer.seal(payload, name: name, version: 1, sizeClass: sizeClass)
            records.append(.put(name: name, blob: blob, expectedVersion: 0))
            m.set(key, Manifest.Entry(version: 1, label: texts.add(UnsafeRawBufferPointer(start: nil, count: 0)),
                                      digest: RecordDigest(blob: blob)))
        }
        return records
    }

    /// What a vault written before sign-up seeded its records writes at its next save besides
    /// its shape (sign-up's seeds, `seedRecords`), so that the records per size class do not
    /// tell which kinds a vault holds: every filler slot of the small and large class, and the
    /// task counter.
    private func seedWrites(besides pending: [PendingWrite]) throws -> [PendingWrite] {
        let written = Set(pending.map(\.key))
        var seeds: [PendingWrite] = []
        for key in SaveShape.fillers where manifest.entries[key] == nil && !written.contains(key) {
            guard case .filler(let kind, _) = key, kind != .gone else { continue }
            seeds.append(.put(key, try RecordPayload.filler(), kind == .small ? .small : .large, label: nil))
        }
        if manifest.entries[.taskCounter] == nil && manifest.tombstones[.taskCounter] == nil
            && !written.contains(.taskCounter) {
            let next = tasks.last.map { UInt16(min(Int($0.id) + 1, Int(UInt16.max))) } ?? 0
            seeds.append(.put(.taskCounter, try RecordPayload.taskCounter(next), .small, label: nil))
        }
        return seeds
    }

    /// A commit onto `base` (nil: the session's manifest, changed in place so that a save does
    /// not copy a manifest of ten thousand entries; or one the caller changed in `changedParts`)
    /// that also deletes records by name (`deletingNames`, records no manifest lists). `shaped`:
    /// the manifest parts are padded to `SaveShape.parts`.
    func commit(_ pending: [PendingWrite], onto base: Manifest?, changedParts extraParts: Set<Int>,
                deletingNames: [RecordName], shaped: Bool = false) throws {
        let inPlace = base == nil && !manifest.isLegacy
        let before = (parts: manifest.parts, counter: manifest.counter, changed: manifest.changed, partCount: manifest.partCount,
                      journal: manifest.dirty)
        var next = base ?? manifest
        if inPlace { manifest = Manifest() }  // `next` holds the only reference: no copy
        /// Each key's entry and tombstone before this commit, to undo a failed one and to free labels.
        var previous: [(key: LogicalKey, entry: Manifest.Entry?, tombstone: UInt64?)] = []
        var writes: [RecordWrite] = []
        var newVersions: [LogicalKey: UInt64] = [:]
        var addedLabels: [Int] = []
        var changedParts = extraParts
        var chained: ChainWrite?
        for name in deletingNames {
            writes.append(.delete(name: name, expectedVersion: heldVersions[name] ?? 0))
        }
        let stamp = saveStamp()
        let sealer = self.sealer.stamping(stamp)
        let counter = max(before.counter, localState.counter) + 1
        var origin = copyOrigin
        copyOrigin = nil
        do {
            for p in pending {
                switch p {
                case .put(let key, let payload, let sizeClass, let labelText):
                    let name = keys.name(key)
                    let expected = versions[key] ?? heldVersions[name] ?? 0
                    let marked = ItemRef(key) != nil ? sealer.marking(origin) : sealer
                    if ItemRef(key) != nil { origin = nil }
                    let version = max(expected + 1, counter)
                    let blob = try marked.seal(payload, name: name, version: version, sizeClass: sizeClass)
                    writes.append(.put(name: name, blob: blob, expectedVersion: expected, version: version))
                    newVersions[key] = version
                    let labelHandle: Int
                    if let labelText {
                        labelHandle = texts.add(labelText)
                    } else {
                        labelHandle = texts.add(UnsafeRawBufferPointer(start: nil, count: 0))
                    }
                    addedLabels.append(labelHandle)
                    previous.append((key, next.entries[key], next.tombstones[key]))
                    changedParts.insert(next.set(key, Manifest.Entry(version: version, label: labelHandle,
                                                                     digest: RecordDigest(blob: blob))))
                case .delete(let key):
                    let expected = versions[key] ?? heldVersions[keys.name(key)] ?? 0
                    let version = max(expected + 1, counter)
                    writes.append(.delete(name: keys.name(key), expectedVersion: expected, version: version))
                    newVersions[key] = version
                    previous.append((key, next.entries[key], next.tombstones[key]))
                    changedParts.insert(next.setDeleted(key, version: version))
                }
            }
            let wasLegacy = next.isLegacy
            if next.isLegacy {
                try fillDigests(&next)
                changedParts.formUnion(next.usedParts)
                next.isLegacy = false
            }
            next.counter = counter
            next.changed = nowMilliseconds()
            if shaped {
                // The parts the counter names, whatever changed: the root's journal carries the
                // rest (a first save of a format-1 manifest writes every part besides).
                let scheduled = SaveShape.scheduledParts(counter: next.counter, partCount: next.partCount)
                changedParts = wasLegacy ? changedParts.union(scheduled) : scheduled
                writes = SaveShape.ordered(writes)
            }
            writes += try sealedManifest(&next, parts: changedParts, sealer: sealer)
            try LocalState.checkWritable(directory: stateDirectory)
            sync?.beforeLocalWrite(self, names: writes.map(\.name))
            let companions = pending.map(\.key).filter(\.isCompanion).map { keys.name($0) }
            companionNames.formUnion(companions)
            noteHistoryExclusions(companions: companions)
            // The save's commit, in the same transaction: it follows this machine's head.
            chained = try chainWrite(parents: (try openChain())?.head.map { [$0] } ?? [], writes: writes)
            let commits = chained.map { [$0.blob] } ?? []
            try Self.wrapStore { try store.apply(vault: vault, writes: writes + (chained.map { [$0.write] } ?? []),
                                                 commits: commits) }
        } catch {
            if inPlace {
                for (key, entry, tombstone) in previous.reversed() {
                    if let entry { next.set(key, entry) }
                    else if let tombstone { next.setDeleted(key, version: tombstone) }
                    else { next.forget(key) }
                }
                if next.partCount != before.partCount { next.repartition(to: before.partCount) }
                (next.parts, next.counter, next.changed, next.dirty) = (before.parts, before.counter, before.changed, before.journal)
                manifest = next
            }
            for handle in addedLabels { texts.remove(handle) }
            throw error
        }
        // Labels the new manifest no longer uses.
        if inPlace {
            for (key, entry, _) in previous {
                if let old = entry?.label, next.entries[key]?.label != old { texts.remove(old) }
            }
        } else {
            for (key, entry) in manifest.entries where next.entries[key]?.label != entry.label {
                texts.remove(entry.label)
            }
        }
        manifest = next
        manifestVersion += 1
        versions[.manifest] = manifestVersion
        for (key, version) in newVersions { versions[key] = version }
        localState.counter = next.counter
        if let chained { chainWritten(chained) }
        try localState.save(directory: stateDirectory, vault: vault, vaultUUID: parameters.vaultUUID)
        sync?.noteLocalSave()
        expireHistoryIfDue()
    }

    /// Who writes this save's records: this machine, the count its commit will have, now.
    func saveStamp() -> VersionStamp {
        VersionStamp(machine: localState.machineID.bytes, count: (chain?.head?.count ?? 0) + 1, time: nowMilliseconds())
    }

    /// `next`'s parts `indices` and root sealed (`Manifest.seal`) one version above what the
    /// store holds, as writes that expect those versions: the manifest of every commit, and of
    /// a key rotation's batch (sealed with the new keys).
    func sealedManifest(_ next: inout Manifest, parts indices: some Sequence<Int>, sealer: RecordSealer) throws -> [RecordWrite] {
        try next.seal(parts: indices, partNames: manifestPartNames, labels: texts, sealer: sealer,
                      rootVersion: manifestVersion + 1) { _, current in current + 1 }
            .map { .put(name: $0.name, blob: $0.blob, expectedVersion: $0.version - 1) }
    }

    /// Gives every entry of a format-1 manifest the digest of the record the store holds at its
    /// listed version (the infos, which log in does not read), in slices.
    private func fillDigests(_ m: inout Manifest) throws {
        var byName: [RecordName: LogicalKey] = [:]
        for (key, entry) in m.entries where entry.digest == nil { byName[keys.name(key)] = key }
        let names = Array(byName.keys)
        for start in stride(from: 0, to: names.count, by: 512) {
            let slice = Array(names[start..<min(start + 512, names.count)])
            for record in try Self.wrapStore({ try store.records(vault: vault, names: slice) }) {
                guard let key = byName[record.name], m.entries[key]?.version == record.version,
                      let digest = RecordDigest(blob: record.blob) else { continue }
                m.setDigest(key, digest)
            }
        }
        // A listed record the store does not hold at its version cannot be vouched for: it is
        // reported at every log in until it is written again or deleted.
        for (key, entry) in m.entries where entry.digest == nil {
            m.setDigest(key, RecordDigest(bytes: [UInt8](repeating: 0, count: 16)))
        }
    }
}
