import OnionsCore
import OnionsCrypto
import OnionsStore
import XCTest

/// Whoever writes the file decides the sizes in it: every reader checks a row against `Limits`
/// before copying it, and the refusal names the limit.
final class SQLiteRowLimitTests: SQLiteStoreTestCase {
    private func assertDamaged<R>(_ message: String, line: UInt = #line, _ body: () throws -> R) {
        assertThrows(.damaged(message), line: line, body)
    }

    func testABlobOverTheLimitIsRefusedByEveryReaderAndOneAtTheLimitIsRead() throws {
        let store = try storeWithVaults()
        let atLimit = name("at the limit"), over = name("over the limit")
        try store.apply(vault: vault, writes: [
            .put(name: atLimit, blob: [UInt8](repeating: 1, count: Limits.maximumBlobBytes), expectedVersion: 0),
        ])
        XCTAssertEqual(try store.record(vault: vault, name: atLimit)?.blob.count, Limits.maximumBlobBytes)
        try store.apply(vault: vault, writes: [
            .put(name: over, blob: [UInt8](repeating: 2, count: Limits.maximumBlobBytes + 1), expectedVersion: 0),
        ])
        let message = "a record in the store has 33554463 bytes, over the limit of 33554462 bytes"
        assertDamaged(message) { try store.record(vault: vault, name: over) }
        assertDamaged(message) { try store.records(vault: vault) }
        assertDamaged(message) { try store.records(vault: vault, names: [over]) }
        assertDamaged(message) { try store.changes(vault: vault, since: 0) }
    }

    func testAHeaderFieldOverTheLimitIsRefused() throws {
        let store = try openStore()
        var header = header(for: vault)
        header.parameters = [UInt8](repeating: 3, count: Limits.maximumHeaderFieldBytes + 1)
        try store.createVault(vault, header: header)
        let message = "a vault header in the store has 1025 bytes, over the limit of 1024 bytes"
        assertDamaged(message) { try store.prelogin(vault: vault) }
        assertDamaged(message) { try store.header(vault: vault) }
    }

    func testARecordNameOverTheLimitIsRefused() throws {
        let store = try storeWithVaults()
        try store.apply(vault: vault, writes: [
            .put(name: RecordName([UInt8](repeating: 4, count: Limits.maximumHeaderFieldBytes + 1)), blob: [1],
                 expectedVersion: 0),
        ])
        let message = "a record name in the store has 1025 bytes, over the limit of 1024 bytes"
        assertDamaged(message) { try store.records(vault: vault) }
        assertDamaged(message) { try store.recordVersions(vault: vault) }
    }

    func testAVaultOfMoreRecordsThanTheLimitIsRefused() throws {
        let store = try storeWithVaults()
        let writes = (0..<Limits.maximumRecordsPerVault).map {
            RecordWrite.put(name: RecordName(bigEndianName($0)), blob: [1], expectedVersion: 0)
        }
        try store.apply(vault: vault, writes: writes)
        XCTAssertEqual(try store.recordVersions(vault: vault).count, Limits.maximumRecordsPerVault)
        try store.apply(vault: vault, writes: [.put(name: name("one more"), blob: [1], expectedVersion: 0)])
        let message = "the vault holds more than the limit of 300000 records"
        assertDamaged(message) { try store.records(vault: vault) }
        assertDamaged(message) { try store.recordVersions(vault: vault) }
        assertDamaged(message) { try store.changes(vault: vault, since: 0) }
    }

    private func bigEndianName(_ i: Int) -> [UInt8] {
        [UInt8](repeating: 0, count: 28) + (0..<4).map { UInt8((i >> (24 - 8 * $0)) & 0xff) }
    }
}
