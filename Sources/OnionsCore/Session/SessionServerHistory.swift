import OnionsCrypto

/// Kept rows waiting to be removed from the server (a purge, an expiry, a key rotation): kept
/// in this machine's local state until a sync reaches the server.
struct ServerPurgeQueue: Equatable {
    /// Every kept row of the vault (after a data key rotation: none of them opens any more).
    var all = false
    var entries: [HistoryPurge] = []

    var isEmpty: Bool { !all && entries.isEmpty }

    /// `all(1) | (length(1) | name | through(u64: all ones for every version, the top bit set
    /// for that one version only))*`.
    var encoded: [UInt8] {
        var out: [UInt8] = [all ? 1 : 0]
        for entry in entries {
            out.append(UInt8(entry.name.bytes.count))
            out += entry.name.bytes
            // The top bit marks a single version.
            let through = entry.through.map { entry.exact ? $0 | 1 << 63 : $0 } ?? UInt64.max
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((through >> UInt64(shift)) & 0xff)) }
        }
        return out
    }

    /// Nil for bytes of another form.
    init?(decoding bytes: [UInt8]) {
        guard let first = bytes.first, first <= 1 else { return nil }
        all = first == 1
        var at = 1
        while at < bytes.count {
            let length = Int(bytes[at])
            guard (1...64).contains(length), at + 1 + length + 8 <= bytes.count else { return nil }
            let name = RecordName(Array(bytes[(at + 1)..<(at + 1 + length)]))
            let through = bytes[(at + 1 + length)..<(at + 9 + length)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if through == UInt64.max {
                entries.append(HistoryPurge(name: name, through: nil))
            } else if through >> 63 == 1 {
                entries.append(HistoryPurge(name: name, exactly: through & ~(1 << 63)))
            } else {
                entries.append(HistoryPurge(name: name, through: through))
            }
            at += 9 + length
        }
    }

    init() {}
}

/// Versions through the server (FORMAT.md "Versions and trash"): a sync takes in the rows the
/// server kept when other machines' writes replaced them, checked as records are; a purge or an
/// expiry removes them there too.
extension Session {
    static let historyCursorKey = "history.cursor"
    static let historyPurgesKey = "history.purges"

    /// The server's commits since `since`. With a server that keeps versions and a store here
    /// that keeps them, the kept rows since this machine's history cursor come in the same call,
    /// held for `takeInServerHistory`.
    func pullCommits(_ server: RemoteStore, _ local: SyncStateStore, since: Int64) throws -> [StoredCommit] {
        guard let link = sync, let remote = server as? RemoteHistoryStore, local is VersionHistoryStore else {
            return try server.commits(vault: vault, since: since)
        }
        let pulled = try remote.commits(vault: vault, since: since, historySince: historyCursor(link, local))
        link.pulledHistory = pulled.history
        return pulled.commits
    }

    /// How far this machine read the server's kept rows (read from local state once).
    private func historyCursor(_ link: SyncLink, _ local: SyncStateStore) -> Int64 {
        if let cursor = link.historyCursor { return cursor }
        var cursor: Int64 = 0
        if let bytes = try? local.localState(vault: vault, key: Self.historyCursorKey), bytes.count == 8 {
            cursor = Int64(bitPattern: bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
        link.historyCursor = max(0, cursor)
        return max(0, cursor)
    }

    private func saveHistoryCursor(_ cursor: Int64, _ link: SyncLink, _ local: SyncStateStore) throws {
        guard link.historyCursor != cursor else { return }
        link.historyCursor = cursor
        let bits = UInt64(bitPattern: cursor)
        try Self.wrapStore {
            try local.setLocalState(vault: vault, key: Self.historyCursorKey,
                                    value: stride(from: 56, through: 0, by: -8).map { UInt8((bits >> UInt64($0)) & 0xff) })
        }
    }

    /// Takes in the kept rows the server added since this machine last read them. Each must
    /// open with the vault's keys at its own name and version (the AEAD binds both), as a
    /// record must; one that does not is reported as altered and never kept. A tombstone has
    /// no bytes to check. `restart`: the server went back (SyncChain), so its sequence means
    /// nothing now: the next sync reads every kept row again.
    func takeInServerHistory(_ server: RemoteStore, _ local: SyncStateStore, restart: Bool,
                             report: inout SyncReport) throws {
        guard let link = sync, let remote = server as? RemoteHistoryStore, let kept = local as? VersionHistoryStore else {
            return
        }
        let start = historyCursor(link, local)
        var page = try link.pulledHistory
            ?? remote.commits(vault: vault, since: Int64.max, historySince: start).history
        link.pulledHistory = nil
        var cursor = start
        var bad: [RecordName] = []
        // What this machine let go and the server still holds until the end of this sync.
        let purging = serverPurgeQueue(link, local)
        var purged: [RecordName: UInt64] = [:]
        for entry in purging.entries where !entry.exact {
            purged[entry.name] = max(purged[entry.name] ?? 0, entry.through ?? UInt64.max)
        }
        while true {
            let before = cursor
            var good: [StoredRecord] = []
            for row in page {
                cursor = max(cursor, row.sequence)
                if historyExcluded.contains(row.name) || purging.all { continue }
                if let through = purged[row.name], row.version <= through { continue }
                if row.deleted {
                    if row.blob.isEmpty { good.append(row) } else { bad.append(row.name) }
                    continue
                }
                let record = StoredRecord(name: row.name, version: row.version, blob: row.blob, deleted: false, sequence: 0)
                guard let (payload, _) = try? sealer.openStamped(record) else {
                    bad.append(row.name)
                    continue
                }
                payload.wipe()
                good.append(record)
            }
            if !good.isEmpty {
                try Self.wrapStore { try kept.addHistory(vault: vault, rows: good, heldAt: nowMilliseconds()) }
            }
            try saveHistoryCursor(cursor, link, local)
            // A full page: more are waiting, each read within a read budget of its own (a server
            // whose pages do not move on is not asked again).
            guard page.count >= ServerHistoryPage.rows, cursor > before else { break }
            server.beginRound()
            page = try remote.commits(vault: vault, since: Int64.max, historySince: cursor).history
        }
        if !bad.isEmpty { reportAlteredHistory(bad, report: &report) }
        if restart { try saveHistoryCursor(0, link, local) }
    }

    /// Queues, for the push's `apply`, this machine's versions of the names the plan writes on
    /// the server that lie strictly between the server's version and the new one: saved here
    /// offline, or several saves before one sync, so that no write on the server replaced them
    /// and its trigger never kept them. Names without versions are left out. A save pushed at
    /// once has no kept row between (its version is its save's counter, above the server's, and
    /// the row it replaced here is the server's version): only that range is read, nothing sent.
    /// At most a page of rows (`ServerHistoryPage.rows`) a push, the newest; the rest stay here.
    func queueHistoryBetween(_ plan: SyncPlan, server: RemoteStore, local: SyncStateStore) throws {
        guard let remote = server as? RemoteHistoryStore else { return }
        var rows: [StoredRecord] = []
        if let kept = local as? VersionHistoryStore {
            for write in plan.remoteWrites + plan.remoteCopies
            where write.newVersion > write.expectedVersion + 1 && !historyExcluded.contains(write.name) {
                let between = try Self.wrapStore {
                    try kept.keptRows(vault: vault, name: write.name, above: write.expectedVersion, below: write.newVersion)
                }
                for row in between {
                    rows.append(StoredRecord(name: row.name, version: row.version, blob: row.deleted ? [] : row.blob,
                                             deleted: row.deleted, sequence: 0))
                }
            }
        }
        if rows.count > ServerHistoryPage.rows {
            rows = Array(rows.sorted { $0.version > $1.version }.prefix(ServerHistoryPage.rows))
        }
        remote.queueHistory(vault: vault, rows: rows)
    }

    /// One issue per name whose kept row the server altered, named as the item is when known.
    private func reportAlteredHistory(_ names: [RecordName], report: inout SyncReport) {
        var keyOf: [RecordName: LogicalKey] = [:]
        for key in Array(manifest.entries.keys) + Array(manifest.tombstones.keys) { keyOf[keys.name(key)] = key }
        for name in Set(names) {
            let what = keyOf[name].map { "an earlier version of " + label($0) } ?? "an earlier version of a record"
            let issue = IntegrityIssue(kind: .altered, label: what)
            if !report.issues.contains(issue) { report.issues.append(issue) }
        }
    }

    /// Removes kept rows on the server at the next sync (nil: all of the vault's), remembered
    /// in local state until then. Nothing without a server.
    func queueServerPurge(_ purges: [HistoryPurge]?) {
        guard let link = sync, let local = store as? SyncStateStore else { return }
        var queue = serverPurgeQueue(link, local)
        if let purges {
            queue.entries += purges
        } else {
            queue = ServerPurgeQueue()
            queue.all = true
        }
        link.serverPurges = queue
        try? local.setLocalState(vault: vault, key: Self.historyPurgesKey, value: queue.encoded)
    }

    private func serverPurgeQueue(_ link: SyncLink, _ local: SyncStateStore) -> ServerPurgeQueue {
        if let queue = link.serverPurges { return queue }
        let queue = ((try? local.localState(vault: vault, key: Self.historyPurgesKey)) ?? nil)
            .flatMap(ServerPurgeQueue.init(decoding:)) ?? ServerPurgeQueue()
        link.serverPurges = queue
        return queue
    }

    /// Sends the queued removals of kept rows (after the sync's writes, whose replaced rows the
    /// server kept, so that a delete sent with the purge leaves nothing behind).
    func sendServerPurges(_ server: RemoteStore, _ local: SyncStateStore) throws {
        guard let link = sync, let remote = server as? RemoteHistoryStore else { return }
        let queue = serverPurgeQueue(link, local)
        guard !queue.isEmpty else { return }
        if queue.all {
            try remote.purgeHistory(vault: vault, purges: nil)
        } else {
            for start in stride(from: 0, to: queue.entries.count, by: 10_000) {
                try remote.purgeHistory(vault: vault,
                                        purges: Array(queue.entries[start..<min(start + 10_000, queue.entries.count)]))
            }
        }
        link.serverPurges = ServerPurgeQueue()
        try Self.wrapStore { try local.setLocalState(vault: vault, key: Self.historyPurgesKey, value: nil) }
    }
}
