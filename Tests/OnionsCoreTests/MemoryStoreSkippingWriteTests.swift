import OnionsCore
import XCTest

/// `MemoryStore` keeps the rules of a write that skips versions, as the real stores do.
final class MemoryStoreSkippingWriteTests: XCTestCase {
    private let vault = VaultID("vault"), record = RecordName(Array(repeating: 1, count: 32))

    private func store() throws -> MemoryStore {
        let store = MemoryStore()
        try store.createVault(vault, header: VaultHeaderBlob(parameters: [1], wrappedKey: [2], verifier: [3]))
        return store
    }

    func testAWriteLandsAtTheVersionItNames() throws {
        let store = try store()
        try store.apply(vault: vault, writes: [.put(name: record, blob: [7], expectedVersion: 0, version: 7)])
        XCTAssertEqual(try store.record(vault: vault, name: record)?.version, 7)
        XCTAssertEqual(try store.changes(vault: vault, since: 0).count, 1)
        try store.apply(vault: vault, writes: [.put(name: record, blob: [8], expectedVersion: 7)])
        XCTAssertEqual(try store.record(vault: vault, name: record)?.version, 8)
    }

    func testASkippingWriteOnAStaleExpectedVersionConflicts() throws {
        let store = try store()
        try store.apply(vault: vault, writes: [.put(name: record, blob: [3], expectedVersion: 0, version: 3)])
        XCTAssertThrowsError(try store.apply(vault: vault, writes: [.put(name: record, blob: [9], expectedVersion: 2, version: 9)])) {
            XCTAssertEqual($0 as? StoreError, .conflict(name: record, current: 3))
        }
        XCTAssertEqual(try store.record(vault: vault, name: record)?.blob, [3])
    }

    func testANewVersionNotAboveTheHeldOneConflicts() throws {
        let store = try store()
        try store.apply(vault: vault, writes: [.put(name: record, blob: [5], expectedVersion: 0, version: 5)])
        for version: UInt64 in [5, 2] {
            XCTAssertThrowsError(try store.apply(vault: vault, writes: [
                .put(name: record, blob: [6], expectedVersion: 5, version: version),
            ])) {
                XCTAssertEqual($0 as? StoreError, .conflict(name: record, current: 5))
            }
        }
        XCTAssertEqual(try store.record(vault: vault, name: record)?.version, 5)
    }
}
