import OnionsCore
import OnionsStore
import XCTest

final class SQLiteCompareAndSetTests: SQLiteStoreTestCase {
    func testAPutOfANewRecordStoresVersionOne() throws {
        let store = try storeWithVaults()
        try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [1, 2, 3], expectedVersion: 0)])
        let stored = try XCTUnwrap(store.record(vault: vault, name: name("a")))
        XCTAssertEqual(stored.version, 1)
        XCTAssertEqual(stored.blob, [1, 2, 3])
        XCTAssertFalse(stored.deleted)
    }

    func testEachPutCountsTheVersionUp() throws {
        let store = try storeWithVaults()
        for expected in UInt64(0)..<5 {
            try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [UInt8(expected)],
                                                        expectedVersion: expected)])
        }
        XCTAssertEqual(try store.record(vault: vault, name: name("a"))?.version, 5)
        XCTAssertEqual(try store.record(vault: vault, name: name("a"))?.blob, [4])
    }

    func testAStaleExpectedVersionConflictsAndNamesTheCurrentVersion() throws {
        let store = try storeWithVaults()
        try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [1], expectedVersion: 0)])
        try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [2], expectedVersion: 1)])
        assertThrows(.conflict(name: name("a"), current: 2)) {
            try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [3], expectedVersion: 1)])
        }
        XCTAssertEqual(try store.record(vault: vault, name: name("a"))?.blob, [2])
    }

    func testCreatingOverAnExistingRecordConflicts() throws {
        let store = try storeWithVaults()
        try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [1], expectedVersion: 0)])
        assertThrows(.conflict(name: name("a"), current: 1)) {
            try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [9], expectedVersion: 0)])
        }
        XCTAssertEqual(try store.record(vault: vault, name: name("a"))?.blob, [1])
    }

    func testExpectingAVersionOfAMissingRecordConflictsWithZero() throws {
        let store = try storeWithVaults()
        assertThrows(.conflict(name: name("a"), current: 0)) {
            try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [1], expectedVersion: 3)])
        }
        XCTAssertNil(try store.record(vault: vault, name: name("a")))
    }

    func testAFailingWriteInABatchLeavesNothingApplied() throws {
        let store = try storeWithVaults()
        try store.apply(vault: vault, writes: [.put(name: name("taken"), blob: [1], expectedVersion: 0)])
        let before = try store.changes(vault: vault, since: 0)
        assertThrows(.conflict(name: name("taken"), current: 1)) {
            try store.apply(vault: vault, writes: [
                .put(name: name("new"), blob: [2], expectedVersion: 0),
                .delete(name: name("taken"), expectedVersion: 1),
                .put(name: name("taken"), blob: [3], expectedVersion: 5),
                .put(name: name("later"), blob: [4], expectedVersion: 0),
            ])
        }
        XCTAssertNil(try store.record(vault: vault, name: name("new")))
        XCTAssertNil(try store.record(vault: vault, name: name("later")))
        XCTAssertEqual(try store.record(vault: vault, name: name("taken"))?.blob, [1])
        XCTAssertEqual(try store.changes(vault: vault, since: 0), before)
    }

    func testAFailedBatchDoesNotUseUpSequenceValues() throws {
        let store = try storeWithVaults()
        let first = try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [1], expectedVersion: 0)])
        assertThrows(.conflict(name: name("a"), current: 1)) {
            try store.apply(vault: vault, writes: [
                .put(name: name("b"), blob: [1], expectedVersion: 0),
                .put(name: name("a"), blob: [1], expectedVersion: 0),
            ])
        }
        let next = try store.apply(vault: vault, writes: [.put(name: name("c"), blob: [1], expectedVersion: 0)])
        XCTAssertEqual(next, first + 1)
    }

    func testABatchAppliesEveryWriteAndReturnsTheLastSequence() throws {
        let store = try storeWithVaults()
        let last = try store.apply(vault: vault, writes: [
            .put(name: name("record"), blob: [1], expectedVersion: 0),
            .put(name: name("manifest"), blob: [2], expectedVersion: 0),
        ])
        let changes = try store.changes(vault: vault, since: 0)
        XCTAssertEqual(changes.map(\.name), [name("record"), name("manifest")])
        XCTAssertEqual(changes.last?.sequence, last)
        XCTAssertEqual(Set(changes.map(\.sequence)).count, 2)
    }

    func testABatchMayWriteTheSameNameTwiceInOrder() throws {
        let store = try storeWithVaults()
        try store.apply(vault: vault, writes: [
            .put(name: name("a"), blob: [1], expectedVersion: 0),
            .put(name: name("a"), blob: [2], expectedVersion: 1),
        ])
        XCTAssertEqual(try store.record(vault: vault, name: name("a"))?.version, 2)
        XCTAssertEqual(try store.record(vault: vault, name: name("a"))?.blob, [2])
    }

    func testApplyOnAMissingVaultSaysSo() throws {
        let store = try storeWithVaults()
        assertThrows(.noVault) {
            try store.apply(vault: otherVault, writes: [.put(name: name("a"), blob: [1], expectedVersion: 0)])
        }
    }

    func testADeleteLeavesATombstoneThatRecordsDoNotShow() throws {
        let store = try storeWithVaults()
        try store.apply(vault: vault, writes: [
            .put(name: name("a"), blob: [1], expectedVersion: 0),
            .put(name: name("b"), blob: [2], expectedVersion: 0),
        ])
        try store.apply(vault: vault, writes: [.delete(name: name("a"), expectedVersion: 1)])
        XCTAssertNil(try store.record(vault: vault, name: name("a")))
        XCTAssertEqual(try store.records(vault: vault).map(\.name), [name("b")])
        let tombstone = try XCTUnwrap(store.changes(vault: vault, since: 0).first { $0.name == name("a") })
        XCTAssertTrue(tombstone.deleted)
        XCTAssertEqual(tombstone.version, 2)
        XCTAssertEqual(tombstone.blob, [])
    }

    func testARecordIsCreatedAgainAfterItsDeleteByExpectingTheTombstoneVersion() throws {
        let store = try storeWithVaults()
        try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [1], expectedVersion: 0)])
        try store.apply(vault: vault, writes: [.delete(name: name("a"), expectedVersion: 1)])
        assertThrows(.conflict(name: name("a"), current: 2)) {
            try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [5], expectedVersion: 0)])
        }
        try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [5], expectedVersion: 2)])
        let stored = try XCTUnwrap(store.record(vault: vault, name: name("a")))
        XCTAssertEqual(stored.version, 3)
        XCTAssertEqual(stored.blob, [5])
        XCTAssertFalse(stored.deleted)
    }

    func testDeletingWithAStaleVersionConflicts() throws {
        let store = try storeWithVaults()
        try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [1], expectedVersion: 0)])
        try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [2], expectedVersion: 1)])
        assertThrows(.conflict(name: name("a"), current: 2)) {
            try store.apply(vault: vault, writes: [.delete(name: name("a"), expectedVersion: 1)])
        }
        XCTAssertEqual(try store.record(vault: vault, name: name("a"))?.blob, [2])
    }

    func testRecordsOfOneVaultAreInvisibleToAnother() throws {
        let store = try storeWithVaults([vault, otherVault])
        try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [1], expectedVersion: 0)])
        XCTAssertNil(try store.record(vault: otherVault, name: name("a")))
        XCTAssertEqual(try store.records(vault: otherVault), [])
        try store.apply(vault: otherVault, writes: [.put(name: name("a"), blob: [7], expectedVersion: 0)])
        XCTAssertEqual(try store.record(vault: vault, name: name("a"))?.blob, [1])
        XCTAssertEqual(try store.record(vault: otherVault, name: name("a"))?.blob, [7])
    }
}
