import OnionsCrypto

/// Records both machines changed since their last sync: merged, or kept twice.
///
/// Onions: a title changed on one side only takes that side's; infos merge line by line
/// against the common ancestor (the blob both last agreed on, kept when this machine first
/// changed the record). Overlapping edits keep the server's version in place and this
/// machine's as a new onion titled "... (conflict N)". Cards and drafts cannot be merged: the
/// other version becomes a copy. Tasks merge text and done mark; two tasks that took the same
/// free number move this machine's to another one. Deleted against edited keeps the edit.
extension SyncPlanner {
    struct Sides {
        var local: SecretBytes?
        var remote: SecretBytes?
        var base: SecretBytes?
        func wipe() { local?.wipe(); remote?.wipe(); base?.wipe() }
    }

    /// Keeps the server's version of a record, or this machine's when the server's was left out
    /// (reported as damaged or older by `verifyRemoteRecords`): never a crash on what a server sends.
    func keepServer(_ name: RecordName) -> Decision {
        remoteChanged[name].map { .remote($0) } ?? .local
    }

    func sides(_ name: RecordName) throws -> Sides {
        var result = Sides()
        let sealer = session.sealer
        if let entry = localVersions[name], !entry.deleted, let record = try local.record(vault: vault, name: name) {
            result.local = try? sealer.open(record)
        }
        if let record = remoteChanged[name] {
            if !record.deleted { result.remote = try? sealer.open(record) }
        } else if !localChanged(name) {
            result.remote = result.local?.copy()
        } else if let ancestor = SyncBase.ancestor(local, vault: vault, name: name, version: baseVersion(name)) {
            result.remote = try? sealer.open(ancestor)
        }
        if !localChanged(name) {
            result.base = result.local?.copy()
        } else if let ancestor = SyncBase.ancestor(local, vault: vault, name: name, version: baseVersion(name)) {
            result.base = try? sealer.open(ancestor)
        }
        return result
    }

    func resolve(_ names: [RecordName]) throws {
        var onionIDs: [String: ItemID] = [:]
        for name in names {
            guard let key = nameToKey[name] else {
                decisions[name] = keepServer(name)
                continue
            }
            if key.hasPrefix("onion/"), let id = itemID(key.dropFirst(6).prefix(32)) {
                onionIDs[id.description] = id
            } else if key.hasPrefix("card/"), let id = itemID(key.dropFirst(5)) {
                try resolveCard(name, id: id, key: key)
            } else if key == LogicalKey.taskMax {
                taskMaxConflict = true
            } else if key == LogicalKey.draft {
                try resolveDraft(name)
            } else if key.hasPrefix("task_"), let id = UInt16(key.dropFirst(5)) {
                try resolveTask(name, id: id, key: key)
            } else {
                decisions[name] = keepServer(name)
            }
        }
        for id in onionIDs.values { try resolveOnion(id) }
    }

    private func itemID<S: StringProtocol>(_ hex: S) -> ItemID? {
        guard hex.count == 32, let bytes = Hex.decode(String(hex)) else { return nil }
        return ItemID(bytes: bytes)
    }

    /// The decision for a record whose one side is deleted: keep the other (an edit wins).
    private func keepLiving(_ name: RecordName, _ sides: Sides) -> Bool {
        switch (sides.local != nil, sides.remote != nil) {
        case (false, false): decisions[name] = .tombstone
        case (true, false): decisions[name] = .local
        case (false, true): decisions[name] = .remote(remoteChanged[name] ?? StoredRecord(name: name, version: 0, blob: [], deleted: true, sequence: 0))
        case (true, true): return false
        }
        return true
    }

    // MARK: Onions

    private func resolveOnion(_ id: ItemID) throws {
        let titleKey = LogicalKey.onionTitle(id), infoKey = LogicalKey.onionInfo(id)
        let titleName = session.keys.name(titleKey), infoName = session.keys.name(infoKey)
        let titles = try sides(titleName), infos = try sides(infoName)
        defer { titles.wipe(); infos.wipe() }
        let what = describe(titleName)
        if keepLiving(titleName, titles) {
            _ = keepLiving(infoName, infos)
            if titles.local != nil || titles.remote != nil {
                report.restored.append("\(what) was deleted on one machine and edited on the other; the edit is kept")
            }
            return
        }
        guard let l = try? SyncContent.onionTitle(titles.local!), let r = try? SyncContent.onionTitle(titles.remote!) else {
            decisions[titleName] = keepServer(titleName)
            decisions[infoName] = keepServer(infoName)
            return
        }
        let b = titles.base.flatMap { try? SyncContent.onionTitle($0) }
        defer { l.title.wipe(); r.title.wipe(); b?.title.wipe() }
        let li = infos.local.flatMap { try? SyncContent.onionInfo($0) } ?? SecretBytes(count: 0)
        let ri = infos.remote.flatMap { try? SyncContent.onionInfo($0) } ?? SecretBytes(count: 0)
        let bi = infos.base.flatMap { try? SyncContent.onionInfo($0) }
        defer { li.wipe(); ri.wipe(); bi?.wipe() }

        let title = Self.pick(l.title, r.title, b?.title)
        var info: SecretBytes?
        if SyncContent.equal(li, ri) { info = li.copy() }
        else if let bi { info = ThreeWayMerge.merge(base: bi, local: li, remote: ri) }
        if let merged = info, (try? FieldLimit.onionInfo.check(merged)) == nil { merged.wipe(); info = nil }
        if let title, let info {
            defer { info.wipe() }
            if SyncContent.equal(title, r.title) && SyncContent.equal(info, ri) {
                decisions[titleName] = keepServer(titleName)
                decisions[infoName] = keepServer(infoName)
            } else {
                let (tp, ip) = try SyncContent.encodeOnion(id: id, created: min(l.created, r.created),
                                                           modified: max(nowMilliseconds(), l.modified, r.modified),
                                                           title: title, info: info)
                let label = labels.add(title)
                decisions[titleName] = .payload(tp, .small, label: label)
                decisions[infoName] = .payload(ip, .large, label: label)
                decisionLabels[titleName] = label
                decisionLabels[infoName] = label
            }
            report.merged.append("\(what): the edits of both machines are merged")
            return
        }
        title?.wipe()
        // Overlapping edits: the server's stays, this machine's becomes a new onion.
        decisions[titleName] = keepServer(titleName)
        decisions[infoName] = keepServer(infoName)
        let copyTitle = uniqueConflictName(l.title, limit: .onionTitle, prefix: "onion/")
        defer { copyTitle.wipe() }
        let copy = ItemID.random()
        let (tp, ip) = try SyncContent.encodeOnion(id: copy, created: l.created, modified: l.modified,
                                                   title: copyTitle, info: li)
        let label = labels.add(copyTitle)
        addNew(LogicalKey.onionTitle(copy), tp, .small, label: label)
        addNew(LogicalKey.onionInfo(copy), ip, .large, label: label)
        report.conflicts.append("\(what) was changed on both machines; this machine's version is kept as onion '\(labels.string(label))'")
    }

    /// The side that changed when only one did; either when both agree; nil when both changed.
    static func pick(_ l: SecretBytes, _ r: SecretBytes, _ b: SecretBytes?) -> SecretBytes? {
        if SyncContent.equal(l, r) { return l.copy() }
        guard let b else { return nil }
        if SyncContent.equal(b, l) { return r.copy() }
        if SyncContent.equal(b, r) { return l.copy() }
        return nil
    }

    func addNew(_ key: String, _ payload: SecretBytes, _ sizeClass: SizeClass, label: Int) {
        let name = session.keys.name(key)
        nameToKey[name] = key
        newKeys[key] = label
        decisions[name] = .payload(payload, sizeClass, label: label)
        decisionLabels[name] = label
    }

    /// "text (conflict N)" with the lowest N from 2 that no item of the kind is labelled with.
    func uniqueConflictName(_ text: SecretBytes, limit: FieldLimit, prefix: String) -> SecretBytes {
        var taken: [Int] = []
        for (key, entry) in localManifest.entries where key.hasPrefix(prefix) { taken.append(entry.label) }
        for (key, entry) in remoteManifest?.entries ?? [:] where key.hasPrefix(prefix) { taken.append(entry.label) }
        for (key, label) in newKeys where key.hasPrefix(prefix) { taken.append(label) }
        var number = 2
        while true {
            let candidate = SyncContent.conflictName(text, number: number, limit: limit)
            let used = taken.contains { handle in
                labels.withBytes(handle) { existing in candidate.withUnsafeBytes { existing.count == $0.count && ConstantTime.equals(existing, $0) } }
            }
            if !used { return candidate }
            candidate.wipe()
            number += 1
        }
    }

    // MARK: Cards

    private func resolveCard(_ name: RecordName, id: ItemID, key: String) throws {
        let s = try sides(name)
        defer { s.wipe() }
        let what = describe(name)
        if keepLiving(name, s) {
            report.restored.append("\(what) was deleted on one machine and edited on the other; the edit is kept")
            return
        }
        decisions[name] = keepServer(name)
        if SyncContent.equal(s.local!, s.remote!) { return }
        guard var card = try? SyncContent.card(s.local!) else { return }
        defer { card.recipient.wipe(); card.sealedPart.wipe() }
        let recipient = uniqueConflictName(card.recipient, limit: .cardRecipient, prefix: "card/")
        card.recipient.wipe()
        card.recipient = recipient
        card.id = ItemID.random()
        let payload = try SyncContent.encodeCard(card)
        let label = labels.add(recipient)
        addNew(LogicalKey.card(card.id), payload, .large, label: label)
        report.conflicts.append("\(what) was changed on both machines; this machine's version is kept as card for '\(labels.string(label))'")
    }

    // MARK: Drafts

    private func resolveDraft(_ name: RecordName) throws {
        let s = try sides(name)
        defer { s.wipe() }
        if keepLiving(name, s) { return }
        decisions[name] = keepServer(name)
        if SyncContent.equal(s.local!, s.remote!) { return }
        guard let draft = try? SyncContent.draft(s.local!) else { return }
        defer { draft.title.wipe(); draft.info.wipe() }
        let base = draft.title.count > 0 ? draft.title : SecretBytes(copying: Array("Draft".utf8))
        let title = uniqueConflictName(base, limit: .onionTitle, prefix: "onion/")
        defer { title.wipe() }
        let id = ItemID.random()
        let now = nowMilliseconds()
        let (tp, ip) = try SyncContent.encodeOnion(id: id, created: now, modified: now, title: title, info: draft.info)
        let label = labels.add(title)
        addNew(LogicalKey.onionTitle(id), tp, .small, label: label)
        addNew(LogicalKey.onionInfo(id), ip, .large, label: label)
        report.conflicts.append("the unsaved drafts of both machines differ; this machine's is kept as onion '\(labels.string(label))'")
    }

    // MARK: Tasks

    private func resolveTask(_ name: RecordName, id: UInt16, key: String) throws {
        let s = try sides(name)
        defer { s.wipe() }
        let what = describe(name)
        if keepLiving(name, s) {
            report.restored.append("\(what) was deleted on one machine and edited on the other; the edit is kept")
            taskMaxConflict = true
            return
        }
        guard let l = try? SyncContent.task(s.local!), let r = try? SyncContent.task(s.remote!) else {
            decisions[name] = keepServer(name)
            return
        }
        let b = s.base.flatMap { try? SyncContent.task($0) }
        defer { l.text.wipe(); r.text.wipe(); b?.text.wipe() }
        if let text = Self.pick(l.text, r.text, b?.text) {
            defer { text.wipe() }
            let done = l.done == r.done ? l.done : (b.map { $0.done == l.done ? r.done : l.done } ?? r.done)
            if SyncContent.equal(text, r.text) && done == r.done {
                decisions[name] = keepServer(name)
            } else {
                let label = labels.add(text)
                decisions[name] = .payload(try SyncContent.encodeTask(id: id, done: done, text: text), .small, label: label)
                decisionLabels[name] = label
            }
            report.merged.append("\(what): the edits of both machines are merged")
            return
        }
        decisions[name] = keepServer(name)
        taskMaxConflict = true
        let labelText = l.text.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        if b == nil {
            pendingTasks.append((l.text.copy(), l.done, "task '\(labelText)' was added on both machines as number \(id)"))
        } else {
            let text = uniqueConflictName(l.text, limit: .taskDescription, prefix: "task_")
            pendingTasks.append((text, l.done, "task '\(labelText)' was changed on both machines"))
        }
    }

    /// Gives each task that lost its number the lowest free one, and rewrites task_max.
    func placePendingTasks() throws {
        guard taskMaxConflict || !pendingTasks.isEmpty else { return }
        var used = Set<UInt16>()
        var keys = Set(localManifest.entries.keys)
        keys.formUnion(remoteManifest?.entries.keys ?? [:].keys)
        for key in keys where key.hasPrefix("task_") && key != LogicalKey.taskMax {
            guard let id = UInt16(key.dropFirst(5)) else { continue }
            if case .live = finalState(session.keys.name(key)) { used.insert(id) }
        }
        for task in pendingTasks {
            defer { task.text.wipe() }
            var id: UInt16 = 0
            while used.contains(id) { id += 1 }
            used.insert(id)
            let label = labels.add(task.text)
            addNew(LogicalKey.task(id), try SyncContent.encodeTask(id: id, done: task.done, text: task.text), .small, label: label)
            if task.label.contains("added on both") {
                report.renumbered.append("\(task.label); this machine's is now number \(id)")
            } else {
                report.conflicts.append("\(task.label); this machine's version is kept as task \(id) '\(labels.string(label))'")
            }
        }
        pendingTasks.removeAll()
        let highest = used.max().map { $0 + 1 } ?? 0
        let name = session.keys.name(LogicalKey.taskMax)
        nameToKey[name] = LogicalKey.taskMax
        let label = labels.add(UnsafeRawBufferPointer(start: nil, count: 0))
        newKeys[LogicalKey.taskMax] = label
        decisions[name] = .payload(try SyncContent.encodeTaskMax(highest), .small, label: label)
        decisionLabels[name] = label
    }
}
