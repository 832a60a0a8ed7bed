@testable import OnionsCore
import OnionsCrypto
import XCTest

/// The manifest binds what each record holds (its digest), keeps deleted records listed, is
/// written in parts so a save costs the same at any size, and still reads format 1.
final class ManifestBindingTests: VaultTestCase {
    // MARK: Content

    /// The issue's attack: add a task, keep its blob, delete it, erase the tombstone, add another
    /// task (same name), put the kept blob back. The new task's records are at the counter of the
    /// save that added it, above the kept one's, so the kept blob is an older version.
    func testATaskReplayedAfterAHiddenDeleteIsReportedByName() throws {
        let session = try signUp()
        let first = try session.addTask(secret("pay rent to Eve"))
        let name = session.keys.name(.task(first))
        let kept = try XCTUnwrap(try store.record(vault: session.vault, name: name))
        try session.deleteTask(first)
        session.lock()
        store.erase(vault: session.vault, name: name)

        let again = try logIn()
        XCTAssertEqual(try again.addTask(secret("call mom")), first, "the same number")
        XCTAssertGreaterThan(try XCTUnwrap(try store.record(vault: session.vault, name: name)?.version), kept.version)
        again.lock()
        store.contents.records[session.vault]?[name] = kept

        let replayed = try logIn()
        XCTAssertEqual(replayed.issues.map(\.kind), [.older], "\(replayed.issues)")
        XCTAssertEqual(replayed.issues.first?.label, "task 'call mom'")
        XCTAssertTrue(replayed.tasks.isEmpty, "the replayed text is not shown")
    }

    func testAnInfoReplayedAtItsVersionIsRefusedWhenOpened() throws {
        let session = try signUp()
        let id = try saveOnion(session, title: "Groceries", info: "milk")
        let name = session.keys.name(.onionInfo(id))
        let first = try XCTUnwrap(try store.record(vault: session.vault, name: name))
        try saveOnion(session, id: id, title: "Groceries", info: "eggs")
        session.lock()
        // The store hands out the first info again, re-numbered: it does not open at another
        // version, so it is damaged; an authentic copy at the listed version is replaced.
        let current = try XCTUnwrap(try store.record(vault: session.vault, name: name))
        let keyHolder = try logIn()
        let sealer = keyHolder.sealer
        let payload = try sealer.open(first)
        let resealed = try sealer.seal(payload, name: name, version: current.version, sizeClass: .large)
        store.tamper(vault: session.vault, name: name) {
            $0 = StoredRecord(name: name, version: $0.version, blob: resealed, deleted: false, sequence: $0.sequence)
        }
        keyHolder.lock()
        let reopened = try logIn()
        assertDamaged(naming: "Groceries") { try reopened.info(of: id) }
        XCTAssertEqual(reopened.issues.map(\.kind), [.replaced])
    }

    func testTheManifestCarriesTheTimeOfTheLastChange() throws {
        let session = try signUp()
        let before = nowMilliseconds()
        try saveOnion(session, title: "Groceries")
        let after = nowMilliseconds()
        session.lock()
        let reopened = try logIn()
        XCTAssertTrue((before...after).contains(reopened.lastChanged), "\(reopened.lastChanged)")
        XCTAssertEqual(reopened.vaultCounter, 2, "sign-up and one save")
    }

    // MARK: Size

    /// A vault of `count` onions written in one batch (cheap), then opened again through a
    /// counting store.
    private func vault(of count: Int) throws -> (Session, WriteCountingStore) {
        let session = try signUp()
        try writeOnions(session, count: count, info: "info")
        session.lock()
        let counting = WriteCountingStore(store)
        let reopened = try logIn(in: counting)
        XCTAssertEqual(reopened.onions.count, count)
        XCTAssertTrue(reopened.issues.isEmpty, "\(reopened.issues)")
        return (reopened, counting)
    }

    func testOneSaveWritesTheSameBoundedBytesAtAHundredAndTenThousandOnions() throws {
        var figures: [Int: (writes: Int, bytes: Int)] = [:]
        for count in [100, 10_000] {
            let (session, counting) = try vault(of: count)
            counting.reset()
            try saveOnion(session, title: "one more", info: "a line")
            figures[count] = (counting.writes, counting.bytes)
            session.lock()
            store = MemoryStore()
        }
        // The shape of every save (title, info, a small filler, two filler tombstones, the two
        // parts its counter names, the root, and the head record holding the save's commit):
        // under 96 KiB whatever the size.
        for (count, figure) in figures {
            XCTAssertEqual(figure.writes, 9, "\(count) onions")
            XCTAssertLessThanOrEqual(figure.bytes, 96 * 1_024, "\(count) onions")
        }
        // Independent of the vault's size but for the padding steps of the two parts a save
        // writes (FORMAT.md section 8), 4 KiB each at 100 onions, at most 16 KiB below 40,000,
        // and of the root, which follows the part count: 8 KiB at 16 parts, 48 KiB at 256.
        let grown = try XCTUnwrap(figures[10_000]?.bytes) - XCTUnwrap(figures[100]?.bytes)
        XCTAssertTrue((0...(2 * (16_384 - 4_096) + 49_152 - 8_192)).contains(grown), "\(grown) bytes more at 10,000 onions")
    }

    // MARK: Format 1

    /// Rewrites the vault's manifest as format 1 wrote it: one record, no digests, no parts.
    private func makeFormatOne(_ session: Session) throws {
        let m = session.manifest
        let keyed = m.entries.map { (text: $0.key.text, entry: $0.value) }.sorted { $0.text < $1.text }
        let w = PayloadWriter(capacity: 1 << 16)
        try w.u8(RecordKind.manifest.rawValue)
        try w.u64(m.counter)
        try w.u32(UInt32(keyed.count))
        for (text, entry) in keyed {
            try w.bytes(Array(text.utf8))
            try w.u64(entry.version)
            try session.texts.withBytes(entry.label) { try w.bytes($0) }
        }
        let root = session.keys.name(.manifest)
        let blob = try session.sealer.seal(w.buffer, name: root, version: session.manifestVersion, sizeClass: .manifest)
        store.tamper(vault: session.vault, name: root) {
            $0 = StoredRecord(name: root, version: $0.version, blob: blob, deleted: false, sequence: $0.sequence)
        }
        for name in session.manifestPartNames { store.erase(vault: session.vault, name: name) }
    }

    func testAFormatOneVaultOpensAndIsWrittenInPartsAtItsFirstSave() throws {
        let session = try signUp()
        let groceries = try saveOnion(session, title: "Groceries", info: "milk")
        try session.addTask(secret("buy milk"))
        try makeFormatOne(session)
        session.lock()

        let old = try logIn()
        XCTAssertTrue(old.manifest.isLegacy)
        XCTAssertTrue(old.issues.isEmpty, "\(old.issues)")
        XCTAssertEqual(titles(old), ["Groceries"])
        XCTAssertEqual(taskTexts(old), [0: "buy milk"])
        XCTAssertEqual(text(try old.info(of: groceries)), "milk")
        try saveOnion(old, title: "Garden", info: "roses")
        old.lock()

        let migrated = try logIn()
        XCTAssertFalse(migrated.manifest.isLegacy)
        XCTAssertTrue(migrated.issues.isEmpty, "\(migrated.issues)")
        XCTAssertEqual(titles(migrated), ["Garden", "Groceries"])
        XCTAssertEqual(text(try migrated.info(of: groceries)), "milk")
        for (key, entry) in migrated.manifest.entries {
            let record = try XCTUnwrap(try store.record(vault: migrated.vault, name: migrated.keys.name(key)))
            XCTAssertEqual(entry.digest, RecordDigest(blob: record.blob), "\(key.text) is bound to what the store held")
        }
    }
}
