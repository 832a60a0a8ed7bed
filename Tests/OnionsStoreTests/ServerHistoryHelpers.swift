import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore

/// What the tests of versions through the server read: a machine's versions of an onion, and
/// the versions the server keeps, by its own tables.
extension SyncTestCase {
    func infos(_ session: Session, _ id: ItemID) throws -> [String] {
        try session.versions(of: .onion(id)).map { version in
            let texts = try session.texts(of: version, of: .onion(id))
            defer { texts.wipe() }
            return syncText(texts.info)
        }
    }

    /// The rows the server keeps under plain names (its record_history, from before server
    /// names, and what a store used directly keeps), by the server's own tables.
    func plainServerVersions(_ names: [RecordName]) throws -> [Int64] {
        let rows = try database.adminQuery("SELECT version FROM onions.record_history WHERE name = ANY ($1) ORDER BY 1",
                                           [.byteaArray(names.map(\.bytes))])
        return (0..<rows.count).compactMap { rows.integer($0, 0) }
    }

    /// Every row the server holds of `names` under server names (FORMAT.md "Names on the
    /// server"), read from its table and turned into record names with `session`'s naming key:
    /// oldest version first.
    func serverRows(_ session: Session, _ names: [RecordName]) throws -> [ServerRow] {
        let namer = try ServerNames(nameKey: session.keys.nameKey)
        defer { namer.wipe() }
        let wanted = Set(names)
        let rows = try database.adminQuery("SELECT name, blob, deleted FROM onions.records WHERE length(name) = 40")
        var found: [ServerRow] = []
        for row in 0..<rows.count {
            guard let bytes = rows.bytes(row, 0), let (name, version) = namer.open(RecordName(bytes)),
                  wanted.contains(name) else { continue }
            found.append(ServerRow(name: name, version: version, serverName: RecordName(bytes),
                                   blob: rows.bytes(row, 1) ?? [], deleted: rows.bool(row, 2) == true))
        }
        return found.sorted { ($0.version, $0.name.description) < ($1.version, $1.name.description) }
    }

    /// The versions the server keeps of `names`: the rows a newer row of the same record
    /// superseded, by the server's own table (and any kept under plain names).
    func serverVersions(_ session: Session, _ names: [RecordName]) throws -> [Int64] {
        let rows = try serverRows(session, names)
        var newest: [RecordName: UInt64] = [:]
        for row in rows { newest[row.name] = max(newest[row.name] ?? 0, row.version) }
        let superseded = rows.filter { $0.version < newest[$0.name] ?? 0 }.map { Int64($0.version) }
        return (superseded + (try plainServerVersions(names))).sorted()
    }

    /// The server's name of the newest row of `name`.
    func newestServerName(_ session: Session, _ name: RecordName) throws -> RecordName {
        let rows = try serverRows(session, [name])
        guard let last = rows.last else { throw HarnessFailure() }
        return last.serverName
    }

    /// The versions `machine`'s own store keeps of `names` (its record_history), in the order
    /// `serverVersions` gives: a record's version is the counter of the save that wrote it.
    func localVersions(_ machine: SyncMachine, _ names: [RecordName]) throws -> [Int64] {
        try names.flatMap { name in
            try machine.store.connection.withStatement("SELECT version FROM record_history WHERE name = ?") { statement in
                try statement.bind(1, name.bytes)
                var found: [Int64] = []
                while try statement.step() { found.append(statement.int64(0)) }
                return found
            }
        }.sorted()
    }

    func onionNames(_ session: Session, _ id: ItemID) -> [RecordName] {
        [session.keys.name(.onionTitle(id)), session.keys.name(.onionInfo(id))]
    }
}

/// A row of the server's table under a server name, as a record name and version.
struct ServerRow {
    let name: RecordName
    let version: UInt64
    let serverName: RecordName
    let blob: [UInt8]
    let deleted: Bool
}
