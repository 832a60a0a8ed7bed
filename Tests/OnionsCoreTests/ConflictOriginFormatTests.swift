@testable import OnionsCore
import OnionsCrypto
import XCTest

/// The conflict origin in a record's padding (FORMAT.md "Versions and trash"): read back as
/// written, absent from records without it, and room for it in the largest card.
final class ConflictOriginFormatTests: XCTestCase {
    let vault = VaultID("origin-test-vault")
    let recordName = RecordName(Array(repeating: 3, count: 32))

    func sealer() throws -> RecordSealer {
        RecordSealer(vault: vault, keys: try DataKeys(dataKey: SecretBytes(copying: Array(repeating: 7, count: 32))))
    }

    func record(_ blob: [UInt8]) -> StoredRecord { StoredRecord(name: recordName, version: 1, blob: blob, deleted: false, sequence: 0) }

    func testAnOriginIsReadBackBesideTheStampAndThePayloadIsUnchanged() throws {
        let stamp = VersionStamp(machine: Array(repeating: 0xB0, count: 16), count: 9, time: 1_790_000_000_000)
        let task = ConflictOrigin(item: .task(513), machine: Array(repeating: 0xB1, count: 16), commit: 4, time: 1_789_000_000_000)
        let card = ConflictOrigin(item: .card(ItemID(bytes: Array(repeating: 0xC0, count: 16))),
                                  machine: Array(repeating: 0xB2, count: 16), commit: nil, time: 5)
        let draft = ConflictOrigin(item: nil, machine: Array(repeating: 0xB3, count: 16), commit: 2, time: 6)
        for (origin, sizeClass) in [(task, SizeClass.small), (card, .large), (draft, .small)] {
            let payload = SecretBytes(copying: Array("a payload".utf8))
            let blob = try sealer().stamping(stamp).marking(origin).seal(payload, name: recordName, version: 1, sizeClass: sizeClass)
            let opened = try sealer().openMarked(record(blob))
            XCTAssertEqual(opened.origin, origin)
            XCTAssertEqual(opened.stamp, stamp)
            XCTAssertEqual(opened.payload.withUnsafeBytes { Array($0) }, Array("a payload".utf8))
            XCTAssertEqual(try sealer().open(record(blob)).withUnsafeBytes { Array($0) }, Array("a payload".utf8),
                           "a reader that knows no origin opens the record as before")
        }
    }

    func testRecordsWithoutAnOriginNameNone() throws {
        let stamp = VersionStamp(machine: Array(repeating: 0xB0, count: 16), count: 9, time: 1)
        let payload = SecretBytes(copying: Array("old".utf8))
        for blob in [try sealer().seal(payload, name: recordName, version: 1, sizeClass: .small),
                     try sealer().stamping(stamp).seal(payload, name: recordName, version: 1, sizeClass: .small)] {
            XCTAssertNil(try sealer().openMarked(record(blob)).origin)
        }
        // Without a stamp no origin is written (it sits before the stamp).
        let origin = ConflictOrigin(item: .task(1), machine: [1], commit: 1, time: 1)
        let unstamped = try sealer().marking(origin).seal(payload, name: recordName, version: 1, sizeClass: .small)
        XCTAssertNil(try sealer().openMarked(record(unstamped)).origin)
    }

    /// The largest valid card (recipient and description at their limits, a sealed-under id)
    /// keeps room for the origin and the stamp.
    func testTheLargestCardHasRoomForAnOrigin() throws {
        let card = RecordPayload.Card(id: ItemID(bytes: Array(repeating: 1, count: 16)), created: 1, modified: 2,
                                      recipient: SecretBytes(copying: Array(repeating: 0x61, count: FieldLimit.cardRecipient.maxBytes)),
                                      salt: Array(repeating: 2, count: 16), kdf: ScryptParameters(logN: 10, r: 8, p: 1),
                                      sealedDescription: Array(repeating: 3, count: 12 + FieldLimit.cardDescription.maxBytes + 16),
                                      sealedUnder: ItemID(bytes: Array(repeating: 4, count: 16)))
        let payload = try card.encoded()
        XCTAssertEqual(payload.count, 8_346)
        let stamp = VersionStamp(machine: Array(repeating: 0xB0, count: 16), count: 9, time: 1)
        let origin = ConflictOrigin(item: .card(ItemID(bytes: Array(repeating: 4, count: 16))), machine: [9], commit: 3, time: 4)
        let blob = try sealer().stamping(stamp).marking(origin).seal(payload, name: recordName, version: 1, sizeClass: .large)
        XCTAssertEqual(try sealer().openMarked(record(blob)).origin, origin)
    }
}
