// The operator's tools on the real server, with onions, cards and tasks on two machines:
// swapped tables, an older head served, a commit cut from the middle of the chain. Each is
// reported by name on the first machine that can know, and once the operator stops, every item
// saved on any machine is on every machine (a third one that logs in afterwards included).
// Needs ONIONS_TEST_PG_URL and ONIONS_TEST_PG_LOG.

import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

extension SyncTestCase {
    /// Keeps the server's records and commits as they are now under `name` (an operator's copy).
    func operatorKeep(_ name: String) throws {
        for table in ["records", "commits"] {
            _ = try database.adminQuery("DROP TABLE IF EXISTS public.\(name)_\(table)")
            _ = try database.adminQuery("CREATE TABLE public.\(name)_\(table) AS SELECT * FROM onions.\(table)")
        }
    }

    /// Puts the records kept under `name` in place (and the commits, when `commits`).
    func operatorServe(_ name: String, commits: Bool) throws {
        for table in commits ? ["records", "commits"] : ["records"] {
            _ = try database.adminQuery("DELETE FROM onions.\(table)")
            _ = try database.adminQuery("INSERT INTO onions.\(table) SELECT * FROM public.\(name)_\(table)")
        }
    }

    /// Every onion title, card recipient and task text the session shows, sorted.
    func items(_ session: Session) -> [String] {
        let onions = session.onions.map { "onion " + session.title($0) }
        let cards = session.cards.map { "card " + session.texts.string($0.recipient) }
        let tasks = session.tasks.map { "task " + text(session.texts.copy($0.text)) }
        return (onions + cards + tasks).sorted()
    }

    /// Saves an onion, a card and a task named after `tag` (then sent, as `save` does).
    func saveItems(_ session: Session, _ tag: String) throws -> [String] {
        try save(session, tag, "info of \(tag)")
        try session.saveCard(id: nil, recipient: secret(tag), description: secret("card of \(tag)"),
                             cardPassword: secret("card pw"), kdf: ScryptParameters(logN: 10, r: 8, p: 1))
        try session.addTask(secret(tag))
        session.pushPending()
        return ["card \(tag)", "onion \(tag)", "task \(tag)"]
    }

    /// The issues' sentences, one a line.
    func said(_ report: SyncReport) -> String { report.issues.map(\.description).joined(separator: "\n") }

    /// Every commit the session's head follows, as its machine knows them; fails on a gap.
    func history(_ session: Session, file: StaticString = #filePath, line: UInt = #line) throws -> Set<CommitHash> {
        let chain = try XCTUnwrap(session.chain, file: file, line: line)
        let head = try XCTUnwrap(chain.head, file: file, line: line)
        XCTAssertEqual(chain.graph.gaps(from: [head.hash]), [], "a gap in the history", file: file, line: line)
        return chain.graph.ancestors(of: head.hash)
    }

    /// Once the operator stopped: every session syncs twice and hears nothing; all show the
    /// same words and hold the same history without a gap, which is every commit the server
    /// holds, and list `expected`.
    func assertWholeChain(_ sessions: [Session], _ expected: [String], file: StaticString = #filePath,
                          line: UInt = #line) throws {
        for _ in 0..<2 {
            for session in sessions { XCTAssertEqual(said(try session.syncNow()), "", file: file, line: line) }
        }
        let words = try sessions.map { try XCTUnwrap($0.fingerprint()?.words, file: file, line: line) }
        XCTAssertEqual(Set(words).count, 1, "\(words)", file: file, line: line)
        let histories = try sessions.map { try history($0, file: file, line: line) }
        for other in histories.dropFirst() { XCTAssertEqual(other, histories[0], file: file, line: line) }
        let rows = try database.adminQuery("SELECT hash FROM onions.commits")
        let onServer = Set((0..<rows.count).compactMap { rows.bytes($0, 0).flatMap(CommitHash.init) })
        XCTAssertEqual(onServer, histories[0], "the server holds the whole history", file: file, line: line)
        for session in sessions { XCTAssertEqual(items(session), expected.sorted(), file: file, line: line) }
    }
}

/// What the machine that holds a commit the server lacks says when it sends it again.
private func lacks(_ n: Int) -> String {
    "the server lacks \(n) commit(s) of the history its head follows (cut from it or withheld); this machine "
        + "holds them and sent them again"
}

final class ChainOperatorTests: SyncTestCase {
    /// The operator shows A and B each their own whole copy of the server (records and commits)
    /// for three rounds of an onion, a card and a task on each, then lets everyone see A's.
    /// Nothing can tell before they meet; B, the first to meet A's copy, names the saves the
    /// server lost; afterwards every item is on A, B and a new machine C, with no more warnings.
    func testSwappedTablesWithCardsAndTasksAreReportedWhenTheMachinesMeetAndNothingIsLost() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        var expected = try saveItems(onA, "shared")
        let onB = try b.logIn("alice", "pw")
        XCTAssertEqual(items(onB), expected.sorted())
        try operatorKeep("copy_a")
        try operatorKeep("copy_b")
        var early: [String] = []
        for round in 1...3 {
            try operatorServe("copy_a", commits: true)
            expected += try saveItems(onA, "A\(round)")
            early += try onA.syncNow().issues.map(\.description)
            try operatorKeep("copy_a")
            try operatorServe("copy_b", commits: true)
            expected += try saveItems(onB, "B\(round)")
            early += try onB.syncNow().issues.map(\.description)
            try operatorKeep("copy_b")
        }
        XCTAssertEqual(early, [], "each machine saw one consistent history")
        XCTAssertNotEqual(try onA.fingerprint()?.words, try onB.fingerprint()?.words, "the words tell them apart")
        try operatorServe("copy_a", commits: true)
        let met = said(try onB.syncNow())
        XCTAssertTrue(met.contains("the server no longer has 9 save(s) it had accepted"), met)
        // The sentence names what those saves held, B's oldest first.
        XCTAssertTrue(met.contains("or a fork), with onion 'B1', card for 'B1', task 'B1' and 6 more, saved on this "
                                   + "machine; sent again"), met)
        _ = try onA.syncNow()
        XCTAssertEqual(items(onA), expected.sorted())
        XCTAssertEqual(items(onB), expected.sorted())
        XCTAssertEqual(try onB.syncNow().issues, [])
        XCTAssertEqual(try onA.syncNow().issues, [])
        XCTAssertEqual(try onA.fingerprint()?.words, try onB.fingerprint()?.words)
        // Nothing to accept: 'accept-rollback' concerns this machine's store, and neither is held.
        XCTAssertFalse(onA.isReadOnly)
        XCTAssertFalse(onB.isReadOnly)
        XCTAssertEqual(try onB.acceptStoreState(), [])
        let onC = try machine("c").logIn("alice", "pw")
        XCTAssertEqual(items(onC), expected.sorted())
        XCTAssertEqual(onC.issues, [])
    }

    /// The operator moves the head record back to an older commit and leaves every record and
    /// commit in place. B, the first to sync, names the accepted save it lacks and sends the
    /// newer head back; A finds the server mended by then.
    func testAnOlderHeadServedAloneIsReportedByTheMachineThatPinnedTheNewerOne() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        var expected = try saveItems(onA, "one")
        let onB = try b.logIn("alice", "pw")
        let older = try XCTUnwrap(onA.chain?.head.flatMap { onA.chain?.blobs[$0.hash] })
        expected += try saveItems(onA, "two")
        XCTAssertEqual(try onB.syncNow().issues, [])
        XCTAssertEqual(items(onB), expected.sorted())
        let headName = onA.chainHeadName
        _ = try database.adminQuery("UPDATE onions.records SET blob = $1 WHERE name = $2",
                                    [.bytes(older), .bytes(headName.bytes)])
        // The server accepted each of A's three saves of round two (their compare-and-set moved
        // its head), and B pinned the last of them: the older head lacks all three, which B names.
        let report = said(try onB.syncNow())
        let machineA = String(lowercaseHex: try XCTUnwrap(onA.chain?.state.machine).bytes.prefix(3))
        XCTAssertTrue(report.contains("the server no longer has 3 save(s) it had accepted"), report)
        XCTAssertTrue(report.contains("or a fork), with onion 'two', card for 'two' and task 'two', saved on machine "
                                      + "\(machineA); sent again"), report)
        XCTAssertEqual(try onA.syncNow().issues, [], "B sent the newer head back before A looked")
        expected += try saveItems(onB, "three")
        XCTAssertEqual(try onA.syncNow().issues, [])
        XCTAssertEqual(items(onA), expected.sorted())
        XCTAssertEqual(items(onB), expected.sorted())
        XCTAssertEqual(try onA.fingerprint()?.words, try onB.fingerprint()?.words)
        let onC = try machine("c").logIn("alice", "pw")
        XCTAssertEqual(items(onC), expected.sorted())
        XCTAssertEqual(onC.issues, [])
    }

    /// The operator serves the records (head record included) of an earlier hour and keeps
    /// the commits: A, whose accepted saves the head lacks, is the first to sync and names them;
    /// its copies go back, and B, which never saw the older state, has everything.
    func testAnOlderHeadWithItsRecordsIsReportedByTheMachineWhoseAcceptedSavesItLacks() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        var expected = try saveItems(onA, "one")
        let onB = try b.logIn("alice", "pw")
        try operatorKeep("earlier")
        expected += try saveItems(onA, "two")
        try operatorServe("earlier", commits: false)
        let report = said(try onA.syncNow())
        XCTAssertTrue(report.contains("the server no longer has"), report)
        XCTAssertTrue(report.contains("saved on this machine"), report)
        XCTAssertEqual(try onB.syncNow().issues, [])
        XCTAssertEqual(items(onB), expected.sorted())
        expected += try saveItems(onB, "three")
        XCTAssertEqual(try onA.syncNow().issues, [])
        XCTAssertEqual(items(onA), expected.sorted())
        let onC = try machine("c").logIn("alice", "pw")
        XCTAssertEqual(items(onC), expected.sorted())
        XCTAssertEqual(onC.issues, [])
    }

    /// The operator deletes one commit from the middle of the chain: B, the first machine that
    /// lacks it, names the gap; A, which holds it, finds the server holding fewer commits than
    /// its head follows and sends it again; then B and a new machine C hold the whole chain, and
    /// no machine hears of it again.
    func testACommitCutFromTheMiddleIsSentAgainByItsHolderAndNoWarningRepeats() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        var expected = try saveItems(onA, "one")
        let onB = try b.logIn("alice", "pw")
        expected += try saveItems(onA, "two")
        let cut = try XCTUnwrap(onA.chain?.head)
        expected += try saveItems(onA, "three")
        _ = try database.adminQuery("DELETE FROM onions.commits WHERE hash = $1", [.bytes(cut.hash.bytes)])
        let report = said(try onB.syncNow())
        XCTAssertTrue(report.contains("withholds 1 commit(s)"), report)
        XCTAssertEqual(items(onB), expected.sorted())
        XCTAssertEqual(said(try onA.syncNow()), lacks(1), "A holds the commit the server lacks")
        let onC = try machine("c").logIn("alice", "pw")
        XCTAssertEqual(onC.issues, [])
        try assertWholeChain([onA, onB, onC], expected)
    }

    /// The operator withholds two commits, the vault's first and the newest but one, once B had
    /// synced them and A, which wrote them, had gone. C, new, names the gap; B, which holds
    /// them without having written them, sends them again, and C has them at its next sync.
    /// When the operator serves its copies again later, nothing changes and nothing is said.
    func testWithheldCommitsAreSentAgainByAMachineThatHoldsThemAndNothingRepeats() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        var expected = try saveItems(onA, "one")
        expected += try saveItems(onA, "two")
        let onB = try b.logIn("alice", "pw")
        XCTAssertEqual(items(onB), expected.sorted())
        let chain = try XCTUnwrap(onA.chain)
        let head = try XCTUnwrap(chain.head)
        let oldest = try XCTUnwrap(chain.graph.ancestors(of: head.hash).first { chain.graph[$0]?.count == 1 })
        let newestButOne = try XCTUnwrap(chain.graph[head.hash]?.parents.first?.hash)
        onA.lock()
        let withheld = PostgresValue.byteaArray([oldest.bytes, newestButOne.bytes])
        _ = try database.adminQuery("DROP TABLE IF EXISTS public.withheld")
        _ = try database.adminQuery("CREATE TABLE public.withheld AS SELECT * FROM onions.commits WHERE hash = ANY($1)",
                                    [withheld])
        _ = try database.adminQuery("DELETE FROM onions.commits WHERE hash = ANY($1)", [withheld])
        let onC = try machine("c").logIn("alice", "pw")
        let gap = onC.issues.map(\.description).joined(separator: "\n")
        XCTAssertTrue(gap.contains("withholds"), gap)
        XCTAssertEqual(items(onC), expected.sorted())
        XCTAssertEqual(said(try onB.syncNow()), lacks(2))
        XCTAssertEqual(said(try onC.syncNow()), "", "C reads what B sent again")
        XCTAssertEqual(try history(onC), try history(onB))
        _ = try database.adminQuery("INSERT INTO onions.commits SELECT * FROM public.withheld ON CONFLICT DO NOTHING")
        let again = try a.logIn("alice", "pw")
        try assertWholeChain([again, onB, onC], expected)
    }

    /// Offline work on two machines joined by B (a commit with two parents), then A saves on
    /// top of the join and the operator cuts the join out. C, new, names the gap; A, which holds
    /// the join, sends it again; all three then hold the whole chain and hear nothing more.
    func testACutJoinCommitIsSentAgainByItsHolder() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        var expected = try saveItems(onA, "one")
        let onB = try b.logIn("alice", "pw")
        expected += try saveItems(onA, "A")
        expected += try saveItems(onB, "B")
        XCTAssertEqual(said(try onB.syncNow()), "")
        let join = try XCTUnwrap(onB.chain?.head)
        XCTAssertEqual(onB.chain?.graph[join.hash]?.parents.count, 2, "B joined the two lines")
        XCTAssertEqual(said(try onA.syncNow()), "")
        expected += try saveItems(onA, "after")
        let after = try XCTUnwrap(onA.chain?.head)
        XCTAssertTrue(after != join && onA.chain?.graph.contains(after.hash, join.hash) == true, "the join is in the middle")
        _ = try database.adminQuery("DELETE FROM onions.commits WHERE hash = $1", [.bytes(join.hash.bytes)])
        let onC = try machine("c").logIn("alice", "pw")
        let gap = onC.issues.map(\.description).joined(separator: "\n")
        XCTAssertTrue(gap.contains("withholds 1 commit(s)"), gap)
        XCTAssertEqual(said(try onA.syncNow()), lacks(1))
        try assertWholeChain([onA, onB, onC], expected)
    }
}
