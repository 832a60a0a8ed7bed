import OnionsCrypto
import XCTest
@testable import OnionsCore

final class SecretTableTests: XCTestCase {
    private func text(_ i: Int, length: Int = 100) -> [UInt8] {
        (0..<length).map { UInt8(truncatingIfNeeded: i &* 31 &+ $0) | 1 }
    }

    func testHandlesKeepTheirBytesAcrossManyChunks() {
        let table = SecretTable(capacity: 64)
        var handles: [Int] = []
        for i in 0..<10_000 {
            handles.append(text(i).withUnsafeBytes { table.add($0) })
        }
        for (i, handle) in handles.enumerated() {
            XCTAssertEqual(table.withBytes(handle) { Array($0) }, text(i))
        }
        table.withAllBytes { all in
            XCTAssertEqual(all.handleCount, 10_000)
            XCTAssertEqual(Array(all[handles[9_999]]), text(9_999))
        }
    }

    func testRemovedEntriesAreReclaimedWithoutMovingHandles() {
        let table = SecretTable(capacity: 64)
        var handles: [Int] = []
        for i in 0..<8_000 { handles.append(text(i).withUnsafeBytes { table.add($0) }) }
        // Remove three quarters (more than half of the table is then zeroed), then add more:
        // the next add compacts, and every handle still reads its own bytes.
        for (i, handle) in handles.enumerated() where i % 4 != 0 { table.remove(handle) }
        let added = text(99_999).withUnsafeBytes { table.add($0) }
        for (i, handle) in handles.enumerated() where i % 4 == 0 {
            XCTAssertEqual(table.withBytes(handle) { Array($0) }, text(i))
        }
        XCTAssertEqual(table.withBytes(added) { Array($0) }, text(99_999))
        XCTAssertEqual(table.count(handles[1]), 0)
    }

    func testAnEntryLargerThanAChunkFits() {
        let table = SecretTable(capacity: 64)
        let big = text(7, length: 300_000)
        let handle = big.withUnsafeBytes { table.add($0) }
        XCTAssertEqual(table.withBytes(handle) { Array($0) }, big)
    }

    func testEmptyEntriesReadAsEmpty() {
        let table = SecretTable()
        let handle = table.add(UnsafeRawBufferPointer(start: nil, count: 0))
        XCTAssertEqual(table.count(handle), 0)
        table.withAllBytes { XCTAssertEqual($0[handle].count, 0) }
    }
}
