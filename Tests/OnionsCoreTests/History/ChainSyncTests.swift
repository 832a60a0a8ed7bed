@testable import OnionsCore
import OnionsCrypto
import XCTest

/// The vault's chain of commits between two machines and a server in memory that an operator
/// rewinds, splits and trims (DESIGN.md 5b): what it does is reported on the first machine that
/// can know, and once it stops, every onion saved on either machine is on both.
final class ChainSyncTests: MemorySyncTestCase {
    /// Every save writes one commit that follows the last, here and, after a push, on the
    /// server; the other machine takes the same head and shows the same words.
    func testEverySaveIsACommitThatFollowsTheLastAndBothMachinesShowTheSameWords() throws {
        let (onA, onB) = try twoMachines()
        try save(onA, "one", "1\n")
        try save(onA, "two", "2\n")
        let vault = onA.vault
        XCTAssertEqual(try a.store.commits(vault: vault, since: 0).count, 2)
        XCTAssertEqual(try server.store.commits(vault: vault, since: 0).count, 2)
        let head = try XCTUnwrap(onA.chain?.head)
        XCTAssertEqual(head.count, 2)
        let first = try XCTUnwrap(onA.chain?.graph[head.hash]?.parents.first)
        XCTAssertEqual(first.count, 1)
        XCTAssertEqual(onA.chain?.state.accepted, head, "the server accepted A's head")
        XCTAssertEqual(try onB.syncNow().issues, [])
        XCTAssertEqual(onB.chain?.head, head)
        let words = try XCTUnwrap(try onA.fingerprint()?.words)
        XCTAssertEqual(words.split(separator: " ").count, 6)
        XCTAssertEqual(try onB.fingerprint()?.words, words)
        XCTAssertEqual(try onB.fingerprint(at: 1)?.words, try onA.fingerprint(at: 1)?.words)
        XCTAssertNotEqual(try onA.fingerprint(at: 1)?.words, words)
        try save(onB, "three", "3\n")
        XCTAssertNotEqual(try onB.fingerprint()?.words, words, "any save changes the words")
        // A's next commit seals that the server accepted its head.
        try save(onA, "four", "4\n")
        let sealed = try XCTUnwrap(onA.chain?.head.flatMap { onA.chain?.graph[$0.hash] })
        XCTAssertEqual(sealed.accepted, head)
    }

    /// The headline of the issue: the operator swaps the records table so that A and B each see
    /// only their own history for three rounds; when B meets A's history it says so, and the
    /// join keeps every onion of both.
    func testTwoHistoriesShownToTwoMachinesAreReportedAndJoinedWithoutLoss() throws {
        try twoHistories(swapCommitsToo: false)
    }

    /// The same with the commits swapped with the records (a whole dump per machine).
    func testTwoWholeCopiesOfTheServerAreReportedAndJoinedWithoutLoss() throws {
        try twoHistories(swapCommitsToo: true)
    }

    private func twoHistories(swapCommitsToo: Bool) throws {
        let (onA, onB) = try twoMachines { try self.save($0, "shared", "s\n") }
        XCTAssertEqual(try onB.syncNow().issues, [])
        let vault = onA.vault
        var tableA = server.store.contents, tableB = server.store.contents
        func serve(_ table: MemoryStore.Contents) {
            let sequence = max(server.store.contents.sequence, table.sequence)
            if swapCommitsToo {
                server.store.contents = table
            } else {
                server.store.contents.records = table.records
                server.store.contents.headers = table.headers
            }
            server.store.contents.sequence = sequence
        }
        var early: [String] = []
        for round in 1...3 {
            serve(tableA)
            try save(onA, "A-only \(round)", "a\n")
            early += try onA.syncNow().issues.map(\.description)
            tableA = server.store.contents
            serve(tableB)
            try save(onB, "B-only \(round)", "b\n")
            early += try onB.syncNow().issues.map(\.description)
            tableB = server.store.contents
            if round == 1 { XCTAssertEqual(early, [], "no machine can know after one round") }
        }
        // With whole copies each machine sees one consistent history until they meet. With the
        // records alone swapped, the shared commits show each machine the other's accepted
        // saves its server's head lacks: both can tell from the second round on.
        if swapCommitsToo {
            XCTAssertEqual(early, [])
        } else {
            XCTAssertTrue(early.contains { $0.contains("the server no longer has") }, "\(early)")
        }
        XCTAssertNotEqual(try onA.fingerprint()?.words, try onB.fingerprint()?.words, "the words tell them apart")
        // The operator stops: everyone sees A's copy.
        serve(tableA)
        let met = try onB.syncNow()
        let said = met.issues.map(\.description).joined(separator: "\n")
        XCTAssertTrue(said.contains("the server no longer has 3 save(s) it had accepted"), said)
        XCTAssertTrue(said.contains("this machine"), said)
        XCTAssertTrue(met.issues.allSatisfy(\.isAboutServer))
        _ = try onA.syncNow()
        let expected = ["A-only 1", "A-only 2", "A-only 3", "B-only 1", "B-only 2", "B-only 3", "shared"]
        XCTAssertEqual(titles(onA), expected)
        XCTAssertEqual(titles(onB), expected)
        // Settled: nothing more to say on either side, one head, the same words.
        XCTAssertEqual(try onB.syncNow().issues, [])
        XCTAssertEqual(try onA.syncNow().issues, [])
        XCTAssertEqual(onA.chain?.head, onB.chain?.head)
        XCTAssertEqual(try onA.fingerprint()?.words, try onB.fingerprint()?.words)
        XCTAssertEqual(try b.logIn("alice", "pw").issues, [])
        XCTAssertEqual(try server.store.commits(vault: vault, since: 0).count >= 8, true)
    }

    /// A restored dump (an older head): the machine whose accepted save it lost says so, sends
    /// it again, and the other machine then has it.
    func testAnOlderHeadIsReportedByTheMachineWhoseAcceptedSaveItLost() throws {
        let (onA, onB) = try twoMachines { try self.save($0, "first", "1\n") }
        XCTAssertEqual(try onB.syncNow().issues, [])
        let dump = server.store.contents
        try save(onA, "second", "2\n")
        server.store.contents = dump
        XCTAssertEqual(try onB.syncNow().issues, [], "B never saw more than the dump")
        let report = try onA.syncNow()
        let said = report.issues.map(\.description).joined(separator: "\n")
        XCTAssertTrue(said.contains("the server no longer has 1 save(s) it had accepted"), said)
        XCTAssertTrue(said.contains("sent again"), said)
        XCTAssertEqual(try onB.syncNow().issues, [])
        XCTAssertEqual(titles(onB), ["first", "second"])
        XCTAssertEqual(titles(onA), ["first", "second"])
    }

    /// A server that withholds one commit from the middle: the machine that lacks it says so.
    func testAWithheldCommitIsReportedAsAGap() throws {
        let (onA, onB) = try twoMachines { try self.save($0, "one", "1\n") }
        XCTAssertEqual(try onB.syncNow().issues, [])
        try save(onA, "two", "2\n")
        try save(onA, "three", "3\n")
        let vault = onA.vault
        let middle = try XCTUnwrap(onA.chain?.head.flatMap { onA.chain?.graph[$0.hash]?.parents.first })
        server.store.contents.commits[vault]?.removeAll { CommitHash(sealed: $0.blob) == middle.hash }
        let report = try onB.syncNow()
        let said = report.issues.map(\.description).joined(separator: "\n")
        XCTAssertTrue(said.contains("withholds 1 commit(s)"), said)
        XCTAssertEqual(titles(onB), ["one", "three", "two"])
    }

    /// A commit the server altered does not open: reported, left out.
    func testAnAlteredCommitIsReported() throws {
        let (onA, onB) = try twoMachines { try self.save($0, "one", "1\n") }
        XCTAssertEqual(try onB.syncNow().issues, [])
        try save(onA, "two", "2\n")
        let vault = onA.vault
        var altered = try XCTUnwrap(server.store.contents.commits[vault]?.last)
        var blob = altered.blob
        blob[100] ^= 1
        altered = StoredCommit(blob: blob, sequence: altered.sequence)
        let last = try XCTUnwrap(server.store.contents.commits[vault]?.count) - 1
        server.store.contents.commits[vault]?[last] = altered
        let said = try onB.syncNow().issues.map(\.description).joined(separator: "\n")
        XCTAssertTrue(said.contains("do not open"), said)
    }

    /// Offline work is never taken for a fork: 50 saves on each machine apart, then joined:
    /// no warning, every onion on both, exactly one join commit.
    func testFiftySavesOnEachMachineApartJoinWithOneCommitAndNoWarning() throws {
        let (onA, onB) = try twoMachines { try self.save($0, "shared", "s\n") }
        XCTAssertEqual(try onB.syncNow().issues, [])
        server.setReachable(false, a.name)
        server.setReachable(false, b.name)
        for i in 1...50 {
            _ = try onA.saveOnion(id: nil, title: secret("A \(i)"), info: secret("a\n"))
            _ = try onB.saveOnion(id: nil, title: secret("B \(i)"), info: secret("b\n"))
        }
        server.setReachable(true, a.name)
        server.setReachable(true, b.name)
        var reports = [try onA.syncNow(), try onB.syncNow(), try onA.syncNow(), try onB.syncNow()]
        reports.append(try onA.syncNow())
        XCTAssertEqual(reports.flatMap(\.issues), [])
        XCTAssertEqual(titles(onA).count, 101)
        XCTAssertEqual(titles(onA), titles(onB))
        XCTAssertEqual(onA.chain?.head, onB.chain?.head)
        let graph = try XCTUnwrap(onA.chain?.graph)
        let head = try XCTUnwrap(onA.chain?.head)
        let joins = graph.ancestors(of: head.hash).filter { graph[$0]?.parents.count == 2 }
        XCTAssertEqual(joins.count, 1)
        XCTAssertEqual(head.count, 52)
        XCTAssertEqual(try server.store.commits(vault: onA.vault, since: 0).count, 102)
    }
}
