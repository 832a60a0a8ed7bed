@testable import OnionsCore
import OnionsCrypto
import XCTest

/// The manifest's parts are written on the counter's schedule and the root journals what they
/// do not list yet (FORMAT.md section 8): which parts a save writes follows its counter alone,
/// and what a reader finds is what the writer held.
final class ManifestJournalTests: VaultTestCase {
    /// Every key with its version, digest and label text, and every tombstone.
    private func listing(_ m: Manifest, labels: SecretTable) -> [String] {
        var lines = m.entries.map { key, entry in
            "\(key.text) \(entry.version) \(entry.digest.map { Hex.encode($0.bytes) } ?? "-") \(labels.string(entry.label))"
        }
        lines += m.tombstones.map { "\($0.key.text) deleted \($0.value)" }
        return lines.sorted()
    }

    /// The store's manifest of `session`'s vault, read whole (or with `known`).
    private func stored(_ session: Session, known: Manifest.Known? = nil, labels: SecretTable) throws -> Manifest {
        let root = try store.record(vault: session.vault, name: session.keys.name(.manifest))
        let found = try Manifest.read(root: root, sealer: session.sealer, labels: labels, known: known) {
            try self.store.records(vault: session.vault, names: $0)
        }
        guard case .found(let manifest, _) = found else {
            XCTFail("the manifest did not read")
            throw VaultError.malformed
        }
        return manifest
    }

    /// A run of saves of every kind, many more than the parts (so the schedule wraps and the
    /// journal fills and empties): each writes exactly the parts its counter names and a root of
    /// one length (with long titles in the journal; at 16 parts the journal of a run of saves
    /// stays within one padding step even without `rootFloor`, which the next test shows at 64),
    /// and the store's manifest, read back after each, lists what the session holds.
    func testEverySaveWritesThePartsItsCounterNamesAndTheStoreReadsBackTheSessionsManifest() throws {
        let counting = WriteCountingStore(store)
        let session = try signUp(in: counting)
        defer { session.lock() }
        let partNames = Manifest.partNames(session.keys)
        var onions: [ItemID] = []
        var tasks: [UInt16] = []
        var generator = SystemRandomNumberGenerator()
        var journalSeen = 0
        var rootLengths = Set<Int>()
        let root = session.keys.name(.manifest)
        let long = String(repeating: "\u{1F44D}", count: 27)
        for step in 0..<(3 * session.manifest.partCount + 7) {
            counting.reset()
            switch (step % 7, onions.count, tasks.count) {
            case (0, _, _), (1, 0, _): onions.append(try saveOnion(session, title: "\(long)\(step)", info: "info \(step)"))
            case (1, _, _): _ = try saveOnion(session, id: onions.randomElement(using: &generator)!, title: "\(step)\(long)", info: "x")
            case (2, _, _) where onions.count > 2: try session.deleteOnion(onions.removeFirst())
            case (3, _, _): tasks.append(try session.addTask(secret("task \(step)")))
            case (4, _, let n) where n > 0: try session.setTask(tasks.randomElement(using: &generator)!, done: true)
            case (5, _, let n) where n > 1: try session.deleteTask(tasks.removeFirst())
            default: try session.setListOrder(step % 2 == 0 ? .title : .created)
            }
            XCTAssertEqual(counting.batches.count, 1, "step \(step)")
            let written = Set(counting.batches.joined().compactMap { partNames.firstIndex(of: $0.name) })
            XCTAssertEqual(written, SaveShape.scheduledParts(counter: session.manifest.counter,
                                                             partCount: session.manifest.partCount), "step \(step)")
            XCTAssertLessThanOrEqual(session.manifest.dirty.count, session.manifest.journalLimit)
            rootLengths.formUnion(counting.batches.joined().filter { $0.name == root }.map(\.blob.count))
            journalSeen = max(journalSeen, session.manifest.dirty.count)
            let labels = SecretTable()
            XCTAssertEqual(listing(try stored(session, labels: labels), labels: labels),
                           listing(session.manifest, labels: session.texts), "step \(step)")
        }
        XCTAssertGreaterThan(journalSeen, 3, "the journal was never used")
        XCTAssertEqual(rootLengths.count, 1, "the root's length follows its journal: \(rootLengths.sorted())")

        session.lock()
        let reopened = try logIn(in: counting)
        defer { reopened.lock() }
        XCTAssertTrue(reopened.issues.isEmpty, "\(reopened.issues)")
        XCTAssertEqual(reopened.onions.count, onions.count)
        XCTAssertEqual(reopened.manifest.partCount, 16, "the control: one part count throughout")
    }

    /// In a vault of 64 parts, whose journal holds a few dozen keys after a run of saves and
    /// none after a bulk write, the root has one length from the first save to the last: it is
    /// padded as if its journal were full (`Manifest.rootFloor`), even with long titles.
    func testTheRootHasOneLengthWhateverItsJournalHolds() throws {
        let writer = try signUp()
        let ids = try writeOnions(writer, count: 600, info: "info")
        writer.lock()
        let session = try logIn()
        defer { session.lock() }
        XCTAssertEqual(session.manifest.partCount, 64)
        XCTAssertTrue(session.manifest.dirty.isEmpty, "the control: a bulk write journals nothing")
        let root = session.keys.name(.manifest)
        var lengths: [Int] = []
        var journal: [Int] = []
        let long = String(repeating: "\u{1F44D}", count: 27)
        for step in 0..<(2 * 64) {
            let before = try store.apply(vault: session.vault, writes: [])
            try saveOnion(session, id: ids[step], title: "\(long)\(step)", info: "edited")
            lengths += try store.changes(vault: session.vault, since: before).filter { $0.name == root }.map(\.blob.count)
            journal.append(session.manifest.dirty.count)
        }
        XCTAssertGreaterThan(journal.max() ?? 0, 30, "the control: the journal filled")
        XCTAssertEqual(Set(lengths).count, 1, "root lengths \(Set(lengths).sorted()) for journals of \(Set(journal).sorted())")
    }

    /// A known manifest lends a part only where its state is that part's: a key it journals
    /// (changed since the part was written) is read from the store, not taken from it.
    func testAKnownManifestDoesNotLendAPartWhoseKeyItJournals() throws {
        let session = try signUp()
        defer { session.lock() }
        let id = try saveOnion(session, title: "Kept", info: "as the store has it")
        for n in 0..<(session.manifest.partCount) { try saveOnion(session, title: "Filler \(n)", info: "") }
        let key = LogicalKey.onionTitle(id)
        XCTAssertFalse(session.manifest.dirty.contains(key), "the schedule wrote the key's part by now")
        var known = session.manifest
        known.set(key, Manifest.Entry(version: 99, label: session.texts.add(secret("Not so")), digest: nil))
        let labels = SecretTable()
        let read = try stored(session, known: Manifest.Known(manifest: known, labels: session.texts), labels: labels)
        XCTAssertEqual(read.entries[key]?.version, session.manifest.entries[key]?.version)
        XCTAssertEqual(listing(read, labels: labels), listing(session.manifest, labels: session.texts))
    }

    /// A manifest whose root journals labels but one of whose parts the store altered reads as
    /// damaged and leaves none of the journal's labels behind; so does a fetch that fails.
    func testAManifestThatDoesNotReadLeavesNoLabelOfItsJournal() throws {
        let session = try signUp()
        defer { session.lock() }
        try saveOnion(session, title: "Journalled", info: "x")
        XCTAssertTrue(session.manifest.dirty.contains { session.manifest.entries[$0].map { session.texts.string($0.label) } == "Journalled" },
                      "the control: the root journals the onion")
        let root = try store.record(vault: session.vault, name: session.keys.name(.manifest))
        for failure in ["altered part", "failed fetch"] {
            let labels = SecretTable()
            let found = try? Manifest.read(root: root, sealer: session.sealer, labels: labels) { names in
                if failure == "failed fetch" { throw StoreError.unavailable("test") }
                return try self.store.records(vault: session.vault, names: names).map { record in
                    var blob = record.blob
                    blob[blob.count - 1] ^= 1
                    return StoredRecord(name: record.name, version: record.version, blob: blob, deleted: false,
                                        sequence: record.sequence)
                }
            }
            if case .found? = found { XCTFail("\(failure): read") }
            XCTAssertTrue(held(labels).isEmpty, "\(failure): labels left behind: \(held(labels))")
        }
    }

    /// The labels `table` still holds (removed handles hold nothing).
    private func held(_ table: SecretTable) -> [String] {
        (0..<table.withAllBytes { $0.handleCount }).filter { table.count($0) > 0 }.map { table.string($0) }
    }

    /// A root's journal is refused (as a manifest that does not open) when it lists nothing, a
    /// key twice, a manifest key, an unknown state or an unlisted key with a version.
    func testAJournalThatDoesNotParseIsRefused() throws {
        let labels = SecretTable()
        func root(_ journal: [(String, UInt64, UInt8)], count: UInt32? = nil) -> SecretBytes {
            var bytes: [UInt8] = [13] + [UInt8](repeating: 0, count: 16) + [0, 16] + [UInt8](repeating: 0, count: 16 * 24)
            let n = count ?? UInt32(journal.count)
            bytes += [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]
            for (text, version, state) in journal {
                let utf8 = Array(text.utf8)
                bytes += [UInt8(utf8.count >> 8), UInt8(utf8.count & 0xff)] + utf8
                bytes += (0..<8).map { UInt8(version >> (56 - 8 * UInt64($0)) & 0xff) }
                bytes.append(state)
                if state == 1 { bytes += [UInt8](repeating: 7, count: 16) + [0, 5] + Array("label".utf8) }
            }
            return SecretBytes(copying: bytes)
        }
        let accepted = try Manifest.decode(root([("task_3", 2, 0), ("task_4", 0, 2), ("task_5", 4, 1)]), labels: SecretTable())
        XCTAssertEqual(accepted.tombstones[.task(3)], 2)
        XCTAssertEqual(accepted.entries[.task(5)]?.version, 4)
        XCTAssertEqual(accepted.dirty, [.task(3), .task(4), .task(5)])
        for (what, payload) in [
            ("empty", root([])),
            ("twice", root([("task_3", 2, 0), ("task_3", 3, 0)])),
            ("twice, live", root([("task_3", 2, 1), ("task_3", 3, 1)])),
            ("live, then not a key", root([("task_3", 2, 1), ("task_4", 1, 1), ("task_x", 2, 0)])),
            ("manifest key", root([("manifest/01", 2, 0)])),
            ("state 3", root([("task_3", 2, 3)])),
            ("unlisted with a version", root([("task_3", 2, 2)])),
            ("count beyond the bytes", root([("task_3", 2, 0)], count: 40)),
            ("not a key", root([("task_x", 2, 0)])),
        ] {
            XCTAssertThrowsError(try Manifest.decode(payload, labels: labels), what)
            payload.wipe()
        }
        XCTAssertTrue(held(labels).isEmpty, "a refused journal leaves no label behind: \(held(labels))")
    }
}
