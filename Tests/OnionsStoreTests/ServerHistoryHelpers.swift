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

    /// The versions the server keeps of `names`, by the server's own tables.
    func serverVersions(_ names: [RecordName]) throws -> [Int64] {
        let rows = try database.adminQuery("SELECT version FROM onions.record_history WHERE name = ANY ($1) ORDER BY 1",
                                           [.byteaArray(names.map(\.bytes))])
        return (0..<rows.count).compactMap { rows.integer($0, 0) }
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
