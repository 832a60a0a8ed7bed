import OnionsCrypto

/// What a round reads through `NamedServer`: the changes (each record's newest row), every
/// version (a round that compares them all), and records by name, which a first sync reads a
/// page at a time with the rest of the server's rows alongside.
extension NamedServer {
    func changes(vault: VaultID, since: Int64) throws -> [StoredRecord] {
        startIndex(since: since)
        return try changed(try inner.changes(vault: vault, since: since), vault: vault, since: since)
    }

    func changeVersions(vault: VaultID, since: Int64) throws -> [StoredRecord] {
        startIndex(since: since)
        let found = try changed(try versions(vault: vault, since: since), vault: vault, since: since)
        if since == 0 {
            // A first sync: it reads the current rows by name a page at a time.
            var others: [RecordName] = []
            currentUnread = 0
            for (name, versions) in rows {
                for (version, row) in versions where row.serverName.bytes.count == ServerNames.length {
                    // Current tombstones too: a first sync asks for no row it knows to be empty.
                    if version == current[name] && !row.deleted { currentUnread += 1 } else { others.append(row.serverName) }
                }
            }
            alongside = others.shuffled()
        }
        return found
    }

    /// A connection's first read of changes starts the index with what it brings: everything
    /// since 0 is the whole; since a later value, what changed (a round on a new connection
    /// then compares every version, `recordVersions`, which reads the whole once).
    func startIndex(since: Int64) {
        guard indexedThrough == nil else { return }
        rows = [:]
        current = [:]
        indexedThrough = since
        partial = since > 0
    }

    /// Read whole each time: a round that compares every version (a new connection, a doubt)
    /// must see rows the server removed too.
    func recordVersions(vault: VaultID) throws -> [RecordVersion] {
        try index(vault: vault, whole: true)
        var out: [RecordVersion] = []
        for (name, version) in current {
            guard let row = rows[name]?[version] else { continue }
            out.append(RecordVersion(name: name, version: version, deleted: row.deleted))
        }
        return out
    }

    func records(vault: VaultID) throws -> [StoredRecord] {
        try index(vault: vault)
        return newest(try inner.records(vault: vault))
    }

    func records(vault: VaultID, names asked: [RecordName]) throws -> [StoredRecord] {
        try index(vault: vault)
        let wanted = serverNames(asked)
        guard !wanted.isEmpty else { return [] }
        // A first sync's other rows, in proportion to the current rows still to read.
        let asking = wanted.keys.filter { $0.bytes.count == ServerNames.length }.count
        let along = alongside.isEmpty || asking == 0 ? 0
            : min(alongside.count, max(1, (alongside.count * asking + currentUnread - 1) / max(currentUnread, 1)))
        currentUnread = max(0, currentUnread - asking)
        let extra = Array(alongside.suffix(along))
        alongside.removeLast(along)
        return try inner.records(vault: vault, names: Array(wanted.keys) + extra).compactMap { row in
            guard let name = wanted[row.name] else {
                keepAlong(row)
                return nil
            }
            let record = translated(row)
            return record.name == name ? record : nil
        }
    }

    /// A row read along (`alongside`): its blob is kept when it is a version this machine takes
    /// in (`superseded`), else dropped.
    func keepAlong(_ row: StoredRecord) {
        guard let version = superseded[row.name], !version.deleted, version.blob.isEmpty else { return }
        superseded[row.name] = StoredRecord(name: version.name, version: version.version, blob: row.blob,
                                            deleted: false, sequence: version.sequence)
    }
}
