import Glibc
import OnionsCore

/// Earlier versions kept in this machine's replica (migration 4, `VersionHistoryStore`).
extension SQLiteStore: VersionHistoryStore {
    /// Now, in milliseconds since 1970: the held time of every row written.
    static func heldNow() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec / 1_000_000)
    }

    private func hasHistory() throws -> Bool {
        try connection.integer("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'record_history'") == 1
    }

    public func excludeFromHistory(vault: VaultID, names: [RecordName]) throws {
        try guarded("noting records without versions") {
            guard try hasHistory() else { return }
            try connection.transaction {
                for name in names {
                    try connection.withStatement("INSERT OR IGNORE INTO history_excluded (vault, name) VALUES (?, ?)") {
                        try $0.bind(1, vault.value)
                        try $0.bind(2, name.bytes)
                        try $0.run()
                    }
                }
            }
        }
    }

    public func history(vault: VaultID, name: RecordName) throws -> [HistoryRow] {
        try historyRows(vault: vault, name: name, between: nil)
    }

    public func keptRows(vault: VaultID, name: RecordName, above: UInt64, below: UInt64) throws -> [HistoryRow] {
        guard below > above &+ 1, let low = Int64(exactly: above) else { return [] }
        return try historyRows(vault: vault, name: name, between: (low, Int64(clamping: below)))
    }

    /// The kept rows of `name` and its current row, or only the kept rows with a version
    /// strictly inside `between`.
    private func historyRows(vault: VaultID, name: RecordName, between: (Int64, Int64)?) throws -> [HistoryRow] {
        try guarded("reading a record's versions") {
            guard try hasHistory() else { return [] }
            return try connection.withStatement(between == nil ? """
                SELECT version, blob, deleted, held_at, 0 FROM record_history WHERE vault = ?1 AND name = ?2
                UNION ALL
                SELECT version, blob, deleted, held_at, 1 FROM records WHERE vault = ?1 AND name = ?2
                ORDER BY 1
                """ : """
                SELECT version, blob, deleted, held_at, 0 FROM record_history
                WHERE vault = ?1 AND name = ?2 AND version > ?3 AND version < ?4 ORDER BY 1
                """) {
                try $0.bind(1, vault.value)
                try $0.bind(2, name.bytes)
                if let between {
                    try $0.bind(3, between.0)
                    try $0.bind(4, between.1)
                }
                var rows: [HistoryRow] = []
                while try $0.step() {
                    try Self.checkCount(rows.count + 1)
                    guard let version = UInt64(exactly: $0.int64(0)) else {
                        throw StoreError.damaged("The onions database holds a record with a negative version.")
                    }
                    rows.append(HistoryRow(name: name, version: version,
                                           blob: try $0.blob(1, limit: Limits.maximumBlobBytes, "a kept version in the store"),
                                           deleted: $0.int64(2) != 0, heldAt: UInt64(max(0, $0.int64(3))),
                                           isCurrent: $0.int64(4) == 1))
                }
                return rows
            }
        }
    }

    @discardableResult
    public func purgeHistory(vault: VaultID, names: [RecordName], through: UInt64?) throws -> Int {
        try guarded("removing kept versions") {
            guard try hasHistory() else { return 0 }
            return try connection.transaction {
                var removed = 0
                for name in names {
                    try connection.withStatement("DELETE FROM record_history WHERE vault = ? AND name = ? AND version <= ?") {
                        try $0.bind(1, vault.value)
                        try $0.bind(2, name.bytes)
                        try $0.bind(3, Int64(clamping: through ?? UInt64(Int64.max)))
                        try $0.run()
                    }
                    removed += try connection.integer("SELECT changes()").map(Int.init) ?? 0
                }
                return removed
            }
        }
    }

    public func expireHistory(vault: VaultID, retention: Retention, now: UInt64) throws -> [HistoryPurge] {
        try guarded("removing expired versions") {
            guard try hasHistory() else { return [] }
            let day: Int64 = 86_400_000
            let nowValue = Int64(clamping: now)
            return try connection.transaction {
                // Deleted items whose tombstone is older than the trash keeps them.
                var expired: [RecordName] = []
                try connection.withStatement("""
                    SELECT DISTINCT r.name FROM records r JOIN record_history h ON h.vault = r.vault AND h.name = r.name
                    WHERE r.vault = ? AND r.deleted = 1 AND r.held_at < ?
                    """) {
                    try $0.bind(1, vault.value)
                    try $0.bind(2, nowValue - Int64(retention.trashDays) * day)
                    while try $0.step() {
                        expired.append(RecordName(try $0.blob(0, limit: 64, "a record name in the store")))
                    }
                }
                for name in expired {
                    try connection.withStatement("DELETE FROM record_history WHERE vault = ? AND name = ?") {
                        try $0.bind(1, vault.value)
                        try $0.bind(2, name.bytes)
                        try $0.run()
                    }
                }
                // Versions beyond the newest kept ones (the current row counts as one) and older
                // than the days kept; the highest version removed of each name, for the server.
                var through: [RecordName: UInt64] = [:]
                try connection.withStatement("""
                    DELETE FROM record_history WHERE vault = ?1 AND held_at < ?2 AND (name, version) IN (
                        SELECT name, version FROM (
                            SELECT name, version, row_number() OVER (PARTITION BY name ORDER BY version DESC) AS newer
                            FROM record_history WHERE vault = ?1 AND deleted = 0)
                        WHERE newer >= ?3)
                    RETURNING name, version
                    """) {
                    try $0.bind(1, vault.value)
                    try $0.bind(2, nowValue - Int64(retention.days) * day)
                    try $0.bind(3, Int64(retention.versions))
                    while try $0.step() {
                        let name = RecordName(try $0.blob(0, limit: 64, "a record name in the store"))
                        let version = UInt64(max(0, $0.int64(1)))
                        through[name] = max(through[name] ?? 0, version)
                    }
                }
                return expired.map { HistoryPurge(name: $0, through: nil) }
                    + through.map { HistoryPurge(name: $0.key, through: $0.value) }
            }
        }
    }

    @discardableResult
    public func addHistory(vault: VaultID, rows: [StoredRecord], heldAt: UInt64) throws -> Int {
        try guarded("keeping versions from the server") {
            guard !rows.isEmpty, try hasHistory() else { return 0 }
            return try connection.transaction {
                var added = 0
                for row in rows {
                    try connection.withStatement("""
                        INSERT OR IGNORE INTO record_history (vault, name, version, blob, deleted, held_at)
                        SELECT ?1, ?2, ?3, ?4, ?5, ?6
                        WHERE NOT EXISTS (SELECT 1 FROM records WHERE vault = ?1 AND name = ?2 AND version = ?3)
                          AND NOT EXISTS (SELECT 1 FROM history_excluded WHERE vault = ?1 AND name = ?2)
                        """) {
                        try $0.bind(1, vault.value)
                        try $0.bind(2, row.name.bytes)
                        try $0.bind(3, Int64(clamping: row.version))
                        try $0.bind(4, row.deleted ? [] : row.blob)
                        try $0.bind(5, Int64(row.deleted ? 1 : 0))
                        try $0.bind(6, Int64(clamping: heldAt))
                        try $0.run()
                    }
                    added += try connection.integer("SELECT changes()").map(Int.init) ?? 0
                }
                return added
            }
        }
    }

    public func scrubFreedPages() throws {
        try guarded("clearing freed pages") {
            _ = try connection.text("PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }
}
