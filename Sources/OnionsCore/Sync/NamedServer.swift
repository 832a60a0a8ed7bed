import OnionsCrypto

/// The session's server as the sync sees it, with every record but the manifest's root, its
/// parts and the chain's head stored under a fresh name per version (`ServerNames`): the one
/// place where the names this machine uses meet the names the server holds.
///
/// To the code above, this is a store as before: a record has one current version, `apply`
/// compares and sets, `changes` gives each record's newest row. To the server, every write of a
/// record is an insert at a name never written (version column 1); the rows a newer version
/// superseded stay there as the record's earlier versions (what `record_history` held for rows
/// under their own names), until a purge or the retention removes them (`RecordRemoving`).
/// Rows written before, under plain names of 32 bytes, are read as before and superseded by the
/// record's next write.
///
/// What the server holds is learnt from its rows' names and versions alone (no blob), once per
/// connection and then from the changes since: `index`. A name of 40 bytes that does not turn
/// into a record name this vault lists is left to the layers above as any unknown name.
final class NamedServer: RemoteStore, PagedReading, PagedWriting {
    let inner: RemoteStore
    let names: ServerNames
    /// The root, its parts and the head: kept under their own names (every save writes them).
    private let fixed: Set<RecordName>
    /// Names whose superseded rows are no versions (fillers, counters, drafts).
    var excluded: Set<RecordName> = []

    struct Row {
        /// The name the server holds it under (the record's own for a row of 32 bytes).
        let serverName: RecordName
        let deleted: Bool
        let sequence: Int64
    }
    /// Per record name, every row the server was last seen to hold, by version.
    var rows: [RecordName: [UInt64: Row]] = [:]
    /// Per record name, its newest version there.
    var current: [RecordName: UInt64] = [:]
    /// The change sequence value `rows` was read up to; nil before the first read.
    var indexedThrough: Int64?
    /// A first sync's rows it is not asked for (earlier versions, the fillers' included), in a
    /// shuffled order: read along with the rows it is asked for (`records(vault:names:)`, which
    /// keeps what it needs with `keepAlong`), and the rest at its end (`commits`), so that a
    /// first sync reads every row by its name once and what it reads tells the server nothing
    /// of which rows are current, versions or fillers.
    var alongside: [RecordName] = []
    /// The current rows under server names a first sync has not read yet (the pace of `alongside`).
    var currentUnread = 0
    /// True while the index holds only what reads of changes brought since a connection's first
    /// (not every record): the first question that needs the rest reads the whole.
    var partial = false
    /// This machine's versions between the server's and a push's (`queueHistory`), sent as
    /// inserts with the next write.
    var historyQueued: [StoredRecord] = []
    /// The server names this connection wrote, and those of the write under way: this
    /// machine holds those rows, so they are never brought back as versions.
    private var written: Set<RecordName> = []
    private var unconfirmed: [RecordName] = []
    /// Rows a read of changes brought that a newer row of their record in the same read
    /// superseded, by server name, under their record names: the versions this machine takes in
    /// next (`commits(since:historySince:)`). A round's changes carry their blobs; a first
    /// sync's versions do not, and those blobs come with its rows read alongside.
    var superseded: [RecordName: StoredRecord] = [:]
    /// The cursor from which this connection read the rows kept under plain names (schema 5's
    /// `record_history`) to their end, nil before: no write adds to them any more.
    var plainHistoryReadFrom: Int64?

    /// The keys it was made for (a session's): another session's are another vault's.
    weak var keys: DataKeys?

    init(_ inner: RemoteStore, names: ServerNames, fixed: Set<RecordName>, keys: DataKeys) {
        self.inner = inner
        self.keys = keys
        self.names = names
        self.fixed = fixed
    }

    // MARK: Names

    /// A server row as the layers above know it: under its record name and version.
    func translated(_ row: StoredRecord) -> StoredRecord {
        guard !fixed.contains(row.name), let (name, version) = names.open(row.name), !fixed.contains(name) else {
            return row
        }
        return StoredRecord(name: name, version: version, blob: row.blob, deleted: row.deleted, sequence: row.sequence)
    }

    /// Takes rows (blobs or not) the server gave into `index`: a record's newest row among
    /// them is its newest. (A server that is honest writes a record's earlier versions in the
    /// batch of its newer one, never after it; one that lost or brought back rows without
    /// announcing them is found by a round that compares every version, `recordVersions`.)
    private func absorb(_ serverRows: [StoredRecord]) {
        var newest: [RecordName: UInt64] = [:]
        for row in serverRows {
            let record = translated(row)
            let kept = Row(serverName: row.name, deleted: row.deleted, sequence: row.sequence)
            if fixed.contains(row.name) {
                // Written over in place: only its newest row is there.
                rows[record.name] = [record.version: kept]
            } else {
                rows[record.name, default: [:]][record.version] = kept
            }
            newest[record.name] = max(newest[record.name] ?? 0, record.version)
        }
        for (name, version) in newest where version > 0 { current[name] = version }
    }

    /// Reads what the server holds: everything the first time (or with `whole`), then the
    /// changes since.
    func index(vault: VaultID, whole: Bool = false) throws {
        if whole || indexedThrough == nil || partial {
            rows = [:]
            current = [:]
            indexedThrough = 0
            partial = false
        }
        let since = indexedThrough ?? 0
        let found = try versions(vault: vault, since: since)
        absorb(found)
        indexedThrough = max(since, found.map(\.sequence).max() ?? since)
    }

    func versions(vault: VaultID, since: Int64) throws -> [StoredRecord] {
        if let paged = inner as? PagedReading { return try paged.changeVersions(vault: vault, since: since) }
        return try inner.changes(vault: vault, since: since).map {
            StoredRecord(name: $0.name, version: $0.version, blob: [], deleted: $0.deleted, sequence: $0.sequence)
        }
    }

    /// The rows among `serverRows` that are their record's newest, under their record names.
    func newest(_ serverRows: [StoredRecord]) -> [StoredRecord] {
        serverRows.compactMap { row in
            if fixed.contains(row.name) { return row }
            let record = translated(row)
            return record.version == current[record.name] ? record : nil
        }
    }

    /// Absorbs `serverRows`, read as the changes after `since`, and gives their newest.
    func changed(_ serverRows: [StoredRecord], vault: VaultID, since: Int64) throws -> [StoredRecord] {
        if let through = indexedThrough, since <= through {
            absorb(serverRows)
            indexedThrough = max(through, serverRows.map(\.sequence).max() ?? through)
        } else {
            try index(vault: vault)
        }
        for row in serverRows where row.name.bytes.count == ServerNames.length && !written.contains(row.name) {
            let record = translated(row)
            guard record.name != row.name, record.version < current[record.name] ?? 0,
                  !excluded.contains(record.name) else { continue }
            superseded[row.name] = record
        }
        return newest(serverRows)
    }

    /// The server names of the newest live rows of `names`.
    func serverNames(_ names: [RecordName]) -> [RecordName: RecordName] {
        var out: [RecordName: RecordName] = [:]
        for name in names {
            if fixed.contains(name) {
                out[name] = name
            } else if let version = current[name], let row = rows[name]?[version], !row.deleted {
                out[row.serverName] = name
            }
        }
        return out
    }

    // MARK: Writes

    /// `writes` as the server takes them, checked against `index` as the server would check
    /// them under their own names (the root's compare-and-set, in every save's batch, is what
    /// guards against a writer between the read and the write). This machine's versions
    /// between go first, each once.
    private func serverWrites(_ writes: [RecordWrite], history: Bool) throws -> [RecordWrite] {
        var batch: [RecordName: UInt64] = [:]
        return try serverWrites(writes, history: history, batch: &batch)
    }

    /// As above, `batch` holding the versions earlier writes of the same batch set.
    private func serverWrites(_ writes: [RecordWrite], history: Bool,
                              batch: inout [RecordName: UInt64]) throws -> [RecordWrite] {
        var out: [RecordWrite] = []
        if history {
            for row in historyQueued where !fixed.contains(row.name) && rows[row.name]?[row.version] == nil {
                let name = names.seal(row.name, version: row.version)
                unconfirmed.append(name)
                out.append(row.deleted ? .delete(name: name, expectedVersion: 0, version: 1)
                           : .put(name: name, blob: row.blob, expectedVersion: 0, version: 1))
            }
        }
        for write in writes {
            guard !fixed.contains(write.name), write.name.bytes.count == 32 else {
                out.append(write)
                continue
            }
            let have = batch[write.name] ?? current[write.name] ?? 0
            guard write.expectedVersion == have, write.newVersion > have else {
                throw StoreError.conflict(name: write.name, current: have)
            }
            batch[write.name] = write.newVersion
            let name = names.seal(write.name, version: write.newVersion)
            unconfirmed.append(name)
            out.append(write.isDelete ? .delete(name: name, expectedVersion: 0, version: 1)
                       : .put(name: name, blob: write.blob, expectedVersion: 0, version: 1))
        }
        return out
    }

    /// `serverWrites`, checked again against the whole of what the server holds when the check
    /// fails (what this connection learnt may be stale: rows the server lost or got back
    /// without announcing them).
    private func checkedWrites(_ vault: VaultID, _ writes: [RecordWrite], history: Bool,
                               batch: inout [RecordName: UInt64]) throws -> [RecordWrite] {
        let before = batch, queued = unconfirmed
        do {
            return try serverWrites(writes, history: history, batch: &batch)
        } catch StoreError.conflict {
            batch = before
            unconfirmed = queued
            try index(vault: vault, whole: true)
            return try serverWrites(writes, history: history, batch: &batch)
        }
    }

    /// Runs a write, naming a conflict by the record name, and takes what it wrote into `index`.
    private func writing(_ vault: VaultID, _ body: () throws -> Int64) throws -> Int64 {
        defer { unconfirmed = [] }
        do {
            let sequence = try body()
            historyQueued = []
            written.formUnion(unconfirmed)
            // What was written is read back (names and versions) with the next question.
            return sequence
        } catch StoreError.conflict(let name, let version) {
            indexedThrough = nil
            guard let (record, _) = names.open(name), !fixed.contains(name) else {
                throw StoreError.conflict(name: name, current: version)
            }
            // That version of the record is there already, which this connection did not know:
            // written by another machine meanwhile, or there unannounced. Version 0 says that
            // the server's version is not known (the round then compares every version).
            throw StoreError.conflict(name: record, current: 0)
        } catch {
            indexedThrough = nil
            throw error
        }
    }

    // MARK: Store

    func prelogin(vault: VaultID) throws -> [UInt8]? { try inner.prelogin(vault: vault) }
    func authorize(vault: VaultID, authKey: SecretBytes) throws { try inner.authorize(vault: vault, authKey: authKey) }
    func header(vault: VaultID) throws -> VaultHeaderBlob? { try inner.header(vault: vault) }
    func createVault(_ vault: VaultID, header: VaultHeaderBlob) throws { try inner.createVault(vault, header: header) }

    func createVault(_ vault: VaultID, header: VaultHeaderBlob, authKey: SecretBytes, records: [RecordWrite]) throws {
        indexedThrough = nil
        rows = [:]
        current = [:]
        let writes = try serverWrites(records, history: false)
        _ = try writing(vault) {
            try inner.createVault(vault, header: header, authKey: authKey, records: writes)
            return 0
        }
    }

    func replaceHeader(_ vault: VaultID, expected: VaultHeaderBlob, with new: VaultHeaderBlob) throws {
        try inner.replaceHeader(vault, expected: expected, with: new)
    }

    func replaceHeader(_ vault: VaultID, expected: VaultHeaderBlob, with new: VaultHeaderBlob,
                       authKey: SecretBytes) throws {
        try inner.replaceHeader(vault, expected: expected, with: new, authKey: authKey)
    }

    func replaceHeader(_ vault: VaultID, expected: VaultHeaderBlob, with new: VaultHeaderBlob,
                       applying writes: [RecordWrite]) throws {
        try index(vault: vault)
        var batch: [RecordName: UInt64] = [:]
        let translated = try checkedWrites(vault, writes, history: true, batch: &batch)
        _ = try writing(vault) {
            try inner.replaceHeader(vault, expected: expected, with: new, applying: translated)
            return 0
        }
    }

    func deleteVault(_ vault: VaultID) throws {
        indexedThrough = nil
        try inner.deleteVault(vault)
    }

    func record(vault: VaultID, name: RecordName) throws -> StoredRecord? {
        if fixed.contains(name) { return try inner.record(vault: vault, name: name) }
        return try records(vault: vault, names: [name]).first
    }

    @discardableResult
    func apply(vault: VaultID, writes: [RecordWrite]) throws -> Int64 {
        try apply(vault: vault, writes: writes, commits: [])
    }

    @discardableResult
    func apply(vault: VaultID, writes: [RecordWrite], commits: [[UInt8]]) throws -> Int64 {
        try index(vault: vault)
        var batch: [RecordName: UInt64] = [:]
        let translated = try checkedWrites(vault, writes, history: true, batch: &batch)
        return try writing(vault) { try inner.apply(vault: vault, writes: translated, commits: commits) }
    }

    func commits(vault: VaultID, since: Int64) throws -> [StoredCommit] { try inner.commits(vault: vault, since: since) }

    func headRecord(vault: VaultID, name: RecordName) throws -> (record: StoredRecord?, commits: Int?) {
        try inner.headRecord(vault: vault, name: name)
    }

    func heldCommits(vault: VaultID, hashes: [CommitHash]) throws -> Set<CommitHash> {
        try inner.heldCommits(vault: vault, hashes: hashes)
    }

    // MARK: PagedWriting

    @discardableResult
    func apply(vault: VaultID, pages next: () throws -> [RecordWrite]?, then writes: [RecordWrite]) throws -> Int64 {
        try index(vault: vault)
        var batch: [RecordName: UInt64] = [:]
        let last = try checkedWrites(vault, writes, history: true, batch: &batch)
        return try writing(vault) {
            // Each page is checked as it comes, as the server checks it.
            try inner.applyPaged(vault: vault, pages: {
                guard let page = try next() else { return nil }
                return try checkedWrites(vault, page, history: false, batch: &batch)
            }, then: last)
        }
    }

    // MARK: RemoteStore

    func listen(vault: VaultID) throws { try inner.listen(vault: vault) }
    func pollNotifications(timeoutMs: Int, after sequence: Int64) -> Bool {
        inner.pollNotifications(timeoutMs: timeoutMs, after: sequence)
    }
    var socketDescriptor: Int32 { inner.socketDescriptor }
    func takeTurn(vault: VaultID) throws -> Bool { try inner.takeTurn(vault: vault) }
    func endTurn(vault: VaultID) { inner.endTurn(vault: vault) }
    func beginRound() { inner.beginRound() }
    func endRound() { inner.endRound() }
}
