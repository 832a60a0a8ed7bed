// The chain of commits on the real server, against an operator with admin rights: swapped
// tables, a restored dump, a withheld commit. Needs ONIONS_TEST_PG_URL and ONIONS_TEST_PG_LOG.

import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

final class ChainServerTests: SyncTestCase {
    private func keep(_ name: String) throws { try operatorKeep(name) }
    private func serve(_ name: String, commits: Bool) throws { try operatorServe(name, commits: commits) }

    func testSwappedRecordsTablesAreReportedWhenTheMachinesMeetAndNothingIsLost() throws {
        try twoHistories(commits: false)
    }

    func testSwappedRecordsAndCommitsTablesAreReportedWhenTheMachinesMeetAndNothingIsLost() throws {
        try twoHistories(commits: true)
    }

    /// The operator shows A and B each their own copy of the vault for three rounds, then lets
    /// B see A's: B names the saves the server lost, both join, and every onion is on both.
    private func twoHistories(commits: Bool) throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        try save(onA, "shared", "s")
        let onB = try b.logIn("alice", "pw")
        XCTAssertEqual(onB.lastSyncReport?.given?.hasPrefix("save 1: "), true, "the first sync names the save")
        XCTAssertEqual(titles(onB), ["shared"])
        try keep("copy_a")
        try keep("copy_b")
        var early: [String] = []
        for round in 1...3 {
            try serve("copy_a", commits: commits)
            try save(onA, "A-only \(round)", "a")
            early += try onA.syncNow().issues.map(\.description)
            try keep("copy_a")
            try serve("copy_b", commits: commits)
            try save(onB, "B-only \(round)", "b")
            early += try onB.syncNow().issues.map(\.description)
            try keep("copy_b")
            if round == 1 { XCTAssertEqual(early, [], "no machine can know after one round") }
        }
        // With whole copies each machine sees one consistent history until they meet. With the
        // records alone swapped, the shared commits show each machine the other's accepted
        // saves its server's head lacks: both can tell from the second round on.
        if commits {
            XCTAssertEqual(early, [])
        } else {
            XCTAssertTrue(early.contains { $0.contains("the server no longer has") }, "\(early)")
        }
        try serve("copy_a", commits: commits)
        let met = try onB.syncNow()
        let said = met.issues.map(\.description).joined(separator: "\n")
        XCTAssertTrue(said.contains("the server no longer has 3 save(s) it had accepted"), said)
        _ = try onA.syncNow()
        let everything = ["A-only 1", "A-only 2", "A-only 3", "B-only 1", "B-only 2", "B-only 3", "shared"]
        XCTAssertEqual(titles(onA), everything)
        XCTAssertEqual(titles(onB), everything)
        XCTAssertEqual(try onB.syncNow().issues, [])
        XCTAssertEqual(try onA.syncNow().issues, [])
        XCTAssertEqual(try onA.fingerprint()?.words, try onB.fingerprint()?.words)
        let c = try machine("c")
        let onC = try c.logIn("alice", "pw")
        XCTAssertEqual(titles(onC), everything)
        XCTAssertEqual(onC.issues, [])
    }

    /// The operator restores a dump taken before A's last save: A, whose accepted save it
    /// lost, says so and sends it again; B then has it.
    func testAnOlderHeadFromARestoredDumpIsReportedAndSentAgain() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        try save(onA, "first", "1")
        let onB = try b.logIn("alice", "pw")
        try keep("dump")
        try save(onA, "second", "2")
        try serve("dump", commits: true)
        XCTAssertEqual(try onB.syncNow().issues, [], "B saw nothing newer than the dump")
        let report = try onA.syncNow()
        let said = report.issues.map(\.description).joined(separator: "\n")
        XCTAssertTrue(said.contains("the server no longer has 1 save(s) it had accepted"), said)
        XCTAssertEqual(try onB.syncNow().issues, [])
        XCTAssertEqual(titles(onB), ["first", "second"])
    }

    /// The operator deletes one commit from the middle: the machine that lacks it names the gap.
    func testAWithheldCommitIsReportedByTheMachineThatLacksIt() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        try save(onA, "one", "1")
        let onB = try b.logIn("alice", "pw")
        try save(onA, "two", "2")
        try save(onA, "three", "3")
        let middle = try XCTUnwrap(onA.chain?.head.flatMap { onA.chain?.graph[$0.hash]?.parents.first })
        _ = try database.adminQuery("DELETE FROM onions.commits WHERE hash = $1", [.bytes(middle.hash.bytes)])
        let said = try onB.syncNow().issues.map(\.description).joined(separator: "\n")
        XCTAssertTrue(said.contains("withholds 1 commit(s)"), said)
        XCTAssertEqual(titles(onB), ["one", "three", "two"])
    }

    /// Two machines offline for 50 saves each, then joined on the real server: no warning,
    /// every onion on both, one join commit, the same words.
    func testFiftyOfflineSavesOnEachMachineJoinWithOneCommitAndNoWarning() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        try save(onA, "shared", "s")
        let onB = try b.logIn("alice", "pw")
        try setOnline(false, a, b)
        for i in 1...50 {
            try save(onA, "A \(i)", "a")
            try save(onB, "B \(i)", "b")
        }
        try setOnline(true, a, b)
        var issues = try onA.syncNow().issues + onB.syncNow().issues
        issues += try onA.syncNow().issues + onB.syncNow().issues
        XCTAssertEqual(issues, [])
        XCTAssertEqual(titles(onA).count, 101)
        XCTAssertEqual(titles(onA), titles(onB))
        let head = try XCTUnwrap(onA.chain?.head)
        XCTAssertEqual(onB.chain?.head, head)
        let graph = try XCTUnwrap(onA.chain?.graph)
        XCTAssertEqual(graph.ancestors(of: head.hash).filter { graph[$0]?.parents.count == 2 }.count, 1)
        XCTAssertEqual(try database.adminQuery("SELECT count(*) FROM onions.commits").integer(0, 0), 102)
    }

    /// Commits are append-only for a vault's role: no table right, and the insert function
    /// refuses a blob that is not a commit's size; a commit sent twice is kept once.
    func testAVaultRoleCannotRewriteCommits() throws {
        let a = try machine("a")
        let onA = try a.signUp("alice", "pw")
        try save(onA, "one", "1")
        let role = try database.connect(authKey: onA.passwordKeys.authKey)
        XCTAssertThrowsError(try role.query("UPDATE onions.commits SET blob = blob"))
        XCTAssertThrowsError(try role.query("DELETE FROM onions.commits"))
        XCTAssertThrowsError(try role.query("SELECT onions.add_commits(ARRAY['\\x00'::bytea])"))
        let blob = try XCTUnwrap(try onA.store.commits(vault: onA.vault, since: 0).first?.blob)
        _ = try role.query("SELECT onions.add_commits($1)", [.byteaArray([blob])])
        let count = try database.adminQuery("SELECT count(*) FROM onions.commits").integer(0, 0)
        XCTAssertEqual(count, 1)
    }
}
