import OnionsCrypto

/// How a save met another writer's change to the same onion, card or task.
public enum PeerSaveOutcome: Equatable, Sendable {
    /// Nobody else had changed it (or there was nothing to merge).
    case saved
    /// Another writer had changed it too; the two edits did not overlap and were merged.
    case merged
    /// The edits overlapped: the other writer's version stays, this one is a new item
    /// "... (conflict N)".
    case keptAsCopy
    /// Another writer had deleted it: this edit brings it back (an onion or card as a new one,
    /// a task under its number).
    case restored
}

/// Other writers of the same store (a second interface, a script) as peers: noticing their
/// commits, reloading them, and saving after them by the rules of sync (`ItemMerge`).
extension Session {
    /// How many times a save reloads and tries again when the store changed underneath it.
    static let peerRetries = 4

    /// Reloads the vault when another process committed to the store since the last look.
    /// True when it did (handles in `texts` from before are invalid then). Without a shared
    /// store (a server alone, a test store) nothing happens.
    @discardableResult
    public func catchUpWithPeers() throws -> Bool {
        try checkUnlocked()
        guard let shared = store as? SharedStore, try Self.wrapStore({ try shared.othersCommitted() }) else {
            return false
        }
        try reloadOneSnapshot()
        return true
    }

    /// Reloads from one committed state of the store, so that a writer committing meanwhile
    /// cannot make listed records look missing or unlisted ones look injected.
    func reloadOneSnapshot() throws {
        if let shared = store as? SharedStore {
            try Self.wrapStore { try shared.readingOneSnapshot { try reload() } }
            _ = try? shared.othersCommitted()
        } else {
            try reload()
        }
    }

    /// Runs a change; when the store changed underneath it (another writer saved first), reloads
    /// and runs it again, a bounded number of times. `body` must decide afresh each time.
    @discardableResult
    public func afterPeers<R>(_ body: () throws -> R) throws -> R {
        try catchUpWithPeers()
        var attempt = 1
        while true {
            do {
                return try body()
            } catch VaultError.store(.conflict) where attempt < Self.peerRetries {
                attempt += 1
                try reloadOneSnapshot()
            }
        }
    }

    /// Opens an info like `info(of:)`. When it is not the version listed because another
    /// writer changed it since the last look, reloads (which drops that false report) and opens
    /// it again; `reloaded` says so (handles in `texts` from before are invalid then).
    public func infoAfterPeers(of id: ItemID) throws -> (info: SecretBytes, reloaded: Bool) {
        do {
            return (try info(of: id), false)
        } catch VaultError.damaged(let what) {
            guard try catchUpWithPeers() else { throw VaultError.damaged(what) }
            return (try info(of: id), true)
        }
    }

    /// What the editor starts from when it opens onion `id` with `info`: kept by the caller and
    /// given back to `saveOnion(id:title:info:since:)`. Nil when the onion is not listed.
    public func editBase(of id: ItemID, info: SecretBytes) -> EditBase? {
        guard let onion = onions.first(where: { $0.id == id }) else { return nil }
        return EditBase(id: id, titleVersion: versions[.onionTitle(id)], infoVersion: versions[.onionInfo(id)],
                        title: texts.copy(onion.title), info: info.copy())
    }

    /// Saves an onion after whatever other writers of the store saved meanwhile.
    ///
    /// When another writer changed the same onion since `base` (what the editor started from),
    /// the two edits merge as in sync (`ItemMerge.onion`): a title changed on one side only takes
    /// that side's, the infos merge line by line; overlapping edits keep the other writer's
    /// version and save this one as a new onion titled "... (conflict N)". An onion another
    /// writer deleted comes back as a new one (an edit wins over a delete). Without a base, the
    /// save replaces what is stored. Limits as `saveOnion`.
    public func saveOnion(id: ItemID?, title: SecretBytes, info: SecretBytes,
                          since base: EditBase?) throws -> (id: ItemID, outcome: PeerSaveOutcome) {
        try check(title, FieldLimit.onionTitle)
        try check(info, FieldLimit.onionInfo)
        return try afterPeers {
            guard let id else { return (try saveOnion(id: nil, title: title, info: info), .saved) }
            guard onions.contains(where: { $0.id == id }) else {
                return (try saveOnion(id: nil, title: title, info: info), .restored)
            }
            guard let base, base.id == id,
                  base.titleVersion != versions[.onionTitle(id)] || base.infoVersion != versions[.onionInfo(id)] else {
                return (try saveOnion(id: id, title: title, info: info), .saved)
            }
            return try saveOverPeer(id: id, title: title, info: info, base: base)
        }
    }

    /// Another writer changed onion `id` since `base`: merges by `ItemMerge.onion`, or keeps
    /// this edit as a copy.
    private func saveOverPeer(id: ItemID, title: SecretBytes, info: SecretBytes,
                              base: EditBase) throws -> (id: ItemID, outcome: PeerSaveOutcome) {
        guard let onion = onions.first(where: { $0.id == id }) else { throw VaultError.noSuchItem("onion with that id") }
        let theirTitle = texts.copy(onion.title)
        defer { theirTitle.wipe() }
        let theirInfo = try self.info(of: id)
        defer { theirInfo.wipe() }
        switch ItemMerge.onion(mine: (title, info), theirs: (theirTitle, theirInfo), base: (base.title, base.info)) {
        case .merged(let merged):
            defer { merged.title.wipe(); merged.info.wipe() }
            return (try saveOnion(id: id, title: merged.title, info: merged.info), .merged)
        case .conflict:
            let copyTitle = conflictName(title, limit: .onionTitle, among: onions.map(\.title))
            defer { copyTitle.wipe() }
            return (try keepingCopy(of: .onion(id)) { try saveOnion(id: nil, title: copyTitle, info: info) }, .keptAsCopy)
        }
    }

    /// `ItemMerge.conflictName` among the texts `taken` (handles in `texts`: the labels of
    /// every item of the kind).
    func conflictName(_ text: SecretBytes, limit: FieldLimit, among taken: [Int]) -> SecretBytes {
        ItemMerge.conflictName(text, limit: limit, among: taken, in: texts)
    }
}
