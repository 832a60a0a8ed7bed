// A failover as the server's tables show it, on the real server: the promoted standby holds
// the records and commits of some moment before the primary died, and its change sequence
// may stand below the values the primary gave out since (PostgreSQL logs a sequence ahead
// only so far). Needs ONIONS_TEST_PG_URL and ONIONS_TEST_PG_LOG.

import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

final class FailoverServerTests: SyncTestCase {
    /// Keeps the server's records and commits as they are now, and where the change sequence is.
    private func keepStandby() throws -> Int64 {
        for table in ["records", "commits"] {
            _ = try database.adminQuery("DROP TABLE IF EXISTS public.standby_\(table)")
            _ = try database.adminQuery("CREATE TABLE public.standby_\(table) AS SELECT * FROM onions.\(table)")
        }
        return try XCTUnwrap(try database.adminQuery("SELECT last_value FROM onions.changes").integer(0, 0))
    }

    /// The failover: the kept tables in place, the sequence back where it was kept.
    private func failOver(sequence: Int64) throws {
        for table in ["records", "commits"] {
            _ = try database.adminQuery("DELETE FROM onions.\(table)")
            _ = try database.adminQuery("INSERT INTO onions.\(table) SELECT * FROM public.standby_\(table)")
        }
        _ = try database.adminQuery("SELECT setval('onions.changes', $1)", [.int64(sequence)])
    }

    /// Three machines' last saves reach the primary only; after the failover each machine names
    /// its lost save in one sentence and sends it again, and once every machine saved again
    /// and synced, every save is on every machine and the next syncs say nothing.
    func testSavesLostInAFailoverWhoseSequenceWentBackComeBackFromTheMachinesThatMadeThem() throws {
        let machines = try ["a", "b", "c"].map { try machine($0) }
        let onA = try machines[0].signUp("alice", "pw")
        try save(onA, "a 1", "1")
        let sessions = [onA, try machines[1].logIn("alice", "pw"), try machines[2].logIn("alice", "pw")]
        let names = ["a", "b", "c"]
        for (session, name) in zip(sessions, names) where name != "a" { try save(session, "\(name) 1", "1") }
        for session in sessions { XCTAssertEqual(try session.syncNow().issues, []) }
        let sequence = try keepStandby()
        // Several saves each, so that the sequence goes back far.
        for round in ["2", "3", "4"] {
            for (session, name) in zip(sessions, names) {
                _ = try session.syncNow()
                try save(session, "\(name) \(round)", round)
                XCTAssertEqual(session.hasPendingPush, false, "accepted by the primary")
            }
        }
        try failOver(sequence: sequence)

        var said: [String] = []
        for (session, name) in zip(sessions, names) {
            let report = try session.syncNow()
            said += report.lines
            XCTAssertNil(report.refused)
            XCTAssertFalse(session.isReadOnly)
            try save(session, "\(name) 5", "5")
        }
        for session in sessions { said += try session.syncNow().lines }
        let lost = said.filter { $0.contains("the server no longer has") && $0.contains("save(s) it had accepted") }
        XCTAssertEqual(lost.count, 3, "each machine names its own lost save once: \(said)")
        XCTAssertTrue(lost.allSatisfy { $0.hasSuffix("; sent again") }, "\(lost)")
        XCTAssertEqual(said.filter { !$0.contains("no longer has") }, [], "one sentence, nothing more")

        let everything = names.flatMap { name in (1...5).map { "\(name) \($0)" } }.sorted()
        for session in sessions {
            XCTAssertEqual(try session.syncNow().issues, [])
            XCTAssertEqual(titles(session), everything)
        }
        let words = try sessions.map { try $0.fingerprint()?.words }
        XCTAssertEqual(Set(words).count, 1)
        let onD = try machine("d").logIn("alice", "pw")
        XCTAssertEqual(titles(onD), everything)
        XCTAssertEqual(onD.issues, [])
    }

    /// B's saves reach the primary only; after the failover B sends them again first, and A,
    /// which never saw them, saves once: its few writes take sequence values below the ones
    /// B read on the primary. B must still see A's save, and A B's.
    func testAfterTheSequenceWentBackAMachineStillSeesTheNextSaveOfAnother() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        try save(onA, "a 1", "1")
        let onB = try b.logIn("alice", "pw")
        let sequence = try keepStandby()
        for round in 1...4 { try save(onB, "b \(round)", "\(round)") }
        XCTAssertEqual(onB.hasPendingPush, false)
        try failOver(sequence: sequence)
        let report = try onB.syncNow()
        XCTAssertTrue(report.lines.joined().contains("the server no longer has 4 save(s) it had accepted"), "\(report.lines)")
        XCTAssertEqual(report.lines.count, 1, "one sentence: \(report.lines)")
        XCTAssertEqual(try onA.syncNow().issues, [], "A saw nothing that was lost")
        try save(onA, "a 2", "2")
        XCTAssertEqual(try onB.syncNow().issues, [])
        let everything = ["a 1", "a 2", "b 1", "b 2", "b 3", "b 4"]
        XCTAssertEqual(titles(onB), everything)
        XCTAssertEqual(titles(onA), everything)
        XCTAssertEqual(try onB.syncNow().issues, [])
        XCTAssertEqual(try onA.syncNow().issues, [])
        XCTAssertEqual(try onA.fingerprint()?.words, try onB.fingerprint()?.words)
    }

    /// B's save reaches the primary only, A syncs it there, then the primary dies and B never
    /// comes back: A holds B's save in its replica, names it and sends it again, with its records.
    func testAMachineThatSyncedAnotherOnesLostSaveSendsItAgain() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        try save(onA, "a 1", "1")
        let onB = try b.logIn("alice", "pw")
        let sequence = try keepStandby()
        try save(onB, "b 1", "1")
        XCTAssertEqual(try onA.syncNow().issues, [])
        XCTAssertEqual(titles(onA), ["a 1", "b 1"])
        onB.lock()
        try failOver(sequence: sequence)
        let report = try onA.syncNow()
        let machineB = String(lowercaseHex: try XCTUnwrap(onB.chain?.state.machine.bytes.prefix(3)))
        XCTAssertEqual(report.lines, ["the server no longer has 1 save(s) it had accepted (a restored backup, a failover "
                                      + "or a fork), with onion 'b 1', saved on machine \(machineB); sent again"])
        XCTAssertEqual(try onA.syncNow().issues, [])
        let onC = try machine("c").logIn("alice", "pw")
        XCTAssertEqual(titles(onC), ["a 1", "b 1"])
        XCTAssertEqual(try info(onC, "b 1"), "1")
        XCTAssertEqual(onC.issues, [])
    }
}
