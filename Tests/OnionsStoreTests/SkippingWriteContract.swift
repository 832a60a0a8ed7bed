import OnionsCore
import XCTest

/// What every store must do with a write that skips versions (`RecordWrite`'s `version`):
/// run against SQLiteStore and PostgresStore, each with a vault it may write.
enum SkippingWriteContract {
    /// A write from version 0 to 7 lands at 7 in one change, and the next write counts on from there.
    static func landsAtTheVersionItNames(_ store: Store, _ vault: VaultID, _ name: RecordName,
                                         file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try store.apply(vault: vault, writes: [])
        let sequence = try store.apply(vault: vault, writes: [.put(name: name, blob: [7], expectedVersion: 0, version: 7)])
        let stored = try XCTUnwrap(try store.record(vault: vault, name: name), file: file, line: line)
        XCTAssertEqual(stored.version, 7, file: file, line: line)
        XCTAssertEqual(stored.blob, [7], file: file, line: line)
        XCTAssertEqual(try store.changes(vault: vault, since: before).count, 1, "one change", file: file, line: line)
        XCTAssertEqual(stored.sequence, sequence, file: file, line: line)
        try store.apply(vault: vault, writes: [.delete(name: name, expectedVersion: 7, version: 12)])
        try store.apply(vault: vault, writes: [.put(name: name, blob: [13], expectedVersion: 12)])
        XCTAssertEqual(try store.record(vault: vault, name: name)?.version, 13, file: file, line: line)
    }

    /// A write that expects another version than the held one conflicts, however far it skips.
    static func conflictsOnAStaleExpectedVersion(_ store: Store, _ vault: VaultID, _ name: RecordName,
                                                 file: StaticString = #filePath, line: UInt = #line) throws {
        try store.apply(vault: vault, writes: [.put(name: name, blob: [3], expectedVersion: 0, version: 3)])
        for expected: UInt64 in [0, 2, 4] {
            XCTAssertThrowsError(try store.apply(vault: vault, writes: [
                .put(name: name, blob: [9], expectedVersion: expected, version: 9),
            ]), file: file, line: line) {
                XCTAssertEqual($0 as? StoreError, .conflict(name: name, current: 3), file: file, line: line)
            }
        }
        XCTAssertEqual(try store.record(vault: vault, name: name)?.blob, [3], file: file, line: line)
        XCTAssertEqual(try store.record(vault: vault, name: name)?.version, 3, file: file, line: line)
    }

    /// A write whose new version is not above the held one conflicts (a version never goes back
    /// or repeats), and the batch it is in leaves nothing behind.
    static func conflictsWhenNotIncreasing(_ store: Store, _ vault: VaultID, _ name: RecordName, _ other: RecordName,
                                           file: StaticString = #filePath, line: UInt = #line) throws {
        try store.apply(vault: vault, writes: [.put(name: name, blob: [5], expectedVersion: 0, version: 5)])
        let before = try store.changes(vault: vault, since: 0)
        let refused: [RecordWrite] = [
            .put(name: name, blob: [6], expectedVersion: 5, version: 5),
            .put(name: name, blob: [6], expectedVersion: 5, version: 2),
            .put(name: name, blob: [6], expectedVersion: 5, version: 0),
            .delete(name: name, expectedVersion: 5, version: 5),
        ]
        for write in refused {
            XCTAssertThrowsError(try store.apply(vault: vault, writes: [
                .put(name: other, blob: [1], expectedVersion: 0), write,
            ]), "\(write.newVersion)", file: file, line: line) {
                XCTAssertEqual($0 as? StoreError, .conflict(name: name, current: 5), file: file, line: line)
            }
        }
        XCTAssertEqual(try store.changes(vault: vault, since: 0), before, file: file, line: line)
    }
}
