import Foundation
import OnionsCore
import OnionsCrypto
@testable import OnionsStore
import XCTest

/// A server decides the sizes in its answers: a value larger than a sealed record may be, or more
/// rows than a vault may hold, is refused before it is copied, and the refusal names the limit.
final class PostgresRowLimitTests: PostgresTestCase {
    func testABlobOverTheLimitIsRefusedAndOneAtTheLimitIsRead() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        let atLimit = randomName(), over = randomName()
        try store.apply(vault: vault, writes: [
            .put(name: atLimit, blob: [UInt8](repeating: 1, count: Limits.maximumBlobBytes), expectedVersion: 0),
        ])
        XCTAssertEqual(try store.record(vault: vault, name: atLimit)?.blob.count, Limits.maximumBlobBytes)
        try store.apply(vault: vault, writes: [
            .put(name: over, blob: [UInt8](repeating: 2, count: Limits.maximumBlobBytes + 1), expectedVersion: 0),
        ])
        let refused = "sent a value of 33554463 bytes, over the limit of 33554462 bytes a sealed record may have; "
            + "its answer was refused"
        for read in [{ _ = try store.record(vault: vault, name: over) }, { _ = try store.records(vault: vault) },
                     { _ = try store.changes(vault: vault, since: 0) }] {
            XCTAssertThrowsError(try read()) {
                guard case .damaged(let sentence)? = $0 as? StoreError else { return XCTFail("\($0)") }
                XCTAssertTrue(sentence.hasPrefix("the server "), sentence)
                XCTAssertTrue(sentence.hasSuffix(refused), sentence)
            }
        }
    }

    func testAnAnswerOfMoreRowsThanAVaultMayHoldIsRefused() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        _ = try database.adminQuery("""
            INSERT INTO onions.records (vault, name, version, blob, deleted, seq)
            SELECT $1, int8send(i), 1, '\\x01'::bytea, false, i FROM generate_series(1, $2::bigint) AS i
            """, [.text(vault.value), .text(String(Limits.maximumRecordsPerVault + 1))])
        XCTAssertThrowsError(try store.records(vault: vault)) {
            guard case .damaged(let sentence)? = $0 as? StoreError else { return XCTFail("\($0)") }
            XCTAssertTrue(sentence.hasPrefix("the server "), sentence)
            XCTAssertTrue(sentence.hasSuffix("answered with more than 300000 rows, the most records a vault may hold; "
                                             + "its answer was refused"), sentence)
        }
    }
}
