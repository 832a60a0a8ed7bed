@testable import OnionsCore
import OnionsCrypto
import XCTest

/// Reading a manifest with one already opened (`Manifest.Known`): the parts it holds at the same
/// version and digest are taken from it, only the others are fetched and opened, and the result
/// is the manifest a full read gives.
final class ManifestReuseTests: VaultTestCase {
    private struct Read {
        var manifest: Manifest
        var labels: SecretTable
        var fetched: Set<RecordName>
    }

    /// Reads the store's manifest of `session`'s vault, with `known` when given; fails unless found.
    private func read(_ session: Session, known: Manifest.Known? = nil, into labels: SecretTable = SecretTable()) throws -> Read {
        let root = try store.record(vault: session.vault, name: session.keys.name(.manifest))
        var fetched: Set<RecordName> = []
        let found = try Manifest.read(root: root, sealer: session.sealer, labels: labels, known: known) { names in
            fetched.formUnion(names)
            return try self.store.records(vault: session.vault, names: names)
        }
        guard case .found(let manifest, _) = found else {
            XCTFail("the manifest did not read")
            throw VaultError.malformed
        }
        return Read(manifest: manifest, labels: labels, fetched: fetched)
    }

    /// Every key with its version, digest and label text, and every tombstone.
    private func listing(_ read: Read) -> [String] {
        var lines = read.manifest.entries.map { key, entry in
            "\(key.text) \(entry.version) \(entry.digest.map { Hex.encode($0.bytes) } ?? "-") \(read.labels.string(entry.label))"
        }
        lines += read.manifest.tombstones.map { "\($0.key.text) deleted \($0.value)" }
        lines += read.manifest.parts.enumerated().map { "part \($0.offset) \($0.element.version)" }
        return lines.sorted()
    }

    /// The names of the parts holding a key `m`'s root journals.
    private func journalledPartNames(_ session: Session, _ m: Manifest) -> Set<RecordName> {
        Set(m.journalledParts.map { session.keys.name(.manifestPart(UInt8($0))) })
    }

    @discardableResult
    private func fill(_ session: Session, onions: Int) throws -> [ItemID] {
        try (0..<onions).map { try saveOnion(session, title: "Onion \($0)", info: "info \($0)") }
    }

    func testAKnownManifestThatHoldsEveryPartFetchesNoneAndReadsTheSame() throws {
        let session = try signUp()
        defer { session.lock() }
        let ids = try fill(session, onions: 40)
        _ = try session.deleteOnion(ids[3])

        let full = try read(session)
        XCTAssertEqual(full.fetched.count, session.manifest.parts.filter { $0.version > 0 }.count,
                       "the full read opens every part")
        XCTAssertGreaterThan(full.fetched.count, 10)
        let reused = try read(session, known: Manifest.Known(manifest: session.manifest, labels: session.texts))
        // But for the parts whose keys the root journals: the known state of those is not theirs.
        XCTAssertEqual(reused.fetched, journalledPartNames(session, session.manifest),
                       "a part the known manifest holds was fetched again")
        XCTAssertLessThan(reused.fetched.count, full.fetched.count)
        XCTAssertEqual(listing(reused), listing(full))
        XCTAssertTrue(listing(full).contains { $0.contains("Onion 39") })
        XCTAssertTrue(listing(full).contains { $0.contains(" deleted ") })
    }

    func testOnlyThePartsAnotherSaveChangedAreFetched() throws {
        let session = try signUp()
        defer { session.lock() }
        try fill(session, onions: 40)
        let before = session.manifest
        let beforeLabels = SecretTable()
        // The known manifest with its labels in a table of its own (the session's changes with its saves).
        var known = Manifest(partCount: before.partCount)
        for index in 0..<before.partCount {
            known.takePart(index, from: Manifest.Known(manifest: before, labels: session.texts), labels: beforeLabels)
        }
        known.parts = before.parts
        known.counter = before.counter

        let other = try logIn(stateDirectory: stateDirectory + "-other")
        defer { other.lock() }
        try saveOnion(other, title: "From elsewhere", info: "new")
        let full = try read(session)
        let changedIndices = (0..<before.partCount).filter { full.manifest.parts[$0] != before.parts[$0] }
        let changed = Set(changedIndices.map { session.keys.name(.manifestPart(UInt8($0))) })
        XCTAssertFalse(changed.isEmpty)

        let reused = try read(session, known: Manifest.Known(manifest: known, labels: beforeLabels))
        XCTAssertEqual(reused.fetched, changed, "fetched other parts than the save changed")
        XCTAssertEqual(listing(reused), listing(full))
        XCTAssertTrue(listing(reused).contains { $0.contains("From elsewhere") })
    }

    func testAPartAtTheSameVersionWithAnotherDigestIsFetchedNotTaken() throws {
        let session = try signUp()
        defer { session.lock() }
        try fill(session, onions: 10)
        var known = session.manifest
        let index = try XCTUnwrap(known.usedParts.first { $0 != 0 })
        // Another machine's part at the same version (a conflicting save) has another tag.
        known.parts[index].digest = RecordDigest(bytes: [UInt8](repeating: 7, count: 16))

        let reused = try read(session, known: Manifest.Known(manifest: known, labels: session.texts))
        XCTAssertEqual(reused.fetched, journalledPartNames(session, known).union([session.keys.name(.manifestPart(UInt8(index)))]))
        XCTAssertEqual(listing(reused), listing(try read(session)))
    }

    func testLabelsInTheSameTableAreSharedNotCopied() throws {
        let session = try signUp()
        defer { session.lock() }
        try fill(session, onions: 30)
        let labels = SecretTable()
        let first = try read(session, into: labels)
        let handles = labels.withAllBytes { $0.handleCount }
        let second = try read(session, known: Manifest.Known(manifest: first.manifest, labels: labels), into: labels)
        // Only the parts fetched again (those whose keys the root journals) add labels.
        let journalled = first.manifest.keys(inParts: first.manifest.journalledParts).values.joined()
        let refetched = journalled.filter { first.manifest.entries[$0] != nil }.count
        XCTAssertEqual(labels.withAllBytes { $0.handleCount }, handles + refetched, "the labels were copied")
        XCTAssertEqual(listing(second), listing(first))
        labels.wipe()
    }
}
