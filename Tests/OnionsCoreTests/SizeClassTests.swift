@testable import OnionsCore
import OnionsCrypto
import XCTest

/// Every sealed record of a size class has the same length, whatever its text, so the store
/// learns the number of records and nothing about their lengths or kinds.
final class SizeClassTests: VaultTestCase {
    /// The distinct blob lengths of a vault's live records, with how many records have each.
    private func lengthCounts(_ vault: VaultID) throws -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for record in try store.changes(vault: vault, since: 0) where !record.deleted {
            counts[record.blob.count, default: 0] += 1
        }
        return counts
    }

    func testShortAndLongTextsSealToTheSameLengthsPerClass() throws {
        let session = try signUp()
        try saveOnion(session, title: "a")
        try saveOnion(session, title: String(repeating: "\u{1F44D}\u{1F3FD}", count: 30),
                      info: String(repeating: "\u{5BB6}", count: 2_500))
        try saveOnion(session, title: String(repeating: "x", count: 30), info: String(repeating: "y", count: 2_500))
        try session.addTask(secret("t"))
        try session.addTask(secret(String(repeating: "\u{5BB6}", count: 280)))
        try saveCard(session, to: "B", description: "", password: "p")
        try saveCard(session, to: String(repeating: "\u{1F44D}\u{1F3FD}", count: 30),
                     description: String(repeating: "\u{5BB6}", count: 2_500), password: "p")
        try session.saveDraft(Draft(target: nil, title: secret(String(repeating: "\u{1F44D}\u{1F3FD}", count: 30)),
                                    info: secret(String(repeating: "\u{5BB6}", count: 2_500))))
        let counts = try lengthCounts(session.vault)
        XCTAssertEqual(counts.count, 5, "one length per class, the manifest's parts', its root's and the commit's, got \(counts)")
        XCTAssertEqual(counts[SealedLength.commit], 1, "the head record")
        // small: 3 titles, 2 tasks, the heads of the 2 cards and of the draft, the task counter
        // and 2 fillers; large: 3 infos, 2 cards, the bodies of the 2 tasks, the draft and a filler.
        XCTAssertEqual(counts[SealedLength.small], 9 + SaveShape.smallPuts)
        XCTAssertEqual(counts[SealedLength.large], 8 + SaveShape.largePuts)
        XCTAssertEqual(counts[SealedLength.manifestRoot], 1, "the manifest's root, whatever its journal holds")
        XCTAssertEqual(counts[SealedLength.manifestPart], session.manifest.parts.filter { $0.version > 0 }.count,
                       "the parts the root lists")
    }

    func testAnOnionWithAnEmptyInfoLooksLikeOneWithAFullInfo() throws {
        let session = try signUp()
        let empty = try recordsWritten(in: session.vault) { try saveOnion(session, title: "e") }
        let full = try recordsWritten(in: session.vault) {
            try saveOnion(session, title: String(repeating: "f", count: 30), info: String(repeating: "i", count: 2_500))
        }
        XCTAssertEqual(empty.map(\.blob.count).sorted(), full.map(\.blob.count).sorted())
        // Title, info and a small filler, the two parts of the manifest the counter names,
        // the manifest's root and the head record with the save's commit: the shape of every save.
        XCTAssertEqual(empty.map(\.blob.count).sorted(),
                       [SealedLength.small, SealedLength.small, SealedLength.commit, SealedLength.large,
                        SealedLength.manifestPart, SealedLength.manifestPart, SealedLength.manifestRoot].sorted())
    }

    func testATaskLooksLikeATitle() throws {
        let session = try signUp()
        let task = try recordsWritten(of: session) { try session.addTask(secret("buy milk")) }
        let onion = try recordsWritten(of: session) { try saveOnion(session, title: "Groceries") }
        XCTAssertEqual(Set(task.map(\.blob.count)).subtracting([SealedLength.manifestPart, SealedLength.manifestRoot, SealedLength.commit]),
                       [SealedLength.small])
        XCTAssertTrue(onion.contains { $0.blob.count == SealedLength.small })
    }

    func testEditingToALongerTextKeepsTheSameLengths() throws {
        let session = try signUp()
        var lengths: [[Int]] = []
        var id: ItemID?
        for n in [1, 10, 30] {
            let written = try recordsWritten(of: session) {
                id = try saveOnion(session, id: id, title: String(repeating: "t", count: n),
                                   info: String(repeating: "i", count: n * 80))
            }
            lengths.append(written.map(\.blob.count).sorted())
        }
        XCTAssertEqual(Set(lengths).count, 1, "\(lengths)")
    }

    func testEveryBlobOfAClassDiffersEvenForTheSameText() throws {
        let session = try signUp()
        let a = try recordsWritten(of: session) { try saveOnion(session, title: "same", info: "same") }
        let b = try recordsWritten(of: session) { try saveOnion(session, title: "same", info: "same") }
        XCTAssertTrue(Set(a.map(\.blob)).isDisjoint(with: b.map(\.blob)))
        let shared = Set(a.map(\.name)).intersection(b.map(\.name))
        XCTAssertTrue(shared.contains(session.keys.name(.manifest)))
        XCTAssertTrue(a.filter { shared.contains($0.name) }.allSatisfy {
            SealedLength.isManifest($0.blob) || $0.name == session.chainHeadName
        }, "only the manifest's names (its root, a part by chance) and the head record's are shared")
    }

    func testTheManifestGrowsInCoarseStepsOnly() throws {
        let session = try signUp()
        for i in 0..<40 { try saveOnion(session, title: "onion \(i)") }
        let root = session.keys.name(.manifest)
        let manifest = try store.changes(vault: session.vault, since: 0).filter { SealedLength.isManifest($0.blob) }
        let rootRecord = try XCTUnwrap(manifest.first { $0.name == root })
        XCTAssertEqual(rootRecord.version, 41)
        XCTAssertEqual(rootRecord.blob.count, SealedLength.manifestRoot)
        for record in manifest {
            let padded = record.blob.count - 2 - 12 - 16
            XCTAssertTrue([4_096, 8_192].contains(padded) || padded % 16_384 == 0, "\(padded)")
        }
    }

    /// A log in opens the root and every part: a small vault's parts are 4 KiB each, not the
    /// 16 KiB each they were (4 MiB read and opened however small the vault), and there are 16
    /// of them, not 256.
    func testASmallVaultsManifestPartsTakeTheFirstStep() throws {
        let session = try signUp()
        for i in 0..<40 { try saveOnion(session, title: "onion \(i)", info: String(repeating: "i", count: 300)) }
        let partNames = Set((0..<Manifest.maxPartCount).map { session.keys.name(.manifestPart(UInt8($0))) })
        let parts = try store.records(vault: session.vault).filter { partNames.contains($0.name) }
        XCTAssertEqual(parts.count, session.manifest.parts.filter { $0.version > 0 }.count)
        XCTAssertEqual(session.manifest.partCount, 16)
        XCTAssertGreaterThan(parts.count, 10)
        XCTAssertEqual(Set(parts.map(\.blob.count)), [SealedLength.manifestPart])
    }

    func testManifestPaddingStepsAre4And8And16KiBThenWholeUnits() {
        let steps = [0, 4_092, 4_093, 8_188, 8_189, 16_380, 16_381, 32_764, 32_765].map {
            SizeClass.manifest.paddedSize(for: $0)
        }
        XCTAssertEqual(steps, [4_096, 4_096, 8_192, 8_192, 16_384, 16_384, 32_768, 32_768, 49_152])
    }
}
