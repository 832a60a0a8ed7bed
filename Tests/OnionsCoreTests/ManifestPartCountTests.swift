@testable import OnionsCore
import OnionsCrypto
import XCTest

/// The manifest's parts follow the vault's size (FORMAT.md section 8): 16 for a new vault,
/// doubled by the save that finds them listing more than 32 keys each on average, never more
/// than 256, never fewer again.
final class ManifestPartCountTests: VaultTestCase {
    func testThePartCountDoublesWithTheKeysListed() {
        XCTAssertEqual(Manifest.partCount(listing: 0), 16)
        XCTAssertEqual(Manifest.partCount(listing: 512), 16)
        XCTAssertEqual(Manifest.partCount(listing: 513), 32)
        XCTAssertEqual(Manifest.partCount(listing: 1_024), 32)
        XCTAssertEqual(Manifest.partCount(listing: 1_025), 64)
        XCTAssertEqual(Manifest.partCount(listing: 4_097), 256)
        XCTAssertEqual(Manifest.partCount(listing: 8_192), 256)
        XCTAssertEqual(Manifest.partCount(listing: 2_000_000), 256)
    }

    /// Each key lands in a part below the count, and its companion in the same one.
    func testEveryKeyFallsInAPartBelowTheCount() {
        for count in [16, 32, 64, 128, 256] {
            for _ in 0..<200 {
                let id = ItemID.random()
                for key in [LogicalKey.onionTitle(id), .onionInfo(id), .card(id), .cardHead(id)] {
                    XCTAssertLessThan(Manifest.part(of: key, partCount: count), count)
                }
                XCTAssertEqual(Manifest.part(of: .onionTitle(id), partCount: count), Manifest.part(of: .onionInfo(id), partCount: count))
            }
            for n in [UInt16(0), 15, 16, 255, 256, 65_535] {
                XCTAssertEqual(Manifest.part(of: .task(n), partCount: count), Int(n) % count)
            }
        }
    }

    func testARootCountingPartsOtherThanAPowerOfTwoFrom16To256IsRefused() throws {
        let labels = SecretTable()
        for count in [16, 32, 64, 128, 256] {
            let root = try Manifest(partCount: count).encodeRoot(labels: labels)
            defer { root.wipe() }
            XCTAssertEqual(try Manifest.decode(root, labels: labels).partCount, count)
        }
        // The count's field (after the kind, the counter and the time) says another number
        // while the root lists that many parts, or the 16 it holds.
        for count in [0, 1, 8, 24, 48, 255, 257, 512] {
            for listed in Set([count, 16]) {
                var bytes: [UInt8] = [RecordKind.manifestRoot.rawValue] + [UInt8](repeating: 0, count: 16)
                bytes += [UInt8(count >> 8), UInt8(count & 0xff)]
                bytes += [UInt8](repeating: 0, count: listed * 24)
                let payload = SecretBytes(copying: bytes)
                defer { payload.wipe() }
                XCTAssertThrowsError(try Manifest.decode(payload, labels: labels), "\(count) parts, \(listed) listed")
            }
        }
    }

    /// A new vault writes 16 parts at most; the save that takes it past 512 keys writes all 32
    /// (each lists other keys than before), and the store then holds exactly those 32.
    func testTheSaveThatOutgrowsTheSixteenPartsWritesThirtyTwo() throws {
        let session = try signUp()
        XCTAssertEqual(session.manifest.partCount, 16)
        // Most of the way in one save (to 504 keys), then one onion a save.
        try session.addOnions((0..<250).map { Session.NewOnion(title: secret("onion \($0)"), info: secret("info")) })
        XCTAssertEqual(session.manifest.partCount, 16)
        var saved = 250
        while Manifest.partCount(listing: session.manifest.entries.count + session.manifest.tombstones.count + 2) == 16 {
            try saveOnion(session, title: "onion \(saved)", info: "info \(saved)")
            saved += 1
        }
        XCTAssertEqual(session.manifest.partCount, 16)
        XCTAssertEqual(Set(try partRecords(session).map(\.index)).count, session.manifest.usedParts.count)

        let partNames = Dictionary(uniqueKeysWithValues: (0..<256).map { (session.keys.name(.manifestPart(UInt8($0))), $0) })
        let written = try recordsWritten(in: session.vault) {
            try saveOnion(session, title: "onion \(saved)", info: "the one that doubles")
        }
        saved += 1
        XCTAssertEqual(session.manifest.partCount, 32)
        XCTAssertEqual(Set(written.compactMap { partNames[$0.name] }), Set(0..<32))
        XCTAssertEqual(Set(try partRecords(session).map(\.index)), Set(0..<32))
        let byPart = session.manifest.keys(inParts: 0..<32)
        XCTAssertEqual(byPart.values.reduce(0) { $0 + $1.count },
                       session.manifest.entries.count + session.manifest.tombstones.count)
        for (index, keys) in byPart { XCTAssertTrue(keys.allSatisfy { Manifest.part(of: $0, partCount: 32) == index }) }

        // The next save writes the shape's two parts again, and a fresh log in reads it all.
        let next = try recordsWritten(in: session.vault) { try saveOnion(session, title: "after", info: "") }
        XCTAssertEqual(next.filter { partNames[$0.name] != nil }.count, SaveShape.parts)
        let again = try logIn(stateDirectory: stateDirectory + "-fresh")
        defer { again.lock() }
        XCTAssertEqual(again.issues, [])
        XCTAssertEqual(again.manifest.partCount, 32)
        XCTAssertEqual(Set(titles(again)), Set((0..<saved).map { "onion \($0)" } + ["after"]))
        session.lock()
    }

    /// A bulk write that passes several steps at once doubles as often as it needs to.
    func testABulkAddPassesSeveralStepsInOneSave() throws {
        let session = try signUp()
        defer { session.lock() }
        let batch = (0..<600).map {
            Session.NewOnion(title: secret("bulk \($0)"), info: secret("x"), folder: nil, created: nil)
        }
        try session.addOnions(batch)
        XCTAssertEqual(session.manifest.partCount, 64)
        XCTAssertEqual(Set(try partRecords(session).map(\.index)), Set(0..<64))
        let again = try logIn(stateDirectory: stateDirectory + "-fresh")
        defer { again.lock() }
        XCTAssertEqual(again.issues, [])
        XCTAssertEqual(again.onions.count, 600)
    }

    /// A save that doubled the parts and then failed in the store leaves the manifest as it was:
    /// the same 16 parts listing the same keys, and the next save goes through.
    func testASaveThatDoubledThePartsAndFailedLeavesTheManifestAsItWas() throws {
        let session = try signUp()
        defer { session.lock() }
        try session.addOnions((0..<250).map { Session.NewOnion(title: secret("onion \($0)"), info: secret("")) })
        var saved = 250
        while Manifest.partCount(listing: session.manifest.entries.count + session.manifest.tombstones.count + 2) == 16 {
            try saveOnion(session, title: "onion \(saved)", info: "")
            saved += 1
        }
        let before = session.manifest
        // Another writer moved the root on: the save's compare-and-set fails.
        let root = session.keys.name(.manifest)
        store.tamper(vault: session.vault, name: root) { $0 = moved($0, by: 1) }
        XCTAssertThrowsError(try saveOnion(session, title: "refused", info: ""))
        XCTAssertEqual(session.manifest.partCount, 16)
        XCTAssertEqual(session.manifest.parts, before.parts)
        XCTAssertEqual(session.manifest.keys(inParts: 0..<16).mapValues(Set.init), before.keys(inParts: 0..<16).mapValues(Set.init),
                       "the parts list other keys than before")
        XCTAssertEqual(Set(session.manifest.entries.keys), Set(before.entries.keys))

        store.tamper(vault: session.vault, name: root) { $0 = moved($0, by: -1) }
        try saveOnion(session, title: "accepted", info: "")
        XCTAssertEqual(session.manifest.partCount, 32)
        let again = try logIn(stateDirectory: stateDirectory + "-fresh")
        defer { again.lock() }
        XCTAssertEqual(again.issues, [])
        XCTAssertEqual(again.onions.count, saved + 1)
        XCTAssertNil(onion(again, titled: "refused"))
    }

    private func moved(_ record: StoredRecord, by step: Int) -> StoredRecord {
        StoredRecord(name: record.name, version: UInt64(Int(record.version) + step), blob: record.blob,
                     deleted: record.deleted, sequence: record.sequence)
    }

    /// The live part records the store holds, by index.
    private func partRecords(_ session: Session) throws -> [(index: Int, record: StoredRecord)] {
        let names = Dictionary(uniqueKeysWithValues: (0..<256).map { (session.keys.name(.manifestPart(UInt8($0))), $0) })
        return try store.records(vault: session.vault).compactMap { record in names[record.name].map { ($0, record) } }
    }
}

/// Two machines whose manifests have different part counts join into one with the larger count,
/// every part written to both, nothing lost.
final class ManifestPartCountSyncTests: MemorySyncTestCase {
    func testAMachineThatOutgrewItsPartsApartJoinsWithOneThatDidNot() throws {
        let (onA, onB) = try twoMachines { try self.save($0, "shared", "from the start") }
        defer { onA.lock(); onB.lock() }
        XCTAssertEqual(onA.manifest.partCount, 16)
        try apart(onA, onB, a: { session in
            let batch = (0..<300).map {
                Session.NewOnion(title: self.secret("a \($0)"), info: self.secret("x"), folder: nil, created: nil)
            }
            try session.addOnions(batch)
            XCTAssertEqual(session.manifest.partCount, 32)
        }, b: { session in
            try self.save(session, "b only", "from b")
            try self.edit(session, "shared", info: "edited on b")
            XCTAssertEqual(session.manifest.partCount, 16)
        })
        XCTAssertEqual(onA.manifest.partCount, 32)
        XCTAssertEqual(onB.manifest.partCount, 32)
        XCTAssertEqual(try onions(onA), try onions(onB))
        XCTAssertEqual(onB.onions.count, 302)
        XCTAssertEqual(try info(onB, "shared"), "edited on b")
        XCTAssertEqual(try info(onA, "b only"), "from b")

        let third = MemoryMachine("c", server: server, directory: directory)
        let onC = try third.logIn("alice", "pw")
        defer { onC.lock() }
        XCTAssertEqual(onC.issues, [])
        XCTAssertEqual(onC.manifest.partCount, 32)
        XCTAssertEqual(try onions(onC), try onions(onA))
    }

    /// The other way round: the machine that stayed small pushes first, the one that grew merges.
    func testAMachineThatStayedSmallPushesFirstAndTheGrownOneMerges() throws {
        let (onA, onB) = try twoMachines { try self.save($0, "shared", "from the start") }
        defer { onA.lock(); onB.lock() }
        try apart(onA, onB, a: { session in
            try self.edit(session, "shared", info: "edited on a")
        }, b: { session in
            let batch = (0..<300).map {
                Session.NewOnion(title: self.secret("b \($0)"), info: self.secret("y"), folder: nil, created: nil)
            }
            try session.addOnions(batch)
        })
        XCTAssertEqual(onA.manifest.partCount, 32)
        XCTAssertEqual(onB.manifest.partCount, 32)
        XCTAssertEqual(try onions(onA), try onions(onB))
        XCTAssertEqual(onA.onions.count, 301)
        XCTAssertEqual(try info(onB, "shared"), "edited on a")
    }
}
