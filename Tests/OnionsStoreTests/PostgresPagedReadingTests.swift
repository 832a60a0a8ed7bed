// What a first sync reads from the server: the versions of the changes without their blobs
// (pull_versions), then the blobs a page of names at a time (get_many). Needs ONIONS_TEST_PG_URL
// (see PostgresStoreTests.swift).

import OnionsCore
import OnionsCrypto
@testable import OnionsStore
import XCTest

final class PostgresPagedReadingTests: PostgresTestCase {
    func testChangeVersionsArePullsRowsWithoutBlobsAndRecordsByNameAreTheLiveOnesAskedFor() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        let names = (0..<600).map { _ in randomName() }
        try store.apply(vault: vault, writes: names.map { put($0, 0) })
        try store.apply(vault: vault, writes: [.delete(name: names[5], expectedVersion: 1)])
        let since = try store.changes(vault: vault, since: 0)[99].sequence

        let pulled = try store.changes(vault: vault, since: since)
        let versions = try store.changeVersions(vault: vault, since: since)
        XCTAssertEqual(versions.map(\.name), pulled.map(\.name))
        XCTAssertEqual(versions.map(\.version), pulled.map(\.version))
        XCTAssertEqual(versions.map(\.sequence), pulled.map(\.sequence))
        XCTAssertEqual(versions.map(\.deleted), pulled.map(\.deleted))
        XCTAssertTrue(versions.allSatisfy(\.blob.isEmpty))
        XCTAssertEqual(versions.last?.name, names[5], "the tombstone, last written")

        // More names than one call asks for, a tombstone and a name never written among them.
        let asked = Array(names[0..<400]) + [randomName()]
        let found = try store.records(vault: vault, names: asked)
        XCTAssertEqual(Set(found.map(\.name)), Set(names[0..<400]).subtracting([names[5]]))
        let whole = Dictionary(uniqueKeysWithValues: try store.records(vault: vault).map { ($0.name, $0.blob) })
        XCTAssertTrue(found.allSatisfy { whole[$0.name] == $0.blob && $0.version == 1 && !$0.deleted })
    }

    func testAVaultsRoleReadsNoMoreThanTenThousandNamesInOneCall() throws {
        let store = try database.clientStore()
        let (_, key) = try makeVault(store)
        let client = try database.connect(authKey: key)
        let names = (0..<10_001).map { _ in randomBytes(32) }
        XCTAssertThrowsError(try client.query("SELECT * FROM onions.get_many($1)", [.byteaArray(names)])) {
            XCTAssertEqual(($0 as? PostgresFailure)?.sqlState, "ON003", "\($0)")
        }
        XCTAssertEqual(try client.query("SELECT * FROM onions.get_many($1)", [.byteaArray(Array(names[0..<10_000]))]).count, 0)
    }
}
