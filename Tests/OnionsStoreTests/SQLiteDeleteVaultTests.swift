import CSQLite
import Foundation
import OnionsCore
import OnionsStore
import XCTest

final class SQLiteDeleteVaultTests: SQLiteStoreTestCase {
    /// Slices of every blob and header field written to `vault`, to look for in the raw files.
    private var markers: [[UInt8]] = []

    /// Fills `vault` with random blobs (each written twice, so old versions sit in the WAL and
    /// free pages), a random header, local state, and `otherVault` with a few records.
    private func fillVaults(_ store: SQLiteStore) throws {
        let secretHeader = VaultHeaderBlob(parameters: randomBytes(64), wrappedKey: randomBytes(80),
                                           verifier: header(for: vault).verifier)
        try store.createVault(vault, header: secretHeader)
        try store.createVault(otherVault, header: header(for: otherVault))
        markers = [secretHeader.parameters, secretHeader.wrappedKey]
        for round in UInt64(0)..<2 {
            var writes: [RecordWrite] = []
            for index in 0..<40 {
                let blob = randomBytes(3000)
                markers.append(blob)
                writes.append(.put(name: name("record \(index)"), blob: blob, expectedVersion: round))
            }
            try store.apply(vault: vault, writes: writes)
        }
        try store.apply(vault: vault, writes: [.delete(name: name("record 0"), expectedVersion: 2)])
        let state = randomBytes(100)
        markers.append(state)
        try store.setLocalState(vault: vault, key: "sync", value: state)
        try store.apply(vault: otherVault, writes: (0..<5).map {
            .put(name: name("other \($0)"), blob: Array(repeating: UInt8($0), count: 3000), expectedVersion: 0)
        })
    }

    /// The number of markers of which some 24-byte slice occurs in the database, WAL or SHM file.
    private func markersFoundOnDisk() throws -> Int {
        var raw = Data()
        for suffix in ["", "-wal", "-shm"] {
            if let contents = FileManager.default.contents(atPath: path + suffix) { raw.append(contents) }
        }
        return markers.filter { marker in
            stride(from: 0, to: marker.count - 24, by: max(1, (marker.count - 24) / 4)).contains { start in
                raw.range(of: Data(marker[start..<(start + 24)])) != nil
            }
        }.count
    }

    func testTheVaultsBytesAreOnDiskBeforeItIsDeleted() throws {
        let store = try openStore()
        try fillVaults(store)
        XCTAssertEqual(try markersFoundOnDisk(), markers.count)
    }

    func testDeleteVaultLeavesNoByteOfItsBlobsInTheFileOrItsLog() throws {
        let store = try openStore()
        try fillVaults(store)
        try store.deleteVault(vault)
        XCTAssertEqual(try markersFoundOnDisk(), 0)
    }

    func testDeleteVaultLeavesNoByteOfItsBlobsAfterTheStoreIsClosed() throws {
        var store: SQLiteStore? = try openStore()
        try fillVaults(store!)
        try store!.deleteVault(vault)
        store = nil
        XCTAssertEqual(try markersFoundOnDisk(), 0)
    }

    func testDeleteVaultWhileAnotherReaderHoldsTheFileDeletesButReportsThePendingWipe() throws {
        let store = try SQLiteStore(path: path, busyTimeoutMilliseconds: 50)
        try fillVaults(store)
        var reader: OpaquePointer?
        XCTAssertEqual(sqlite3_open(path, &reader), SQLITE_OK)
        XCTAssertEqual(sqlite3_exec(reader, "BEGIN", nil, nil, nil), SQLITE_OK)
        var statement: OpaquePointer?
        XCTAssertEqual(sqlite3_prepare_v2(reader, "SELECT count(*) FROM records", -1, &statement, nil), SQLITE_OK)
        XCTAssertEqual(sqlite3_step(statement), SQLITE_ROW)

        XCTAssertThrowsError(try store.deleteVault(vault)) { error in
            guard case .unavailable? = error as? StoreError else { return XCTFail("got \(error)") }
        }
        XCTAssertNil(try store.header(vault: vault))

        sqlite3_finalize(statement)
        XCTAssertEqual(sqlite3_exec(reader, "COMMIT", nil, nil, nil), SQLITE_OK)
        sqlite3_close(reader)
        try store.deleteVault(vault)
        XCTAssertEqual(try markersFoundOnDisk(), 0)
    }

    func testDeleteVaultRemovesHeaderRecordsTombstonesAndLocalState() throws {
        let store = try openStore()
        try fillVaults(store)
        try store.deleteVault(vault)
        XCTAssertNil(try store.prelogin(vault: vault))
        XCTAssertNil(try store.header(vault: vault))
        XCTAssertEqual(try store.changes(vault: vault, since: 0), [])
        XCTAssertNil(try store.localState(vault: vault, key: "sync"))
        XCTAssertEqual(try store.records(vault: vault), [])
        assertThrows(.noVault) { try store.authorize(vault: vault, authKey: authKey(for: vault)) }
    }

    func testDeleteVaultLeavesAnotherVaultUntouched() throws {
        let store = try openStore()
        try fillVaults(store)
        let before = try store.changes(vault: otherVault, since: 0)
        try store.setLocalState(vault: otherVault, key: "sync", value: [42])
        try store.deleteVault(vault)
        XCTAssertEqual(try store.header(vault: otherVault), header(for: otherVault))
        XCTAssertEqual(try store.changes(vault: otherVault, since: 0), before)
        XCTAssertEqual(try store.records(vault: otherVault).count, 5)
        XCTAssertEqual(try store.localState(vault: otherVault, key: "sync"), [42])
    }

    func testADeletedVaultCanBeCreatedAgainFromVersionZero() throws {
        let store = try openStore()
        try fillVaults(store)
        try store.deleteVault(vault)
        try store.createVault(vault, header: header(for: vault))
        try store.apply(vault: vault, writes: [.put(name: name("record 1"), blob: [1], expectedVersion: 0)])
        XCTAssertEqual(try store.record(vault: vault, name: name("record 1"))?.version, 1)
    }
}
