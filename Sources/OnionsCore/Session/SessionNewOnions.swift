import OnionsCrypto

/// Many new onions in one save.
extension Session {
    /// A new onion's texts for `addOnions`.
    public struct NewOnion {
        public let title: SecretBytes
        public let info: SecretBytes

        public init(title: SecretBytes, info: SecretBytes) {
            self.title = title
            self.info = info
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
        }
        let now = nowMilliseconds()
        let ids = batch.map { _ in ItemID.random() }
        var payloads: [SecretBytes] = []
        payloads.reserveCapacity(2 * batch.count)
        defer { for payload in payloads { payload.wipe() } }
        var pending: [PendingWrite] = []
        pending.reserveCapacity(2 * batch.count)
        for (id, onion) in zip(ids, batch) {
            let title = try RecordPayload.OnionTitle(id: id, created: now, modified: now, title: onion.title).encoded()
            payloads.append(title)
            let info = try RecordPayload.OnionInfo(id: id, info: onion.info).encoded()
            payloads.append(info)
            pending.append(.put(.onionTitle(id), title, .small, label: onion.title))
            pending.append(.put(.onionInfo(id), info, .large, label: onion.title))
        }
        try commit(pending)
        // The last of the batch on top, as single saves would leave the list.
        let added = zip(ids, batch).reversed().map { id, onion in
            OnionSummary(id: id, title: texts.add(onion.title), created: now, modified: now)
        }
        onions.insert(contentsOf: added, at: 0)
        for (id, onion) in zip(ids, batch) { updateInfoIndex(id, onion.info) }
        return ids
    }
}
