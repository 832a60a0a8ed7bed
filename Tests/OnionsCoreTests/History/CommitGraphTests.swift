import XCTest
@testable import OnionsCore

/// The graph of commits: ancestry, the common ancestor of a join, gaps, and the evidence that a
/// server lost heads it had accepted.
final class CommitGraphTests: XCTestCase {
    /// A graph built from `(name, parents)` in order; hashes are made from the names.
    struct Built {
        var graph = CommitGraph()
        var hashes: [String: CommitHash] = [:]
        var counts: [String: UInt64] = [:]

        mutating func add(_ name: String, _ parents: [String], accepted: String? = nil, machine: UInt8 = 1, keep: Bool = true) {
            let refs = parents.map { CommitRef(hash: hashes[$0]!, count: counts[$0]!) }
            let count = (refs.map(\.count).max() ?? 0) + 1
            let commit = Commit(count: count, time: 0, machine: MachineID([UInt8](repeating: machine, count: 16))!,
                                headerHash: [UInt8](repeating: 0, count: 32), parents: refs,
                                accepted: accepted.map { CommitRef(hash: hashes[$0]!, count: counts[$0]!) }, known: [:],
                                manifestName: RecordName([UInt8](repeating: 0, count: 32)),
                                manifestDigest: RecordDigest(bytes: [UInt8](repeating: 0, count: 16)))
            let hash = CommitHash(SHA256Name.of(name))!
            hashes[name] = hash
            counts[name] = count
            if keep { graph.add(commit, hash: hash) }
        }

        subscript(_ name: String) -> CommitHash { hashes[name]! }
    }

    enum SHA256Name {
        static func of(_ name: String) -> [UInt8] {
            var bytes = Array(name.utf8)
            bytes += [UInt8](repeating: 0, count: 32 - bytes.count)
            return bytes
        }
    }

    /// root - a1 - a2 (machine A) and root - b1 - b2 (machine B), joined by j.
    func forked() -> Built {
        var b = Built()
        b.add("root", [])
        b.add("a1", ["root"])
        b.add("a2", ["a1"])
        b.add("b1", ["root"], machine: 2)
        b.add("b2", ["b1"], machine: 2)
        b.add("j", ["a2", "b2"])
        return b
    }

    func testContainsFollowsEveryParentAndNothingElse() {
        let b = forked()
        XCTAssertTrue(b.graph.contains(b["j"], b["root"]))
        XCTAssertTrue(b.graph.contains(b["j"], b["b1"]))
        XCTAssertTrue(b.graph.contains(b["a2"], b["a2"]))
        XCTAssertFalse(b.graph.contains(b["a2"], b["b1"]))
        XCTAssertFalse(b.graph.contains(b["root"], b["a1"]))
    }

    func testTheMergeBaseOfTwoBranchesIsWhereTheyParted() {
        var b = forked()
        XCTAssertEqual(b.graph.mergeBase(b["a2"], b["b2"]), b["root"])
        XCTAssertEqual(b.graph.mergeBase(b["j"], b["b2"]), b["b2"], "one side contains the other")
        b.add("a3", ["j"])
        b.add("b3", ["b2"], machine: 2)
        XCTAssertEqual(b.graph.mergeBase(b["a3"], b["b3"]), b["b2"], "after a join, the join's side")
    }

    func testAWithheldCommitIsAGap() {
        var b = Built()
        b.add("root", [])
        b.add("c1", ["root"], keep: false)
        b.add("c2", ["c1"])
        XCTAssertEqual(b.graph.gaps(from: [b["c2"]]), [b["c1"]])
        XCTAssertFalse(b.graph.contains(b["c2"], b["root"]), "ancestry is not assumed across a gap")
    }

    func testAParentWithAnotherCountThanItsChildSaysIsRefused() {
        var b = Built()
        b.add("root", [])
        let lying = Commit(count: 5, time: 0, machine: MachineID([UInt8](repeating: 1, count: 16))!,
                           headerHash: [UInt8](repeating: 0, count: 32), parents: [CommitRef(hash: b["root"], count: 4)],
                           accepted: nil, known: [:], manifestName: RecordName([UInt8](repeating: 0, count: 32)),
                           manifestDigest: RecordDigest(bytes: [UInt8](repeating: 0, count: 16)))
        XCTAssertFalse(b.graph.add(lying, hash: CommitHash([UInt8](repeating: 0xee, count: 32))!))
    }

    func testAServerHeadThatLacksAnAcceptedCommitIsEvidenceAndNamesWhatWasLost() {
        var b = forked()
        // A's a2 was accepted (sealed in a3); the server now shows b2's line only.
        b.add("a3", ["a2"], accepted: "a2")
        let accepted = b.graph.acceptedHeads(own: [])
        XCTAssertEqual(accepted, [b["a2"]])
        XCTAssertEqual(Set(b.graph.lostAccepted(accepted, serverHead: b["b2"])), [b["a1"], b["a2"]])
        XCTAssertEqual(b.graph.lostAccepted(accepted, serverHead: b["j"]), [], "a head that contains it is honest")
    }

    func testTwoAcceptedHeadsNeitherContainingTheOtherAreAFork() {
        var b = forked()
        b.add("a3", ["a2"], accepted: "a2")
        b.add("b3", ["b2"], accepted: "b2", machine: 2)
        let pairs = b.graph.incomparableAccepted(b.graph.acceptedHeads(own: []))
        XCTAssertEqual(pairs.count, 1)
        b.add("c", ["a3"], accepted: "a3")
        XCTAssertEqual(b.graph.incomparableAccepted([b["a2"], b["a3"]]).count, 0, "one line of accepted heads")
    }

    func testOfflineWorkIsNeverEvidence() {
        let b = forked()
        // Both machines worked offline from root; nothing of theirs was accepted.
        XCTAssertEqual(b.graph.lostAccepted(b.graph.acceptedHeads(own: [b["root"]]), serverHead: b["b2"]), [])
    }
}
