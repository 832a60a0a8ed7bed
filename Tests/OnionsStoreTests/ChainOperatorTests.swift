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
        XCTAssertTrue(met.contains("this machine"), met)
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
        XCTAssertTrue(report.contains("saved on machine \(machineA)"), report)
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
    /// lacks it, names the gap; every item saved around it is on B and on a new machine C.
    func testACommitCutFromTheMiddleIsReportedAndNoItemIsLost() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        var expected = try saveItems(onA, "one")
        let onB = try b.logIn("alice", "pw")
        expected += try saveItems(onA, "two")
        let cut = try XCTUnwrap(onA.chain?.head)
        expected += try saveItems(onA, "three")
        _ = try database.adminQuery("DELETE FROM onions.commits WHERE hash = $1", [.bytes(cut.hash.bytes)])
        XCTAssertEqual(try onA.syncNow().issues, [], "A holds the commit: nothing is missing for it")
        let report = said(try onB.syncNow())
        XCTAssertTrue(report.contains("withholds 1 commit(s)"), report)
        XCTAssertEqual(items(onB), expected.sorted())
        let onC = try machine("c").logIn("alice", "pw")
        XCTAssertEqual(items(onC), expected.sorted())
    }
}
