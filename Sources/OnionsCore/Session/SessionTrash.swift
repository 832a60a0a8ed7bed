import OnionsCrypto

/// A deleted item, kept until the trash's days are over (`Retention.trashDays`) or it is purged.
public struct TrashEntry: Sendable {
    public let item: ItemRef
    /// Handle of its title, recipient or task text in `Session.texts` (`forget(_:)` frees it).
    public let label: Int
    /// When this machine learned of the delete (ms since 1970, this machine's clock).
    public let deletedAt: UInt64
    /// Its last version before the delete.
    public let version: ItemVersion
}

/// The trash: deleted items are kept in this machine's store (`VersionHistoryStore`) with
/// their versions; restoring one saves its last version again, purging removes its bytes.
extension Session {
    /// What is in the trash, the latest delete first. Labels are added to `texts`: call
    /// `forget(_:)` when the list is no longer shown.
    public func trash() throws -> [TrashEntry] {
        try checkUnlocked()
        let kept = try historyStore()
        var found: [TrashEntry] = []
        // Items whose records are tombstones now, and tasks whose number was given out again.
        var candidates = manifest.tombstones.keys.compactMap(ItemRef.init)
        candidates += tasks.map { ItemRef.task($0.id) }
        for item in candidates {
            let rows = try Self.wrapStore { try kept.history(vault: vault, name: keys.name(item.mainKey)) }
            for (i, row) in rows.enumerated() where row.deleted && i > 0 && !rows[i - 1].deleted {
                if case .onion = item, !row.isCurrent { continue }
                guard let version = try lastVersion(of: item, before: row) else { continue }
                let texts = try? self.texts(of: version, of: item)
                defer { texts?.wipe() }
                guard let texts else { continue }
                // A task deleted before its number was given out again: listed while no task
                // holds its text (restoring it gives it a new number, not this one).
                if !row.isCurrent, tasks.contains(where: { task in
                    self.texts.withBytes(task.text) { held in texts.name.withUnsafeBytes { held.elementsEqual($0) } }
                }) { continue }
                found.append(TrashEntry(item: item, label: self.texts.add(texts.name), deletedAt: row.heldAt, version: version))
            }
        }
        return found.sorted { $0.deletedAt > $1.deletedAt }
    }

    /// The version an item had just before the tombstone `row`.
    private func lastVersion(of item: ItemRef, before row: HistoryRow) throws -> ItemVersion? {
        let kept = try historyStore()
        let mainRows = try Self.wrapStore { try kept.history(vault: vault, name: keys.name(item.mainKey)) }
        guard let live = mainRows.last(where: { !$0.deleted && $0.version < row.version }) else { return nil }
        var info: HistoryRow?
        if case .onion(let id) = item {
            let infoRows = try Self.wrapStore { try kept.history(vault: vault, name: keys.name(.onionInfo(id))) }
            info = infoRows.last { !$0.deleted }
        }
        return ItemVersion(number: 1, time: live.heldAt, machine: nil, commit: nil, size: 0, isCurrent: false,
                           done: false, main: live, info: info)
    }

    /// Frees the labels of a trash listing.
    public func forget(_ entries: [TrashEntry]) {
        for entry in entries { texts.remove(entry.label) }
    }

    /// Brings a deleted item back: its last version is saved again (under its old id when that
    /// is free, else as a new item). Returns the item as it is listed now.
    @discardableResult
    public func restoreFromTrash(_ entry: TrashEntry) throws -> ItemRef {
        let texts = try self.texts(of: entry.version, of: entry.item)
        defer { texts.wipe() }
        let restored = try put(texts, as: entry.item, fromTrash: true)
        if lastDeleted == entry.item { lastDeleted = nil }
        return restored
    }

    /// Brings back the item this session deleted last; nil when there is none (or it is not
    /// in the trash any more). Returns the item as it is listed now.
    public func undoDelete() throws -> ItemRef? {
        guard let item = lastDeleted else { return nil }
        let entries = try trash()
        defer { forget(entries) }
        guard let entry = entries.first(where: { $0.item == item }) else {
            lastDeleted = nil
            return nil
        }
        return try restoreFromTrash(entry)
    }

    /// Removes the kept bytes of `entries` (every version up to the delete) from this machine's
    /// store now, and writes the freed pages out of the file. Returns how many rows went.
    @discardableResult
    public func purge(_ entries: [TrashEntry]) throws -> Int {
        try checkUnlocked()
        let kept = try historyStore()
        var removed = 0
        for entry in entries {
            let names = entry.item.keys.map { keys.name($0) }
            removed += try Self.wrapStore { try kept.purgeHistory(vault: vault, names: names, through: nil) }
            pendingReleases += names
        }
        try Self.wrapStore { try kept.scrubFreedPages() }
        // The server's kept rows go with the next sync (the saves below end with one).
        queueServerPurge(entries.flatMap { entry in entry.item.keys.map { HistoryPurge(name: keys.name($0), through: nil) } })
        // The purge is sealed in the chain: saves whose commits name what it released.
        while !pendingReleases.isEmpty {
            let before = pendingReleases.count
            try commit([])
            guard pendingReleases.count < before else { break }
        }
        return removed
    }

    /// Before a write: names whose versions are not kept (fillers, the task counter, the
    /// settings, drafts, the companions of tasks and cards that a save writes: `companions`),
    /// once per session and again for drafts that came since.
    func noteHistoryExclusions(companions: [RecordName] = []) {
        guard let kept = store as? VersionHistoryStore else { return }
        var names = SaveShape.fillers.map { keys.name($0) } + companions
        names += [LogicalKey.taskCounter, .settings, .draft(nil), .draft(localState.machineID)].map { keys.name($0) }
        for key in manifest.entries.keys { if case .draft = key { names.append(keys.name(key)) } }
        for key in manifest.tombstones.keys { if case .draft = key { names.append(keys.name(key)) } }
        let fresh = names.filter { !historyExcluded.contains($0) }
        guard !fresh.isEmpty, (try? kept.excludeFromHistory(vault: vault, names: fresh)) != nil else { return }
        historyExcluded.formUnion(fresh)
    }

    /// After a save: the versions and deleted items past the vault's retention go, at the
    /// first save of a session and then at most every ten minutes.
    func expireHistoryIfDue() {
        guard let kept = store as? VersionHistoryStore else { return }
        let now = nowMilliseconds()
        guard now >= historyExpiredAt &+ 600_000 || historyExpiredAt == 0 else { return }
        historyExpiredAt = now
        if let expired = try? kept.expireHistory(vault: vault, retention: settings.retention, now: now), !expired.isEmpty {
            try? kept.scrubFreedPages()
            // Deleted items whose trash expired are named in the next saves' commits (each
            // names at most 24); the server's kept rows go with the next sync.
            pendingReleases += expired.filter { $0.through == nil }.map(\.name)
            queueServerPurge(expired)
        }
    }
}
