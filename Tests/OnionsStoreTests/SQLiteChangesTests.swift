import OnionsCore
import OnionsStore
import XCTest

final class SQLiteChangesTests: SQLiteStoreTestCase {
    func testChangesComeInSequenceOrderWithTombstones() throws {
        let store = try storeWithVaults()
        try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [1], expectedVersion: 0)])
        try store.apply(vault: vault, writes: [.put(name: name("b"), blob: [2], expectedVersion: 0)])
        try store.apply(vault: vault, writes: [.delete(name: name("a"), expectedVersion: 1)])
        try store.apply(vault: vault, writes: [.put(name: name("c"), blob: [3], expectedVersion: 0)])
        let changes = try store.changes(vault: vault, since: 0)
        XCTAssertEqual(changes.map(\.name), [name("b"), name("a"), name("c")])
        XCTAssertEqual(changes.map(\.deleted), [false, true, false])
        XCTAssertEqual(changes.map(\.sequence), changes.map(\.sequence).sorted())
    }

    func testChangesSinceASequenceValueLeaveOutEarlierOnes() throws {
        let store = try storeWithVaults()
        try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [1], expectedVersion: 0)])
        let mark = try store.apply(vault: vault, writes: [.put(name: name("b"), blob: [2], expectedVersion: 0)])
        try store.apply(vault: vault, writes: [.put(name: name("c"), blob: [3], expectedVersion: 0)])
        try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [4], expectedVersion: 1)])
        let changes = try store.changes(vault: vault, since: mark)
        XCTAssertEqual(changes.map(\.name), [name("c"), name("a")])
        XCTAssertEqual(changes.last?.blob, [4])
        XCTAssertTrue(changes.allSatisfy { $0.sequence > mark })
    }

    func testChangesSinceTheLatestSequenceAreEmpty() throws {
        let store = try storeWithVaults()
        let last = try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [1], expectedVersion: 0)])
        XCTAssertEqual(try store.changes(vault: vault, since: last), [])
    }

    func testChangesOfOneVaultLeaveOutTheOther() throws {
        let store = try storeWithVaults([vault, otherVault])
        try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [1], expectedVersion: 0)])
        try store.apply(vault: otherVault, writes: [.put(name: name("b"), blob: [2], expectedVersion: 0)])
        XCTAssertEqual(try store.changes(vault: vault, since: 0).map(\.name), [name("a")])
        XCTAssertEqual(try store.changes(vault: otherVault, since: 0).map(\.name), [name("b")])
    }

    func testTheSequenceKeepsGrowingAcrossDeletesAndVaultDeletion() throws {
        let store = try storeWithVaults([vault, otherVault])
        let first = try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [1], expectedVersion: 0)])
        let second = try store.apply(vault: vault, writes: [.delete(name: name("a"), expectedVersion: 1)])
        XCTAssertGreaterThan(second, first)
        try store.deleteVault(vault)
        try store.createVault(vault, header: header(for: vault))
        let third = try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [1], expectedVersion: 0)])
        XCTAssertGreaterThan(third, second)
    }

    func testAnEmptyBatchChangesNothingAndReturnsTheCurrentSequence() throws {
        let store = try storeWithVaults()
        let last = try store.apply(vault: vault, writes: [.put(name: name("a"), blob: [1], expectedVersion: 0)])
        XCTAssertEqual(try store.apply(vault: vault, writes: []), last)
        XCTAssertEqual(try store.changes(vault: vault, since: last), [])
    }
}
