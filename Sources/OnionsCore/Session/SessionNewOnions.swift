import OnionsCrypto

/// Many new onions in one save.
extension Session {
    /// A new onion's texts for `addOnions`.
    public struct NewOnion {
        public let title: SecretBytes
        public let info: SecretBytes
        /// The folder path; nil or empty for none.
        public let folder: SecretBytes?
        /// Milliseconds since 1970 to keep (an import's own times); nil: the time of the save.
        public let created: UInt64?
        public let modified: UInt64?
        /// An onion of the vault this one replaces (a new version of it), nil for a new onion.
        public let replacing: ItemID?

        public init(title: SecretBytes, info: SecretBytes, folder: SecretBytes? = nil,
                    created: UInt64? = nil, modified: UInt64? = nil, replacing: ItemID? = nil) {
            self.replacing = replacing
            self.title = title
            self.info = info
            self.folder = folder
            self.created = created
            self.modified = modified
        }

        /// The times saved: those given (a change never before the creation), else `now`.
        func times(now: UInt64) -> (created: UInt64, modified: UInt64) {
            let created = self.created ?? modified ?? now
            return (created, max(created, modified ?? created))
        }
    }

    /// Saves `batch` as new onions in one store transaction (their records, the manifest parts
    /// that list them and the root), as `saveOnion(id: nil, …)` would one at a time. The vault
    /// is then what those saves would have made, at the cost of one save: use it to fill a vault
    /// (an import, a bench fixture). Checks every limit before anything is written; nothing is
    /// stored when one is broken or the store refuses. The texts stay the caller's to wipe. The
    /// transaction holds every sealed record in memory (about 10 KB an onion): keep batches to
    /// a few thousand. Returns the new ids, in the order of `batch`.
    @discardableResult
    public func addOnions(_ batch: [NewOnion]) throws -> [ItemID] {
        try checkUnlocked()
        for onion in batch {
            try check(onion.title, FieldLimit.onionTitle)
            try check(onion.info, FieldLimit.onionInfo)
            if let folder = onion.folder { try check(folder, FieldLimit.onionFolder) }
        }
        let now = nowMilliseconds()
        let replaced = Set(batch.compactMap(\.replacing))
        guard replaced.count == batch.filter({ $0.replacing != nil }).count,
              replaced.isSubset(of: Set(onions.lazy.map(\.id))) else { throw VaultError.noSuchItem("onion with that id") }
        let ids = batch.map { $0.replacing ?? ItemID.random() }
        var payloads: [SecretBytes] = []
        payloads.reserveCapacity(2 * batch.count)
        defer { for payload in payloads { payload.wipe() } }
        var pending: [PendingWrite] = []
        pending.reserveCapacity(2 * batch.count)
        let createdBefore = replaced.isEmpty ? [:]
            : Dictionary(uniqueKeysWithValues: onions.lazy.filter { replaced.contains($0.id) }.map { ($0.id, $0.created) })
        for (id, onion) in zip(ids, batch) {
            var times = onion.times(now: now)
            if onion.created == nil, let created = createdBefore[id] { times.created = min(created, times.modified) }
            let title = try RecordPayload.OnionTitle(id: id, created: times.created, modified: times.modified,
                                                     title: onion.title, folder: onion.folder).encoded()
            payloads.append(title)
            let info = try RecordPayload.OnionInfo(id: id, info: onion.info).encoded()
            payloads.append(info)
            pending.append(.put(.onionTitle(id), title, .small, label: onion.title))
            pending.append(.put(.onionInfo(id), info, .large, label: onion.title))
        }
        try commit(pending)
        if !replaced.isEmpty {
            for onion in onions where replaced.contains(onion.id) {
                texts.remove(onion.title)
                if let folder = onion.folder { texts.remove(folder) }
            }
            onions.removeAll { replaced.contains($0.id) }
        }
        // The last of the batch on top, as single saves would leave the list; onions with times
        // of their own then take their place in it.
        let added = zip(ids, batch).reversed().map { id, onion in
            var times = onion.times(now: now)
            if onion.created == nil, let created = createdBefore[id] { times.created = min(created, times.modified) }
            let folder = onion.folder.flatMap { $0.count > 0 ? texts.add($0) : nil }
            return OnionSummary(id: id, title: texts.add(onion.title), created: times.created, modified: times.modified,
                                folder: folder)
        }
        onions.insert(contentsOf: added, at: 0)
        if batch.contains(where: { $0.created != nil || $0.modified != nil }) {
            let order = Dictionary(uniqueKeysWithValues: onions.enumerated().map { ($1.id, $0) })
            onions.sort { ($0.modified, $0.created, order[$1.id]!) > ($1.modified, $1.created, order[$0.id]!) }
        }
        for (id, onion) in zip(ids, batch) { updateInfoIndex(id, onion.info) }
        return ids
    }
}
