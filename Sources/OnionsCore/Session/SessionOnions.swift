import OnionsCrypto

/// Onions: reading an info, saving, deleting, filtering and searching.
extension Session {
    /// The title of an onion as a transient String (for display).
    public func title(_ onion: OnionSummary) -> String { texts.string(onion.title) }

    /// Opens an onion's info into secret memory. Throws `VaultError.damaged` naming the onion
    /// when the store returns something that does not open or is not the version listed.
    public func info(of id: ItemID) throws -> SecretBytes {
        try checkUnlocked()
        let key = LogicalKey.onionInfo(id)
        let payload = try openListed(key, missing: "onion with that id")
        defer { payload.wipe() }
        do {
            let info = try RecordPayload.read(payload) {
                try RecordPayload.OnionInfo.read(&$0, capacity: FieldLimit.onionInfo.maxBytes)
            }
            guard info.id == id else { info.info.wipe(); throw VaultError.malformed }
            return info.info
        } catch {
            report(.damaged, key)
            throw VaultError.damaged(label(key))
        }
    }

    /// Saves an onion: a new one when `id` is nil. Checks the limits first (nothing is stored
    /// when one is broken). `folder`: the folder path, empty for none; nil keeps the onion's
    /// folder (none for a new one). Returns the onion's id.
    @discardableResult
    public func saveOnion(id: ItemID?, title: SecretBytes, info: SecretBytes, folder: SecretBytes? = nil) throws -> ItemID {
        try checkUnlocked()
        try check(title, FieldLimit.onionTitle)
        try check(info, FieldLimit.onionInfo)
        if let folder { try check(folder, FieldLimit.onionFolder) }
        let now = nowMilliseconds()
        let existing = id.flatMap { id in onions.firstIndex { $0.id == id } }
        if id != nil && existing == nil { throw VaultError.noSuchItem("onion with that id") }
        let itemID = id ?? ItemID.random()
        let created = existing.map { onions[$0].created } ?? now
        let keptFolder = folder == nil ? existing.flatMap { onions[$0].folder }.map { texts.copy($0) } : nil
        defer { keptFolder?.wipe() }
        let newFolder = folder ?? keptFolder

        let titlePayload = try RecordPayload.OnionTitle(id: itemID, created: created, modified: now, title: title,
                                                        folder: newFolder).encoded()
        defer { titlePayload.wipe() }
        let infoPayload = try RecordPayload.OnionInfo(id: itemID, info: info).encoded()
        defer { infoPayload.wipe() }
        try commit([
            .put(.onionTitle(itemID), titlePayload, .small, label: title),
            .put(.onionInfo(itemID), infoPayload, .large, label: title),
        ])
        let summary: OnionSummary
        if let i = existing {
            texts.replace(onions[i].title, with: title)
            summary = OnionSummary(id: itemID, title: onions[i].title, created: created, modified: now,
                                   folder: folderHandle(replacing: onions[i].folder, with: newFolder))
            onions.remove(at: i)
        } else {
            summary = OnionSummary(id: itemID, title: texts.add(title), created: created, modified: now,
                                   folder: folderHandle(replacing: nil, with: newFolder))
        }
        onions.insert(summary, at: 0)
        updateInfoIndex(itemID, info)
        return itemID
    }

    /// Moves an onion into `folder` (empty: to the top): its title record is saved again with
    /// the new folder and the time of the move; the info is not touched.
    public func moveOnion(_ id: ItemID, folder: SecretBytes) throws {
        try checkUnlocked()
        try check(folder, FieldLimit.onionFolder)
        guard let i = onions.firstIndex(where: { $0.id == id }) else { throw VaultError.noSuchItem("onion with that id") }
        let now = nowMilliseconds()
        let title = texts.copy(onions[i].title)
        defer { title.wipe() }
        let payload = try RecordPayload.OnionTitle(id: id, created: onions[i].created, modified: now, title: title,
                                                   folder: folder).encoded()
        defer { payload.wipe() }
        try commit([.put(.onionTitle(id), payload, .small, label: title)])
        let old = onions.remove(at: i)
        onions.insert(OnionSummary(id: id, title: old.title, created: old.created, modified: now,
                                   folder: folderHandle(replacing: old.folder, with: folder)), at: 0)
        forgetSearchText()
    }

    /// The folder path of an onion as a transient String ("" at the top), for display.
    public func folder(_ onion: OnionSummary) -> String { onion.folder.map { texts.string($0) } ?? "" }

    /// The handle of `folder` in `texts` (nil for none), reusing `old` when there is one.
    private func folderHandle(replacing old: Int?, with folder: SecretBytes?) -> Int? {
        guard let folder, folder.count > 0 else {
            if let old { texts.remove(old) }
            return nil
        }
        guard let old else { return texts.add(folder) }
        texts.replace(old, with: folder)
        return old
    }

    /// Deletes an onion (its title and info records).
    public func deleteOnion(_ id: ItemID) throws {
        try checkUnlocked()
        guard let i = onions.firstIndex(where: { $0.id == id }) else { throw VaultError.noSuchItem("onion with that id") }
        try commit([.delete(.onionTitle(id)), .delete(.onionInfo(id))])
        texts.remove(onions[i].title)
        if let folder = onions[i].folder { texts.remove(folder) }
        onions.remove(at: i)
        updateInfoIndex(id, nil)
        lastDeleted = .onion(id)
    }

    /// Onions whose title contains `query` (ASCII letters compared without case).
    public func filterOnions(_ query: [UInt8]) -> [OnionSummary] {
        if query.isEmpty { return onions }
        let needle = query.map(TextSearch.asciiLower)
        // One pass over the table and the list by index: copying each summary (and retaining its
        // id's storage) only when it matches keeps 100,000 onions from costing a cache miss each.
        return texts.withAllBytes { titles in
            var found: [OnionSummary] = []
            for i in onions.indices where TextSearch.contains(titles[onions[i].title], needle)
                || onions[i].folder.map({ TextSearch.contains(titles[$0], needle) }) == true {
                found.append(onions[i])
            }
            return found
        }
    }

    /// Onions whose title or info contains `query` (ASCII letters compared without case).
    ///
    /// The first search opens every info into secret memory (`infoTexts`) and keeps them there
    /// until the session locks, so that searching as you type stays fast; a search over every
    /// onion scans one copy of all titles and infos in list order (`OnionSearchText`), made
    /// again after the list or an info changed. An info that does not open is reported in
    /// `issues` and searched as empty.
    ///
    /// `within`: search only these (the results of a shorter query this one extends).
    public func searchOnions(_ query: [UInt8], within: [OnionSummary]? = nil) -> [OnionSummary] {
        if query.isEmpty { return onions }
        let needle = query.map(TextSearch.asciiLower)
        let index = infoHandles()
        guard let within else {
            let text = searchText ?? makeSearchText(index)
            searchText = text
            let inFolders = folderMatches(needle)
            guard !inFolders.isEmpty else { return text.matching(needle).map { onions[$0] } }
            return Set(text.matching(needle)).union(inFolders).sorted().map { onions[$0] }
        }
        return texts.withAllBytes { titles in
            infoTexts.withAllBytes { infos in
                within.filter { o in
                    TextSearch.contains(titles[o.title], needle)
                        || o.folder.map({ TextSearch.contains(titles[$0], needle) }) == true
                        || index[o.id].map { TextSearch.containsInFolded(infos[$0], needle) } ?? false
                }
            }
        }
    }

    /// The list indices of the onions whose folder path contains `needle` (lower-cased).
    private func folderMatches(_ needle: [UInt8]) -> [Int] {
        texts.withAllBytes { all in
            onions.indices.filter { i in onions[i].folder.map { TextSearch.contains(all[$0], needle) } == true }
        }
    }

    /// The onions whose info may hold `needle` (folded as `TextSearch.foldQuery` folds a query),
    /// from the search index (built on first use, kept until the vault is read again): those
    /// whose indexed info contains it, and those whose info is not indexed (it did not open:
    /// `info(of:)` then says why). Lets `grep` open only the infos that can match.
    public func onionsWhoseInfoMayHold(_ needle: [UInt8]) -> Set<ItemID> {
        let index = infoHandles()
        return infoTexts.withAllBytes { infos in
            Set(onions.lazy.filter { onion in
                index[onion.id].map { TextSearch.containsInFolded(infos[$0], needle) } ?? true
            }.map(\.id))
        }
    }

    /// The search index, built on first use: every info read in slices of 64 (half a megabyte) and opened into
    /// one reused secret buffer, with the checks `info(of:)` makes (an info that is missing, at
    /// another version or digest, or does not open is reported and searched as empty).
    func infoHandles() -> [ItemID: Int] {
        if let infoIndex { return infoIndex }
        var index: [ItemID: Int] = [:]
        index.reserveCapacity(onions.count)
        var byName: [RecordName: ItemID] = [:]
        byName.reserveCapacity(onions.count)
        for onion in onions where manifest.entries[.onionInfo(onion.id)] != nil {
            byName[keys.name(.onionInfo(onion.id))] = onion.id
        }
        let scratch = SecretBytes(count: 0, capacity: RecordSealer.scratchCapacity)
        defer { scratch.wipe() }
        let names = Array(byName.keys)
        for start in stride(from: 0, to: names.count, by: 64) {
            let slice = Array(names[start..<min(start + 64, names.count)])
            guard let records = try? Self.wrapStore({ try store.records(vault: vault, names: slice) }) else { continue }
            for record in records {
                guard let id = byName.removeValue(forKey: record.name) else { continue }
                let key = LogicalKey.onionInfo(id)
                guard let entry = manifest.entries[key] else { continue }
                guard record.version == entry.version else { report(.older, key); continue }
                if let listed = entry.digest, RecordDigest(blob: record.blob) != listed {
                    report(.replaced, key)
                    continue
                }
                do {
                    var r = try sealer.open(record, into: scratch)
                    try r.expect(.onionInfo)
                    guard ItemID(bytes: try r.raw(16)) == id else { throw VaultError.malformed }
                    let handle = try r.withBytes { infoTexts.addFolded($0) }
                    guard r.remaining == 0 else { infoTexts.remove(handle); throw VaultError.malformed }
                    index[id] = handle
                } catch {
                    report(.damaged, key)
                }
            }
        }
        for id in byName.values { report(.missing, .onionInfo(id)) }
        infoIndex = index
        return index
    }

    /// Every title and info in list order, copied from `texts` and `infoTexts`.
    private func makeSearchText(_ index: [ItemID: Int]) -> OnionSearchText {
        texts.withAllBytes { titles in
            infoTexts.withAllBytes { infos in
                OnionSearchText(count: onions.count, titles: { titles[onions[$0].title] }, infos: { i in
                    index[onions[i].id].map { infos[$0] } ?? UnsafeRawBufferPointer(start: nil, count: 0)
                })
            }
        }
    }

    /// Wipes and drops the text of a search that starts over (the list or an info changed).
    func forgetSearchText() {
        searchText?.wipe()
        searchText = nil
    }

    /// Keeps the search index in step with a saved or deleted info.
    func updateInfoIndex(_ id: ItemID, _ info: SecretBytes?) {
        guard var index = infoIndex else { return }
        forgetSearchText()
        if let old = index[id] { infoTexts.remove(old) }
        index[id] = info.map { infoTexts.addFolded($0) }
        infoIndex = index
    }
}
