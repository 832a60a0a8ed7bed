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

/// `scanForLogIn`: what a log in reads of the store in one statement, the same as the protocol's
/// two reads (`recordVersions`, then every live record filtered by length).
final class SQLiteLogInScanTests: SQLiteStoreTestCase {
    func testOneReadBringsEveryRecordsVersionAndTheLiveBlobsOfThatLengthOfThisVault() throws {
        let store = try storeWithVaults([vault, otherVault])
        let title = [UInt8](repeating: 7, count: 40), other = [UInt8](repeating: 8, count: 41)
        try store.apply(vault: vault, writes: [
            .put(name: name("a"), blob: title, expectedVersion: 0),
            .put(name: name("b"), blob: title, expectedVersion: 0),
            .put(name: name("c"), blob: other, expectedVersion: 0),
            .put(name: name("d"), blob: title, expectedVersion: 0),
        ])
        try store.apply(vault: vault, writes: [.delete(name: name("b"), expectedVersion: 1),
                                               .put(name: name("d"), blob: [9] + title.dropFirst(), expectedVersion: 1)])
        try store.apply(vault: otherVault, writes: [.put(name: name("e"), blob: title, expectedVersion: 0)])

        var held: [RecordName: (UInt64, Bool)] = [:]
        var sized: [RecordName: (UInt64, [UInt8])] = [:]
        try store.scanForLogIn(vault: vault, blobLength: 40, held: { name, version, deleted in
            XCTAssertNil(held[name], "one row a name")
            held[name] = (version, deleted)
        }, sized: { name, version, blob in
            XCTAssertNotNil(held[name], "a record's blob comes after its version")
            XCTAssertNil(sized[name], "one blob a name")
            sized[name] = (version, Array(blob))
        })
        XCTAssertEqual(Set(held.keys), [name("a"), name("b"), name("c"), name("d")])
        XCTAssertEqual(held[name("b")]?.0, 2)
        XCTAssertEqual(held[name("b")]?.1, true)
        XCTAssertEqual(held[name("c")]?.1, false)
        XCTAssertEqual(Set(sized.keys), [name("a"), name("d")])
        XCTAssertEqual(sized[name("a")]?.0, 1)
        XCTAssertEqual(sized[name("a")]?.1, title)
        XCTAssertEqual(sized[name("d")]?.0, 2)
        XCTAssertEqual(sized[name("d")]?.1, [9] + title.dropFirst())

        // The protocol's two reads give the same.
        let versions = try store.recordVersions(vault: vault)
        XCTAssertEqual(Set(versions.map(\.name)), Set(held.keys))
        for entry in versions {
            XCTAssertEqual(held[entry.name]?.0, entry.version)
            XCTAssertEqual(held[entry.name]?.1, entry.deleted)
        }
        let all = try store.records(vault: vault).filter { $0.blob.count == 40 }
        XCTAssertEqual(Set(all.map(\.name)), Set(sized.keys))
    }

    /// A file of one vault is read without the index: the same rows come back.
    func testAFileOfOneVaultGivesTheSameRows() throws {
        let store = try storeWithVaults([vault])
        try store.apply(vault: vault, writes: (0..<20).map {
            .put(name: name("n\($0)"), blob: [UInt8](repeating: UInt8($0), count: $0 % 2 == 0 ? 40 : 41), expectedVersion: 0)
        })
        try store.apply(vault: vault, writes: [.delete(name: name("n0"), expectedVersion: 1)])
        var held: [RecordName: Bool] = [:], sized: [RecordName: [UInt8]] = [:]
        try store.scanForLogIn(vault: vault, blobLength: 40, held: { name, _, deleted in held[name] = deleted },
                               sized: { name, _, blob in sized[name] = Array(blob) })
        XCTAssertEqual(held.count, 20)
        XCTAssertEqual(held[name("n0")], true)
        XCTAssertEqual(Set(sized.keys), Set(stride(from: 2, to: 20, by: 2).map { name("n\($0)") }))
        XCTAssertEqual(sized[name("n4")], [UInt8](repeating: 4, count: 40))
    }

    func testAnErrorThrownByTheCallerStopsTheScanAndComesBack() throws {
        struct Stop: Error {}
        let store = try storeWithVaults()
        try store.apply(vault: vault, writes: (0..<5).map { .put(name: name("n\($0)"), blob: [1, 2], expectedVersion: 0) })
        var calls = 0
        XCTAssertThrowsError(try store.scanForLogIn(vault: vault, blobLength: 2, held: { _, _, _ in }, sized: { _, _, _ in
            calls += 1
            if calls == 2 { throw Stop() }
        })) { XCTAssertTrue($0 is Stop, "\($0)") }
        XCTAssertEqual(calls, 2)
        // The store reads on afterwards (the statement was put back).
        var again = 0
        try store.scanForLogIn(vault: vault, blobLength: 2, held: { _, _, _ in }, sized: { _, _, _ in again += 1 })
        XCTAssertEqual(again, 5)
    }
}
