import OnionsCore
import OnionsStore
import XCTest

final class PostgresSkippingWriteTests: PostgresTestCase {
    func testAWriteLandsAtTheVersionItNames() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        try SkippingWriteContract.landsAtTheVersionItNames(store, vault, randomName())
    }

    func testASkippingWriteOnAStaleExpectedVersionConflicts() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        try SkippingWriteContract.conflictsOnAStaleExpectedVersion(store, vault, randomName())
    }

    func testANewVersionNotAboveTheHeldOneConflicts() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        try SkippingWriteContract.conflictsWhenNotIncreasing(store, vault, randomName(), randomName())
    }

    func testANewVersionBeyondTheServersRangeConflicts() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        let name = randomName()
        XCTAssertThrowsError(try store.apply(vault: vault, writes: [
            .put(name: name, blob: [1], expectedVersion: 0, version: UInt64(Int64.max) + 1),
        ])) {
            XCTAssertEqual($0 as? StoreError, .conflict(name: name, current: 0))
        }
        XCTAssertNil(try store.record(vault: vault, name: name))
    }
}
