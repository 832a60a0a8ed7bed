@testable import OnionsCore
import OnionsCrypto
import XCTest

/// Every payload kind written and read back by the one codec; a payload longer than its layout
/// is refused, except for the card's optional trailing id.
final class RecordPayloadTests: XCTestCase {
    let id = ItemID(bytes: Array(repeating: 0xab, count: 16))
    let other = ItemID(bytes: Array(repeating: 0x5c, count: 16))

    func secret(_ text: String) -> SecretBytes { SecretBytes(copying: Array(text.utf8)) }
    func text(_ secret: SecretBytes) -> String { secret.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }

    /// The payload with `extra` appended.
    func longer(_ payload: SecretBytes, by extra: [UInt8] = [0]) -> SecretBytes {
        let copy = SecretBytes(count: 0, capacity: payload.count + extra.count)
        XCTAssertTrue(copy.append(payload))
        XCTAssertTrue(extra.withUnsafeBytes { copy.append($0) })
        return copy
    }

    func assertMalformed<T>(_ body: @autoclosure () throws -> T, _ what: String, line: UInt = #line) {
        XCTAssertThrowsError(try body(), what, line: line) { error in
            guard case VaultError.malformed = error else { return XCTFail("\(what): \(error)", line: line) }
        }
    }

    // MARK: Readers, as session and sync call them

    func onionTitle(_ p: SecretBytes) throws -> RecordPayload.OnionTitle<SecretBytes> {
        try RecordPayload.read(p) { try RecordPayload.OnionTitle.read(&$0, text: RecordPayload.copy) }
    }

    func onionInfo(_ p: SecretBytes) throws -> RecordPayload.OnionInfo {
        try RecordPayload.read(p) { try RecordPayload.OnionInfo.read(&$0) }
    }

    func card(_ p: SecretBytes) throws -> RecordPayload.Card<SecretBytes> {
        try RecordPayload.read(p) { try RecordPayload.Card.read(&$0, text: RecordPayload.copy) }
    }

    func task(_ p: SecretBytes) throws -> RecordPayload.Task<SecretBytes> {
        try RecordPayload.read(p) { try RecordPayload.Task.read(&$0, text: RecordPayload.copy) }
    }

    func taskCounter(_ p: SecretBytes) throws -> UInt16 {
        try RecordPayload.read(p) { try RecordPayload.readTaskCounter(&$0) }
    }

    func draft(_ p: SecretBytes) throws -> RecordPayload.Draft {
        try RecordPayload.read(p) { try RecordPayload.Draft.read(&$0) }
    }

    func settings(_ p: SecretBytes) throws -> RecordPayload.Settings {
        try RecordPayload.read(p) { try RecordPayload.Settings.read(&$0) }
    }

    // MARK: Payloads of every kind

    func onionTitlePayload() throws -> SecretBytes {
        try RecordPayload.OnionTitle(id: id, created: 1_700_000_000_000, modified: 1_700_000_000_123,
                                     title: secret("Groceries")).encoded()
    }

    func onionInfoPayload() throws -> SecretBytes {
        try RecordPayload.OnionInfo(id: id, info: secret("milk\neggs")).encoded()
    }

    func cardPayload(sealedUnder: ItemID? = nil) throws -> SecretBytes {
        try RecordPayload.Card(id: id, created: 5, modified: 6, recipient: secret("Mum"),
                               salt: Array(repeating: 7, count: 16), kdf: ScryptParameters(logN: 15, r: 8, p: 1),
                               sealedDescription: [1, 2, 3, 4], sealedUnder: sealedUnder ?? id).encoded()
    }

    func taskPayload() throws -> SecretBytes {
        try RecordPayload.Task(id: 42, done: true, text: secret("buy milk")).encoded()
    }

    func draftPayload(target: ItemID?) throws -> SecretBytes {
        try RecordPayload.Draft(target: target, title: secret("Half"), info: secret("written")).encoded()
    }

    func settingsPayload() throws -> SecretBytes {
        try RecordPayload.Settings(values: [2: secret("b"), 1: secret("title")]).encoded()
    }

    // MARK: Round trips

    func testAnOnionTitleRoundTrips() throws {
        let t = try onionTitle(try onionTitlePayload())
        XCTAssertEqual(t.id, id)
        XCTAssertEqual(t.created, 1_700_000_000_000)
        XCTAssertEqual(t.modified, 1_700_000_000_123)
        XCTAssertEqual(text(t.title), "Groceries")
    }

    func testAnOnionTitleKeepsItsFolderAndATitleWithoutOneIsInNoFolder() throws {
        let payload = try RecordPayload.OnionTitle(id: id, created: 1, modified: 2, title: secret("GitHub"),
                                                   folder: secret("web/github.com")).encoded()
        let t = try onionTitle(payload)
        XCTAssertEqual(text(t.title), "GitHub")
        XCTAssertEqual(t.folder.map(text), "web/github.com")
        // A payload written before folders (no trailing field) reads as no folder.
        XCTAssertNil(try onionTitle(try onionTitlePayload()).folder)
        // An empty folder is not written at all: the payload is the one without a folder.
        let empty = try RecordPayload.OnionTitle(id: id, created: 1_700_000_000_000, modified: 1_700_000_000_123,
                                                 title: secret("Groceries"), folder: secret("")).encoded()
        XCTAssertEqual(empty.count, try onionTitlePayload().count)
        XCTAssertNil(try onionTitle(empty).folder)
    }

    func testAnOnionTitleRefusesAnEmptyFolderFieldAndBytesAfterTheFolder() throws {
        assertMalformed(try onionTitle(longer(try onionTitlePayload(), by: [0, 0])), "an empty folder field")
        let withFolder = try RecordPayload.OnionTitle(id: id, created: 1, modified: 2, title: secret("t"),
                                                      folder: secret("a/b")).encoded()
        assertMalformed(try onionTitle(longer(withFolder)), "a byte after the folder")
        assertMalformed(try onionTitle(longer(try onionTitlePayload(), by: [0, 9, 0x61])), "a folder cut short")
    }

    func testTheLargestTitleWithTheLargestFolderFitsTheSmallClass() throws {
        let title = secret(String(repeating: "👍🏽", count: 30))  // 240 bytes
        let folder = secret(String(repeating: "😀", count: 200))  // 800 bytes
        XCTAssertNoThrow(try FieldLimit.onionTitle.check(title))
        XCTAssertNoThrow(try FieldLimit.onionFolder.check(folder))
        XCTAssertThrowsError(try FieldLimit.onionFolder.check(secret(String(repeating: "x", count: 201))))
        let payload = try RecordPayload.OnionTitle(id: id, created: 1, modified: 2, title: title, folder: folder).encoded()
        XCTAssertEqual(SizeClass.small.paddedSize(for: payload.count), 1_280)
    }

    func testAnOnionInfoRoundTrips() throws {
        let i = try onionInfo(try onionInfoPayload())
        XCTAssertEqual(i.id, id)
        XCTAssertEqual(text(i.info), "milk\neggs")
    }

    func testACardRoundTripsWithoutTheTrailingIdWhenSealedUnderItsOwn() throws {
        let payload = try cardPayload()
        let c = try card(payload)
        XCTAssertEqual(c.id, id)
        XCTAssertEqual(c.sealedUnder, id)
        XCTAssertEqual([c.created, c.modified], [5, 6])
        XCTAssertEqual(text(c.recipient), "Mum")
        XCTAssertEqual(c.salt, Array(repeating: 7, count: 16))
        XCTAssertEqual(c.kdf, ScryptParameters(logN: 15, r: 8, p: 1))
        XCTAssertEqual(c.sealedDescription, [1, 2, 3, 4])
        XCTAssertEqual(try cardPayload(sealedUnder: other).count, payload.count + 16, "the id is written only when it differs")
    }

    func testAConflictCopyOfACardKeepsTheIdItsDescriptionWasSealedUnder() throws {
        let c = try card(try cardPayload(sealedUnder: other))
        XCTAssertEqual(c.id, id)
        XCTAssertEqual(c.sealedUnder, other)
    }

    func testATaskRoundTrips() throws {
        let t = try task(try taskPayload())
        XCTAssertEqual(t.id, 42)
        XCTAssertTrue(t.done)
        XCTAssertEqual(text(t.text), "buy milk")
    }

    func testTheTaskCounterRoundTrips() throws {
        XCTAssertEqual(try taskCounter(try RecordPayload.taskCounter(9)), 9)
    }

    func testADraftRoundTripsWithAndWithoutATarget() throws {
        let d = try draft(try draftPayload(target: id))
        XCTAssertEqual(d.target, id)
        XCTAssertEqual([text(d.title), text(d.info)], ["Half", "written"])
        XCTAssertNil(try draft(try draftPayload(target: nil)).target)
    }

    func testSettingsRoundTripInTagOrder() throws {
        let s = try settings(try settingsPayload())
        XCTAssertEqual(s.values.keys.sorted(), [1, 2])
        XCTAssertEqual(s.values[1].map(text), "title")
        XCTAssertEqual(s.values[2].map(text), "b")
        XCTAssertEqual(try settings(try RecordPayload.Settings().encoded()).values.count, 0)
    }

    func testSettingsWithATagTwiceOrOutOfOrderAreRefused() throws {
        // 8 | n=2 | tag 1 "a" | tag 1 "b"
        let twice = SecretBytes(copying: [8, 0, 2, 0, 1, 0, 1, 0x61, 0, 1, 0, 1, 0x62])
        assertMalformed(try settings(twice), "a tag twice")
        let backwards = SecretBytes(copying: [8, 0, 2, 0, 2, 0, 1, 0x61, 0, 1, 0, 1, 0x62])
        assertMalformed(try settings(backwards), "tags out of order")
    }

    func testAManifestRoundTripsThroughItsRootAndParts() throws {
        let labels = SecretTable()
        var m = Manifest()
        m.counter = 12
        m.changed = 1_763_647_320_000
        let digest = RecordDigest(bytes: Array(1...16))
        m.set(.onionTitle(id), Manifest.Entry(version: 3, label: labels.add(secret("Groceries")), digest: digest))
        m.set(.taskCounter, Manifest.Entry(version: 1, label: labels.add(secret("")), digest: digest))
        m.setDeleted(.task(0), version: 2)
        m.parts[5] = Manifest.Part(version: 9, digest: digest)
        m.clearJournal()  // what the parts list, below; the journal has a test of its own
        var back = try Manifest.decode(try m.encodeRoot(labels: labels), labels: labels)
        XCTAssertEqual(back.counter, 12)
        XCTAssertEqual(back.changed, 1_763_647_320_000)
        XCTAssertEqual(back.parts, m.parts)
        for index in m.usedParts { try back.decodePart(try m.encodePart(index, labels: labels), index: index, labels: labels) }
        XCTAssertEqual(Set(back.entries.keys), [.onionTitle(id), .taskCounter])
        XCTAssertEqual(back.tombstones, [.task(0): 2], "a deleted record stays listed")
        XCTAssertEqual(back.entries[.onionTitle(id)]?.version, 3)
        XCTAssertEqual(back.entries[.onionTitle(id)]?.digest, digest)
        XCTAssertEqual(back.entries[.onionTitle(id)].map { labels.string($0.label) }, "Groceries")
    }

    func testAManifestPartRefusesAKeyOfAnotherPart() throws {
        let labels = SecretTable()
        var m = Manifest()
        m.set(.task(1), Manifest.Entry(version: 1, label: labels.add(secret("x")), digest: RecordDigest(bytes: Array(1...16))))
        let part = try m.encodePart(1, labels: labels)
        var other = Manifest()
        assertMalformed(try other.decodePart(part, index: 2, labels: labels), "a part read under another index")
    }

    func testAManifestPartRefusesAKeyListedTwice() throws {
        let labels = SecretTable()
        let digest = RecordDigest(bytes: Array(1...16))
        /// The bytes part 3 gives one key (after its kind, index and count).
        func listing(_ key: LogicalKey, live: Bool) throws -> [UInt8] {
            var m = Manifest()
            if live { m.set(key, Manifest.Entry(version: 2, label: labels.add(secret("x")), digest: digest)) }
            else { m.setDeleted(key, version: 4) }
            return try m.encodePart(3, labels: labels).withUnsafeBytes { Array($0.dropFirst(6)) }
        }
        func part(_ listings: [[UInt8]]) -> SecretBytes {
            let n = UInt32(listings.count)
            let head: [UInt8] = [RecordKind.manifestPart.rawValue, 3, UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]
            return SecretBytes(copying: head + listings.flatMap { $0 })
        }
        let live = try listing(.task(3), live: true), dead = try listing(.task(3), live: false)
        for (listings, what) in [([live, live], "live twice"), ([dead, dead], "deleted twice"),
                                 ([live, dead], "live, then deleted"), ([dead, live], "deleted, then live")] {
            var back = Manifest()
            assertMalformed(try back.decodePart(part(listings), index: 3, labels: labels), what)
        }
        // Two keys of the same part, one live and one deleted, are read.
        var back = Manifest()
        try back.decodePart(part([live, try listing(.task(19), live: false)]), index: 3, labels: labels)
        XCTAssertEqual(Set(back.entries.keys), [.task(3)])
        XCTAssertEqual(back.tombstones, [.task(19): 4])
    }

    // MARK: Over-long payloads

    func testEveryKindRefusesLeftoverBytes() throws {
        assertMalformed(try onionTitle(longer(try onionTitlePayload())), "onion title")
        assertMalformed(try onionInfo(longer(try onionInfoPayload())), "onion info")
        assertMalformed(try task(longer(try taskPayload())), "task")
        assertMalformed(try taskCounter(longer(try RecordPayload.taskCounter(3))), "task counter")
        assertMalformed(try draft(longer(try draftPayload(target: id))), "draft")
        assertMalformed(try settings(longer(try settingsPayload())), "settings")
        let labels = SecretTable()
        let root = try Manifest().encodeRoot(labels: labels)
        assertMalformed(try Manifest.decode(longer(root), labels: labels), "manifest root")
        var m = Manifest()
        m.set(.task(3), Manifest.Entry(version: 1, label: labels.add(secret("x")), digest: RecordDigest(bytes: Array(1...16))))
        var back = Manifest()
        assertMalformed(try back.decodePart(longer(try m.encodePart(3, labels: labels)), index: 3, labels: labels),
                        "manifest part")
    }

    func testACardRefusesAnythingButSixteenTrailingBytes() throws {
        assertMalformed(try card(longer(try cardPayload())), "one byte")
        assertMalformed(try card(longer(try cardPayload(), by: Array(repeating: 1, count: 15))), "15 bytes")
        assertMalformed(try card(longer(try cardPayload(sealedUnder: other))), "17 bytes")
        XCTAssertEqual(try card(longer(try cardPayload(), by: other.bytes)).sealedUnder, other, "16 bytes are the id")
    }

    func testAReaderRefusesAnotherKind() throws {
        assertMalformed(try task(try onionTitlePayload()), "a title read as a task")
        assertMalformed(try onionTitle(try RecordPayload.taskCounter(1)), "a counter read as a title")
    }

    func testAManifestRefusesAKeyThatDoesNotParse() throws {
        // 7 | counter 0 | n=1 | key "task_01" | version 1 | empty label
        let bytes: [UInt8] = [7] + Array(repeating: 0, count: 8) + [0, 0, 0, 1, 0, 7] + Array("task_01".utf8)
            + Array(repeating: 0, count: 7) + [1, 0, 0]
        assertMalformed(try Manifest.decode(SecretBytes(copying: bytes), labels: SecretTable()), "task_01")
        var good = bytes
        good.replaceSubrange(15..<22, with: Array("task_10".utf8))
        XCTAssertEqual(Set(try Manifest.decode(SecretBytes(copying: good), labels: SecretTable()).entries.keys), [.task(10)])
    }
}
