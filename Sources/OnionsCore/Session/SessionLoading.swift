import OnionsCrypto

/// Loading a vault and checking it against its manifest; naming records for people.
extension Session {
    /// Reads the vault again from the store (after sync changed it). Handles in `texts` and the
    /// summaries from before are invalid afterwards: find items again by id. A restored draft stays.
    func reload() throws {
        onions.removeAll()
        cards.removeAll()
        tasks.removeAll()
        settings.wipe()
        settings = VaultSettings()
        texts.wipe()
        infoTexts.wipe()
        infoIndex = nil
        forgetSearchText()
        manifest = Manifest()
        manifestVersion = 0
        manifestIsDamaged = false
        repair = StoreRepair()
        heldIssues.removeAll()
        versions.removeAll()
        heldVersions.removeAll()
        issues.removeAll()
        reloading = true
        defer { reloading = false }
        try load()
    }

    /// Reads the manifest, compares it with what the store holds, and opens every small record.
    func load() throws {
        let manifestName = keys.name(.manifest)
        let sealer = self.sealer  // one sealer for the whole read, not one per record
        let stored = try Self.wrapStore { try store.record(vault: vault, name: manifestName) }
        let found = try Self.wrapStore {
            try Manifest.read(root: stored, sealer: sealer, labels: texts) { try store.records(vault: vault, names: $0) }
        }
        // Sign-up writes the header and the first manifest together: a vault without one was
        // emptied or damaged, never merely new.
        switch found {
        case .found(let m, let version):
            manifest = m
            manifestVersion = version
        case .absent, .damaged:
            hold(IntegrityIssue(kind: .manifest, label: LogicalKey.manifest.displayName(label: nil)))
            if case .damaged(let version) = found { manifestVersion = version }
            manifestIsDamaged = true
        }
        if manifest.counter < localState.counter {
            hold(IntegrityIssue(kind: .rolledBack(seen: localState.counter, found: manifest.counter), label: "the vault"))
        }
        versions[.manifest] = manifestVersion

        // Every listed key named once: `listed` and `names` hold it at the same position. What a
        // log in opens (titles, tasks, cards, the settings, drafts) is marked `wanted` until it
        // opened or was reported.
        texts.reserve(bytes: manifest.entries.count * 40, handles: manifest.entries.count)
        companionNames.removeAll()
        var listed: [(key: LogicalKey, version: UInt64, digest: RecordDigest?)] = []
        listed.reserveCapacity(manifest.entries.count)
        var names = NameIndex(capacity: manifest.entries.count)
        var wanted: [Bool] = []
        wanted.reserveCapacity(manifest.entries.count)
        for (key, entry) in manifest.entries {
            let name = keys.name(key)
            // Distinct keys have distinct names (an HMAC), so positions stay in step.
            precondition(names.append(name) == listed.count, "two listed keys share a record name")
            listed.append((key, entry.version, entry.digest))
            if key.isCompanion { companionNames.insert(name) }
            switch key {
            case .onionInfo: wanted.append(false)  // opened on demand
            case .filler, .taskBody, .cardHead, .draftHead, .settingsHead: wanted.append(false)  // hold nothing
            default: wanted.append(true)
            }
        }

        // What the store holds (name, version, tombstone: the versions a later save continues
        // from) and every small record, in one read. A listed name's live version goes to
        // `heldLive` at its index; every other row (tombstones, the manifest's own records,
        // the head, whatever no manifest lists) to `heldVersions`. A small record the manifest
        // lists at that version is opened in place into one reused secret buffer as the read
        // passes it; what it finds wrong is reported after the checks below, in the order a
        // person reads them.
        heldVersions.reserveCapacity(manifest.tombstones.count + manifest.partCount + 2)
        var heldLive = [UInt64?](repeating: nil, count: listed.count)
        var deadNames: Set<RecordName> = []
        var openIssues: [(IntegrityIssue.Kind, LogicalKey)] = []
        let scratch = SecretBytes(count: 0, capacity: RecordSealer.scratchCapacity)
        defer { scratch.wipe() }
        // What opens is collected here and added to the session's lists once, at the end.
        var opened = Opened()
        opened.onions.reserveCapacity(manifest.entries.count / 2)
        let legacy = manifest.isLegacy
        func openWanted(_ name: RecordName, _ version: UInt64, _ blob: UnsafeRawBufferPointer) {
            guard let i = names.position(of: name), wanted[i], listed[i].version == version else { return }
            wanted[i] = false
            let key = listed[i].key, expected = listed[i].digest
            let digest = RecordDigest(blob: blob)
            do {
                // Opened and parsed first: what does not open is damaged, what opens but is
                // not the copy this vault wrote is replaced.
                var reader = try sealer.open(name: name, version: version, blob: blob, into: scratch)
                try openSmall(key: key, reader: &reader, keep: expected == nil || expected == digest, into: &opened)
                if let expected, expected != digest { openIssues.append((.replaced, key)) }
                // A format-1 manifest learns the digests of what it opened.
                if legacy, let digest { manifest.setDigest(key, digest) }
            } catch {
                openIssues.append((.damaged, key))
            }
        }
        try Self.wrapStore {
            try store.scanForLogIn(vault: vault, blobLength: SizeClass.smallSealedLength, held: { name, version, deleted in
                if !deleted, let i = names.position(of: name) {
                    heldLive[i] = version
                    return
                }
                heldVersions[name] = version
                if deleted { deadNames.insert(name) }  // a store holds each name once
            }, sized: openWanted)
        }
        func liveVersion(_ name: RecordName) -> UInt64? {
            guard let version = heldVersions[name], deadNames.isEmpty || !deadNames.contains(name) else { return nil }
            return version
        }
        // What the store holds beyond the listed keys is found by counting (by name only when
        // the counts differ).
        let unlistedNames = [manifestName, chainHeadName] + manifestPartNames
        var matched = unlistedNames.reduce(0) { $0 + (liveVersion($1) == nil ? 0 : 1) }

        // A record deleted in the manifest that is live again was put back behind this program.
        for (key, _) in manifest.tombstones {
            let name = keys.name(key)
            if key.isCompanion { companionNames.insert(name) }
            if liveVersion(name) != nil {
                matched += 1
                report(.reAdded, key)
            }
        }

        // Filled as a local table and put back once: no access to the session's own table for
        // each of tens of thousands of keys.
        var loadedVersions = versions
        versions = [:]
        loadedVersions.reserveCapacity(loadedVersions.count + manifest.entries.count)
        for i in listed.indices {
            let key = listed[i].key
            guard let version = heldLive[i] else {
                report(.missing, key)
                wanted[i] = false
                continue
            }
            loadedVersions[key] = version
            if version != listed[i].version {
                report(.older, key)
                wanted[i] = false
            }
        }
        versions = loadedVersions
        if heldVersions.count - deadNames.count > matched {
            var known = Set(unlistedNames)
            known.formUnion(manifest.tombstones.keys.map { keys.name($0) })
            let unlisted = heldVersions.keys.filter { !known.contains($0) && !deadNames.contains($0) }
            hold(IntegrityIssue(kind: .unlisted(count: unlisted.count), label: "records"))
            repair.deleteNames.formUnion(unlisted)
        }

        // What the read did not bring (the few larger records: cards, settings, drafts) is
        // read by name, in slices, so that the sealed blobs of a large vault are never all in
        // memory at once.
        let rest = listed.indices.filter { wanted[$0] }.map { names.names[$0] }
        for start in stride(from: 0, to: rest.count, by: 512) {
            let slice = Array(rest[start..<min(start + 512, rest.count)])
            for record in try Self.wrapStore({ try store.records(vault: vault, names: slice) }) {
                record.blob.withUnsafeBytes { openWanted(record.name, record.version, $0) }
            }
        }
        for (kind, key) in openIssues { report(kind, key) }
        onions = (onions + opened.onions).sorted { ($0.modified, $0.created) > ($1.modified, $1.created) }
        cards = (cards + opened.cards).sorted { $0.created > $1.created }
        tasks = (tasks + opened.tasks).sorted { $0.id < $1.id }
        localState.counter = max(localState.counter, manifest.counter)
        try localState.save(directory: stateDirectory, vault: vault, vaultUUID: parameters.vaultUUID)
        try loadChain()
        noteHeaderBinding()
    }

    /// The summaries a log in opened, added to the session's lists when it is done.
    private struct Opened {
        var onions: [OnionSummary] = []
        var cards: [CardSummary] = []
        var tasks: [TaskSummary] = []
    }

    /// Adds one record read at log in to `opened` (titles, cards, tasks) or the session (the
    /// settings, the draft): whole (no leftover bytes) and with the id of the key it was read
    /// under, or nothing. `keep` false: only checks that it parses.
    private func openSmall(key: LogicalKey, reader r: inout PayloadReader, keep: Bool, into opened: inout Opened) throws {
        switch key {
        case .onionTitle(let id):
            let t = try RecordPayload.OnionTitle.read(&r) { texts.add($0) }
            func drop() { texts.remove(t.title); if let f = t.folder { texts.remove(f) } }
            guard t.id == id, r.remaining == 0 else { drop(); throw VaultError.malformed }
            guard keep else { drop(); return }
            opened.onions.append(OnionSummary(id: id, title: t.title, created: t.created, modified: t.modified, folder: t.folder))
        case .card(let id):
            let c = try RecordPayload.Card.read(&r) { texts.add($0) }
            guard c.id == id, r.remaining == 0 else { texts.remove(c.recipient); throw VaultError.malformed }
            guard keep else { texts.remove(c.recipient); return }
            opened.cards.append(CardSummary(id: id, recipient: c.recipient, created: c.created, modified: c.modified))
        case .task(let id):
            let t = try RecordPayload.Task.read(&r) { texts.add($0) }
            guard t.id == id, r.remaining == 0 else { texts.remove(t.text); throw VaultError.malformed }
            guard keep else { texts.remove(t.text); return }
            opened.tasks.append(TaskSummary(id: id, text: t.text, done: t.done))
        case .taskCounter:
            _ = try RecordPayload.readTaskCounter(&r)
            try r.expectEnd()
        case .settings:
            var raw = try RecordPayload.Settings.read(&r)
            var read = try VaultSettings(taking: &raw)
            guard r.remaining == 0 else { read.wipe(); throw VaultError.malformed }
            guard keep else { read.wipe(); return }
            settings.wipe()
            settings = read
        case .draft:
            let d = try RecordPayload.Draft.read(&r, titleCapacity: FieldLimit.onionTitle.maxBytes,
                                                 infoCapacity: FieldLimit.onionInfo.maxBytes)
            // Another machine's draft is left as it is: it goes back there, never here.
            guard r.remaining == 0, !reloading, keep, isOwnDraft(key) else {
                d.wipe()
                try r.expectEnd()
                return
            }
            draft = Draft(kind: d.kind, target: d.target, title: d.title, info: d.info)
        case .onionInfo, .manifest, .manifestPart, .filler, .taskBody, .cardHead, .draftHead, .settingsHead:
            throw VaultError.malformed
        }
    }

    /// How a logical key is named to the person, by the label the manifest holds.
    func label(_ key: LogicalKey) -> String {
        key.displayName(label: manifest.entries[key].map { texts.string($0.label) })
    }

    /// Opens the record the manifest lists under `key`: present, at the listed version, and
    /// authentic, or reported (by name, in `issues`) and thrown as `VaultError.damaged`.
    func openListed(_ key: LogicalKey, missing: String) throws -> SecretBytes {
        guard let entry = manifest.entries[key] else { throw VaultError.noSuchItem(missing) }
        guard let record = try Self.wrapStore({ try store.record(vault: vault, name: keys.name(key)) }) else {
            report(.missing, key)
            throw VaultError.damaged(label(key))
        }
        guard record.version == entry.version else {
            report(.older, key)
            throw VaultError.damaged(label(key))
        }
        if let listed = entry.digest, RecordDigest(blob: record.blob) != listed {
            report(.replaced, key)
            throw VaultError.damaged(label(key))
        }
        do { return try sealer.open(record) } catch {
            report(.damaged, key)
            throw VaultError.damaged(label(key))
        }
    }

    /// Reports what the store did to the record of `key` and holds the vault read-only.
    func report(_ kind: IntegrityIssue.Kind, _ key: LogicalKey) {
        hold(IntegrityIssue(kind: kind, label: label(key)))
        repair.note(kind, key)
    }

    /// Reports an issue and holds the vault read-only until the person accepts the store's state.
    func hold(_ issue: IntegrityIssue) {
        if !issues.contains(issue) { issues.append(issue) }
        if !heldIssues.contains(issue) { heldIssues.append(issue) }
    }
}
