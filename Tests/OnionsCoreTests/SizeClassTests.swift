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
        XCTAssertEqual(counts.count, 4, "one length per class and the commit's, got \(counts)")
        XCTAssertEqual(counts[SealedLength.commit], 1, "the head record")
        // small: 3 titles, 2 tasks, the heads of the 2 cards, the task counter and 2 fillers;
        // large: 3 infos, 2 cards, the bodies of the 2 tasks, the draft and a filler.
        XCTAssertEqual(counts[SealedLength.small], 8 + SaveShape.smallPuts)
        XCTAssertEqual(counts[SealedLength.large], 8 + SaveShape.largePuts)
        XCTAssertEqual(counts[SealedLength.manifest], 1 + session.manifest.usedParts.count, "the root and its parts")
    }

    func testAnOnionWithAnEmptyInfoLooksLikeOneWithAFullInfo() throws {
        let session = try signUp()
        let empty = try recordsWritten(in: session.vault) { try saveOnion(session, title: "e") }
        let full = try recordsWritten(in: session.vault) {
            try saveOnion(session, title: String(repeating: "f", count: 30), info: String(repeating: "i", count: 2_500))
        }
        XCTAssertEqual(empty.map(\.blob.count).sorted(), full.map(\.blob.count).sorted())
        // Title, info and a small filler, two parts of the manifest (the onion's and the fillers')
        // the manifest's root and the head record with the save's commit: the shape of every save.
        XCTAssertEqual(empty.map(\.blob.count).sorted(),
                       [SealedLength.small, SealedLength.small, SealedLength.commit, SealedLength.large,
                        SealedLength.manifest, SealedLength.manifest, SealedLength.manifest])
    }

    func testATaskLooksLikeATitle() throws {
        let session = try signUp()
        let task = try recordsWritten(of: session) { try session.addTask(secret("buy milk")) }
        let onion = try recordsWritten(of: session) { try saveOnion(session, title: "Groceries") }
        XCTAssertEqual(Set(task.map(\.blob.count)).subtracting([SealedLength.manifest, SealedLength.commit]),
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
            $0.blob.count == SealedLength.manifest || $0.name == session.chainHeadName
        }, "only the manifest's names (its root, a part by chance) and the head record's are shared")
    }

    func testTheManifestGrowsInWholeUnitsOnly() throws {
        let session = try signUp()
        for i in 0..<40 { try saveOnion(session, title: "onion \(i)") }
        let root = session.keys.name(.manifest)
        let manifest = try XCTUnwrap(store.changes(vault: session.vault, since: 0).first { $0.name == root })
        XCTAssertEqual(manifest.version, 41)
        XCTAssertEqual((manifest.blob.count - 2 - 12 - 16) % 16_384, 0)
    }
}
