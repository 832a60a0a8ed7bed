// Two machines, one vault, one server: sign up, log in elsewhere, edits both ways, live
// announcements, offline work and merges. Needs ONIONS_TEST_PG_URL.

import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

final class SyncTwoMachinesTests: SyncTestCase {
    func testLogInOnAnEmptyMachineFindsTheVaultSignedUpElsewhere() throws {
        let a = try machine("a"), b = try machine("b")
        let alice = try a.signUp("alice", "pw-alice")
        try save(alice, "Groceries", "milk\neggs")
        try alice.addTask(secret("call mom"))
        alice.pushPending()

        let onB = try b.logIn("alice", "pw-alice")
        XCTAssertEqual(titles(onB), ["Groceries"])
        XCTAssertEqual(try info(onB, "Groceries"), "milk\neggs")
        XCTAssertEqual(tasks(onB), ["0 call mom"])
        XCTAssertEqual(onB.issues, [])
        XCTAssertNil(onB.lastSyncReport?.offline)
    }

    func testEditsFlowBothWays() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        let onB = try b.logIn("alice", "pw")
        try save(onA, "From A", "one")
        XCTAssertTrue(try onB.syncNow().changedLocally)
        XCTAssertEqual(titles(onB), ["From A"])

        try save(onB, id: id(onB, "From A"), "From A", "one\ntwo")
        try save(onB, "From B", "b")
        try onB.addTask(secret("task from B"))
        onB.pushPending()
        try onA.syncNow()
        XCTAssertEqual(titles(onA), ["From A", "From B"])
        XCTAssertEqual(try info(onA, "From A"), "one\ntwo")
        XCTAssertEqual(tasks(onA), ["0 task from B"])

        try onA.deleteOnion(id(onA, "From B"))
        onA.pushPending()
        try onB.syncNow()
        XCTAssertEqual(titles(onB), ["From A"])
        XCTAssertEqual(onA.issues + onB.issues, [])
    }

    /// After the password changed elsewhere, this machine's key is refused once and then no
    /// more is tried: every try would count against the vault, which the server then locks for
    /// every machine. The right password still opens it on a third machine.
    func testARefusedKeyIsNotTriedAgainSoTheServerDoesNotLockTheVaultOut() throws {
        let a = try machine("a"), b = try machine("b"), c = try machine("c")
        let onA = try a.signUp("alice", "old")
        let onB = try b.logIn("alice", "old")
        try onA.changePassword(to: secret("new"), kdf: ScryptParameters(logN: 10, r: 8, p: 1))
        try save(onB, "Offline note", "kept here")
        XCTAssertNotNil(try onB.syncNow().refused)
        XCTAssertNotNil(onB.syncRefusedReason)
        for _ in 0..<10 {
            XCTAssertFalse(onB.pollRemote(timeoutMs: 0))
            try save(onB, "Note \(UUID().uuidString.prefix(6))", "x")
            XCTAssertNotNil(try onB.syncNow().refused)
        }
        let onC = try c.logIn("alice", "new")
        XCTAssertEqual(onC.issues, [])
        XCTAssertNil(onC.lastSyncReport?.refused, "the server did not lock the vault out")
    }

    func testDeletingTheAccountDeletesItOnTheServerSoNoLogInBringsItBack() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        try save(onA, "Secret plans", "x")
        try onA.deleteAccount()
        // The server does not tell whether a username has a vault: its refusal reads as for a
        // wrong password.
        XCTAssertThrowsError(try b.logIn("alice", "pw")) { error in
            XCTAssertEqual(error as? VaultError, .wrongPassword)
        }
        XCTAssertEqual(try a.store.prelogin(vault: VaultID(CredentialStretching.stretch("alice"))), nil)
    }

    func testAnOpenSessionIsToldOfAnotherMachinesChange() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        let onB = try b.logIn("alice", "pw")
        XCTAssertNotNil(onB.changeSocket)
        XCTAssertFalse(onB.pollRemote(timeoutMs: 0))
        try save(onA, "Live", "now")
        XCTAssertTrue(onB.pollRemote(timeoutMs: 3000), "no announcement within 3 s")
        try onB.syncNow()
        XCTAssertEqual(titles(onB), ["Live"])
        XCTAssertFalse(onB.pollRemote(timeoutMs: 0), "its own sync is not announced back to it")
    }

    /// Another machine's push announces its records, then its chain's head: a round that read
    /// both is not told of them again (the announcements wait unread here while it runs), and
    /// the next change is.
    func testAChangeItsRoundReadAlreadyIsNotAnnouncedAgain() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        let onB = try b.logIn("alice", "pw")
        XCTAssertFalse(onB.pollRemote(timeoutMs: 0))
        try save(onA, "Live", "now")
        XCTAssertNil(try onB.syncNow().offline)
        XCTAssertEqual(titles(onB), ["Live"])
        XCTAssertFalse(onB.pollRemote(timeoutMs: 500), "what its round read is not announced")
        try save(onA, "Later", "then")
        XCTAssertTrue(onB.pollRemote(timeoutMs: 3000), "no announcement within 3 s")
    }

    func testOfflineEditsOnBothMachinesAreAllKeptMergedOrAsConflictCopies() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        try save(onA, "Groceries", "milk\neggs\nbread\n")
        try save(onA, "Plans", "monday\ntuesday\n")
        try save(onA, "Old", "to delete on A, edit on B")
        try onA.addTask(secret("shared task"))
        let onB = try b.logIn("alice", "pw")
        XCTAssertEqual(titles(onB), ["Groceries", "Old", "Plans"])
        try setOnline(false, a, b)

        // Not overlapping: A adds a first line, B a last line.
        try save(onA, id: id(onA, "Groceries"), "Groceries", "cheese\nmilk\neggs\nbread\n")
        try save(onB, id: id(onB, "Groceries"), "Groceries", "milk\neggs\nbread\nbutter\n")
        // Overlapping: both change the same line.
        try save(onA, id: id(onA, "Plans"), "Plans", "monday gym\ntuesday\n")
        try save(onB, id: id(onB, "Plans"), "Plans", "monday dentist\ntuesday\n")
        // Deleted on A, edited on B.
        try onA.deleteOnion(id(onA, "Old"))
        try save(onB, id: id(onB, "Old"), "Old", "edited on B")
        // A task each under the same free number; a title change on one side only.
        try onA.addTask(secret("task from A"))
        try onB.addTask(secret("task from B"))
        try save(onB, id: id(onB, "Groceries"), "Shopping", "milk\neggs\nbread\nbutter\n")
        XCTAssertNotNil(try onA.syncNow().offline)

        try setOnline(true, a, b)
        let first = try onA.syncNow()
        XCTAssertNil(first.offline)
        let second = try onB.syncNow()
        try onA.syncNow()

        for session in [onA, onB] {
            XCTAssertEqual(titles(session), ["Old", "Plans", "Plans (conflict 2)", "Shopping"])
            XCTAssertEqual(try info(session, "Shopping"), "cheese\nmilk\neggs\nbread\nbutter\n")
            XCTAssertEqual(try info(session, "Old"), "edited on B")
            XCTAssertEqual(try info(session, "Plans"), "monday gym\ntuesday\n")
            XCTAssertEqual(try info(session, "Plans (conflict 2)"), "monday dentist\ntuesday\n")
            XCTAssertEqual(tasks(session), ["0 shared task", "1 task from A", "2 task from B"])
            XCTAssertEqual(session.issues, [])
        }
        XCTAssertTrue(second.merged.contains { $0.contains("Shopping") }, "\(second.lines)")
        XCTAssertTrue(second.conflicts.contains { $0.contains("Plans (conflict 2)") }, "\(second.lines)")
        XCTAssertTrue(second.restored.contains { $0.contains("Old") }, "\(second.lines)")
        XCTAssertTrue(second.renumbered.contains { $0.contains("task from B") }, "\(second.lines)")

        // A third machine sees the same result, and a fresh log in on A finds nothing amiss.
        let c = try machine("c")
        let onC = try c.logIn("alice", "pw")
        XCTAssertEqual(titles(onC), titles(onA))
        XCTAssertEqual(onC.issues, [])
        onA.lock()
        XCTAssertEqual(try a.logIn("alice", "pw").issues, [])
    }

    func testAnEditWhileTheServerIsAwayIsPushedWhenItIsBack() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        let onB = try b.logIn("alice", "pw")
        try setOnline(false, a)

        try save(onA, "Written offline", "kept")
        XCTAssertEqual(titles(onA), ["Written offline"], "the session keeps working")
        let offline = try onA.syncNow()
        XCTAssertNotNil(offline.offline)
        XCTAssertTrue(onA.pollRemote(timeoutMs: 0), "a save is waiting to be pushed")

        try setOnline(true, a)
        let back = try onA.syncNow()
        XCTAssertNil(back.offline, "\(back.lines)")
        XCTAssertEqual(back.pushed, 2, "the title and the info")
        try onB.syncNow()
        XCTAssertEqual(titles(onB), ["Written offline"])
        XCTAssertEqual(try info(onB, "Written offline"), "kept")
    }

    /// Both machines save while apart, so the filler records every save writes changed on both
    /// sides: they are neither merged nor kept as copies, neither counted nor reported.
    func testFillersChangedOnBothMachinesAreNeitherAConflictNorCounted() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        let onB = try b.logIn("alice", "pw")
        try setOnline(false, a, b)
        try save(onA, "From A", "a")
        try onB.addTask(secret("task from B"))
        try setOnline(true, a, b)

        let first = try onA.syncNow()
        XCTAssertEqual([first.pulled, first.pushed], [0, 2], "the title and the info: \(first.lines)")
        let second = try onB.syncNow()
        XCTAssertEqual([second.pulled, second.pushed], [2, 1], "A's onion; the task: \(second.lines)")
        XCTAssertEqual(second.merged + second.conflicts + second.restored + second.renumbered, [], "\(second.lines)")
        try onA.syncNow()
        for session in [onA, onB] {
            XCTAssertEqual(titles(session), ["From A"])
            XCTAssertEqual(tasks(session), ["0 task from B"])
            XCTAssertEqual(session.issues, [])
        }
        onB.lock()
        XCTAssertEqual(try b.logIn("alice", "pw").issues, [])
    }

    func testAnotherAccountOnTheServerCannotReadChangeOrDeleteTheVault() throws {
        let a = try machine("a"), m = try machine("mallory")
        let alice = try a.signUp("alice", "pw-alice")
        try save(alice, "Private", "text")
        let mallory = try m.signUp("mallory", "pw-mallory")
        let malloryServer = try PostgresStore(url: m.url)
        // Mallory's own valid key, presented for alice's vault.
        let malloryKey = mallory.passwordKeys.authKey
        try malloryServer.authorize(vault: mallory.vault, authKey: malloryKey)
        XCTAssertThrowsError(try malloryServer.authorize(vault: alice.vault, authKey: malloryKey))
        XCTAssertThrowsError(try malloryServer.records(vault: alice.vault))
        XCTAssertThrowsError(try malloryServer.header(vault: alice.vault))
        XCTAssertThrowsError(try malloryServer.apply(vault: alice.vault, writes: [.delete(name: RecordName(Array(repeating: 1, count: 32)), expectedVersion: 0)]))
        XCTAssertThrowsError(try malloryServer.deleteVault(alice.vault))
        XCTAssertEqual(titles(mallory), [])
        // Alice's vault is whole.
        let b = try machine("b")
        let onB = try b.logIn("alice", "pw-alice")
        XCTAssertEqual(titles(onB), ["Private"])
        XCTAssertEqual(onB.issues, [])
    }

}
