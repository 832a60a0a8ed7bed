import OnionsCrypto

/// A server that removes rows outright (no tombstone): the versions of records stored under
/// server names (`ServerNames`) that a purge or the retention let go.
public protocol RecordRemoving: AnyObject {
    /// Removes the vault's rows named `names`; a server removes only names of 40 bytes (never a
    /// record kept under its own name). Returns how many went.
    @discardableResult
    func removeRecords(vault: VaultID, names: [RecordName]) throws -> Int
}

/// Versions through a server under server names (FORMAT.md section 16, schema 6): what a sync
/// takes in, what a push sends of the versions between, and what a purge removes.
extension NamedServer: RemoteHistoryStore {
    func excludeFromHistory(vault: VaultID, names: Set<RecordName>) {
        excluded.formUnion(names)
    }

    func queueHistory(vault: VaultID, rows: [StoredRecord]) {
        historyQueued = rows
    }

    /// The commits, then the versions: the rows the server kept under their own names (schema
    /// 5's, after `historySince`), and the rows under server names that a newer row of their
    /// record superseded within one read of changes (`superseded`), in sequence order, at most a
    /// page. No row is read by its name unless its blob did not come with the changes (a first
    /// sync's), so what a machine takes in as versions names nothing to the server. A row a later
    /// read superseded is this machine's already: it took it in as the record's current row,
    /// and its store keeps it when the newer one arrives.
    func commits(vault: VaultID, since: Int64, historySince: Int64) throws
        -> (commits: [StoredCommit], history: [StoredRecord]) {
        var commits: [StoredCommit] = []
        var history: [StoredRecord] = []
        if let kept = inner as? RemoteHistoryStore {
            // Only commits asked, and the plain rows read to their end: nothing to ask.
            if since != .max || historySince < plainHistoryReadFrom ?? .max {
                (commits, history) = try kept.commits(vault: vault, since: since, historySince: historySince)
                if history.count < ServerHistoryPage.rows { plainHistoryReadFrom = historySince }
            }
        } else if since != .max {
            commits = try inner.commits(vault: vault, since: since)
        }
        // A full page of the older rows: the newer ones wait for the next page.
        guard history.count < ServerHistoryPage.rows else { return (commits, history) }
        // Names the session keeps no versions of, which it may have named after the read.
        superseded = superseded.filter { !excluded.contains($0.value.name) }
        // What a first sync did not read along with its current rows, read now, every row of it.
        if !alongside.isEmpty {
            let rest = alongside
            alongside = []
            for start in stride(from: 0, to: rest.count, by: ServerHistoryPage.rows) {
                for row in try inner.records(vault: vault, names: Array(rest[start..<min(rest.count, start + ServerHistoryPage.rows)])) {
                    keepAlong(row)
                }
            }
        }
        let page = superseded.values.sorted { $0.sequence < $1.sequence }.prefix(ServerHistoryPage.rows - history.count)
        let unread = page.filter { !$0.deleted && $0.blob.isEmpty }
        var blobs: [RecordName: [UInt8]] = [:]
        if !unread.isEmpty {
            let named = unread.map { names.seal($0.name, version: $0.version) }
            for row in try inner.records(vault: vault, names: named) { blobs[row.name] = row.blob }
        }
        for record in page {
            let name = names.seal(record.name, version: record.version)
            superseded[name] = nil
            if record.deleted {
                history.append(record)
                continue
            }
            let blob = record.blob.isEmpty ? blobs[name] ?? [] : record.blob
            // Of the small and the large class only, as the server kept them.
            guard blob.count > 1, blob[1] == 1 || blob[1] == 2 else { continue }
            history.append(StoredRecord(name: record.name, version: record.version, blob: blob, deleted: false,
                                        sequence: record.sequence))
        }
        history.sort { $0.sequence < $1.sequence }
        return (commits, history)
    }

    /// Removes versions: rows kept under their own names as before, and superseded rows under
    /// server names (never a record's newest).
    @discardableResult
    func purgeHistory(vault: VaultID, purges: [HistoryPurge]?) throws -> Int {
        var removed = try (inner as? RemoteHistoryStore)?.purgeHistory(vault: vault, purges: purges) ?? 0
        guard let remover = inner as? RecordRemoving else { return removed }
        try index(vault: vault)
        var gone: [RecordName] = []
        func select(_ name: RecordName, _ purge: HistoryPurge?) {
            guard let newest = current[name], let versions = rows[name] else { return }
            for (version, row) in versions where version < newest && row.serverName.bytes.count == ServerNames.length {
                if let purge, let through = purge.through {
                    guard purge.exact ? version == through : version <= through else { continue }
                }
                gone.append(row.serverName)
            }
        }
        if let purges {
            for purge in purges { select(purge.name, purge) }
        } else {
            for name in rows.keys { select(name, nil) }
        }
        for start in stride(from: 0, to: gone.count, by: 10_000) {
            removed += try remover.removeRecords(vault: vault, names: Array(gone[start..<min(gone.count, start + 10_000)]))
        }
        if !gone.isEmpty { indexedThrough = nil }
        return removed
    }
}
