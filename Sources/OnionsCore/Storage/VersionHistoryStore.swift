/// A store that keeps the earlier rows of records (FORMAT.md "Versions and trash"): the
/// SQLite store, this machine's replica. When a record of the small or large class, or a
/// tombstone, is replaced, the row it replaced is kept, unless its name was excluded (fillers,
/// counters, drafts: records with no versions worth keeping). A kept row is the same sealed
/// blob at the same name and version, so it opens as it did; nothing here is plaintext.
public protocol VersionHistoryStore: AnyObject {
    /// Names whose replaced rows are not kept. Idempotent.
    func excludeFromHistory(vault: VaultID, names: [RecordName]) throws

    /// The kept rows of `name` and its current row, oldest version first.
    func history(vault: VaultID, name: RecordName) throws -> [HistoryRow]

    /// The kept rows of `name` whose version lies strictly between `above` and `below`, oldest
    /// first (no current row): what a push sends of the versions saved between two pushes.
    func keptRows(vault: VaultID, name: RecordName, above: UInt64, below: UInt64) throws -> [HistoryRow]

    /// Removes the kept rows of `names` up to version `through` (all of them when nil).
    /// Returns how many went.
    @discardableResult
    func purgeHistory(vault: VaultID, names: [RecordName], through: UInt64?) throws -> Int

    /// Removes the kept rows past `retention` at `now`: of every name, the rows beyond its
    /// newest `retention.versions` that are also older than `retention.days`; and every kept
    /// row of a name whose current row is a tombstone older than `retention.trashDays` (an
    /// item deleted that long ago). Returns what went: a name whose trash expired with
    /// `through` nil, a name that lost old versions with the highest version removed.
    func expireHistory(vault: VaultID, retention: Retention, now: UInt64) throws -> [HistoryPurge]

    /// Keeps rows another machine's writes replaced on the server (pulled by a sync and opened
    /// first), held from `heldAt`: a row whose name and version this store holds already (kept
    /// or current), or whose name is excluded, is left out. Returns how many were added.
    @discardableResult
    func addHistory(vault: VaultID, rows: [StoredRecord], heldAt: UInt64) throws -> Int

    /// Writes the freed pages out of the file and its write-ahead log (after a purge).
    func scrubFreedPages() throws
}

/// A server that keeps the rows its writes replace (schema 5, FORMAT.md "Versions and trash"),
/// so that a sync brings the versions other machines saved between two of its own.
public protocol RemoteHistoryStore: AnyObject {
    /// Names whose replaced rows the server is not to keep (fillers, counters, drafts): sent
    /// with the next `apply` (each name once per connection). Never calls the server itself.
    func excludeFromHistory(vault: VaultID, names: Set<RecordName>)

    /// This machine's versions of the names a push writes that lie between the server's
    /// version and the new one (saved offline, or several saves before one sync): sent with
    /// the next `apply`, in its transaction, replacing any rows queued before. Never calls the
    /// server itself; nothing is added to the statement when `rows` is empty.
    func queueHistory(vault: VaultID, rows: [StoredRecord])

    /// The commits inserted after `since` and the kept rows added after `historySince`, in one
    /// call (the sequence of each kept row is the server's, for the next `historySince`): the
    /// first `ServerHistoryPage.rows` kept rows, the caller reads on when it got that many.
    func commits(vault: VaultID, since: Int64, historySince: Int64) throws
        -> (commits: [StoredCommit], history: [StoredRecord])

    /// Removes kept rows: of each name, those up to its `through` (all when nil; only that
    /// version when `exact`); every kept row of the vault when `purges` is nil. Returns how
    /// many went.
    @discardableResult
    func purgeHistory(vault: VaultID, purges: [HistoryPurge]?) throws -> Int
}

/// How many kept rows one call reads from the server at most (about 17 MB of the large class),
/// so that a machine signing in to a vault with a long history reads it in pieces, each within
/// a sync round's read budget.
public enum ServerHistoryPage {
    public static let rows = 2_000
}

/// Kept rows of one name to remove: those up to version `through`, all of them when nil; with
/// `exact`, only version `through` (an altered row a repair replaced).
public struct HistoryPurge: Equatable, Sendable {
    public let name: RecordName
    public let through: UInt64?
    public let exact: Bool
    public init(name: RecordName, through: UInt64?) {
        self.name = name
        self.through = through
        exact = false
    }

    public init(name: RecordName, exactly version: UInt64) {
        self.name = name
        through = version
        exact = true
    }
}

/// One row of a record's history: the sealed blob (empty for a tombstone) at its version.
public struct HistoryRow: Sendable {
    public let name: RecordName
    public let version: UInt64
    public let blob: [UInt8]
    public let deleted: Bool
    /// When this machine first held it (ms since 1970, this machine's clock); 0 when unknown.
    public let heldAt: UInt64
    /// True for the record's current row, false for a kept one.
    public let isCurrent: Bool
    /// The row as a stored record (to open it).
    public var record: StoredRecord { StoredRecord(name: name, version: version, blob: blob, deleted: deleted, sequence: 0) }

    public init(name: RecordName, version: UInt64, blob: [UInt8], deleted: Bool, heldAt: UInt64, isCurrent: Bool) {
        self.name = name
        self.version = version
        self.blob = blob
        self.deleted = deleted
        self.heldAt = heldAt
        self.isCurrent = isCurrent
    }
}

/// How long versions and deleted items are kept: a sealed setting of the vault, one for all
/// its machines (`VaultSettings`). Ages count from when this machine first held a row.
public struct Retention: Equatable, Sendable {
    /// Versions kept of each item whatever their age.
    public var versions: Int
    /// Days a version is kept whatever the count.
    public var days: Int
    /// Days a deleted item stays in the trash.
    public var trashDays: Int

    public static let standard = Retention(versions: 20, days: 90, trashDays: 30)
    public static let limits = (versions: 1...1_000, days: 0...3_650, trashDays: 0...3_650)

    /// True when every value is within `limits`.
    public var isWithinLimits: Bool {
        Self.limits.versions.contains(versions) && Self.limits.days.contains(days) && Self.limits.trashDays.contains(trashDays)
    }

    public init(versions: Int, days: Int, trashDays: Int) {
        self.versions = versions
        self.days = days
        self.trashDays = trashDays
    }
}
