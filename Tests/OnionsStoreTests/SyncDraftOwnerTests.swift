// A draft belongs to the machine that typed it: two machines through the PostgreSQL test
// server, each with its own store and state folder. Needs ONIONS_TEST_PG_URL.

import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

final class SyncDraftOwnerTests: SyncTestCase {
    /// What the interface does with a draft it restored at log in: the person saves it as an
    /// onion, and the sealed draft is cleared.
    private func saveRestoredDraft(_ session: Session) throws {
        let draft = try XCTUnwrap(session.draft)
        _ = try session.saveOnion(id: draft.target, title: draft.title.copy(), info: draft.info.copy())
        try session.clearDraft()
        session.pushPending()
    }

    /// B types a letter and locks (Ctrl-L seals the draft, which sync sends to the server).
    /// A never restores it; B restores it once; after both saved what they were offered there
    /// is one onion, on both machines.
    func testADraftSealedOnOneMachineComesBackThereOnlyAndBecomesOneOnion() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        let onB = try b.logIn("alice", "pw")
        try onB.saveDraft(Draft(target: nil, title: secret("Letter"), info: secret("Dear Ann")))
        onB.pushPending()
        onB.lock()

        // A sees B's commit, and logs in again later: no draft either way.
        try onA.syncNow()
        XCTAssertNil(onA.draft, "the draft of machine B was restored on machine A")
        onA.lock()
        let againA = try a.logIn("alice", "pw")
        XCTAssertNil(againA.draft, "the draft of machine B was restored on machine A")
        if againA.draft != nil { try saveRestoredDraft(againA) }

        // B unlocks: its draft is back, once.
        let againB = try b.logIn("alice", "pw")
        XCTAssertEqual(againB.draft.map { text($0.info) }, "Dear Ann")
        XCTAssertEqual(againB.draft.map { text($0.title) }, "Letter")
        try saveRestoredDraft(againB)
        againB.lock()
        let thirdB = try b.logIn("alice", "pw")
        XCTAssertNil(thirdB.draft, "a saved draft came back")

        try againA.syncNow()
        try thirdB.syncNow()
        XCTAssertEqual(titles(againA), ["Letter"])
        XCTAssertEqual(titles(thirdB), ["Letter"])
        XCTAssertEqual(try info(againA, "Letter"), "Dear Ann")
        XCTAssertNil(againA.draft)
        XCTAssertEqual(againA.issues + thirdB.issues, [])
    }

    /// A draft sealed on A while B holds one of its own: neither replaces the other.
    func testTwoMachinesEachKeepTheirOwnDraft() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        let onB = try b.logIn("alice", "pw")
        try onB.saveDraft(Draft(target: nil, title: secret("From B"), info: secret("b's words")))
        onB.pushPending()
        onB.lock()
        try onA.syncNow()
        try onA.saveDraft(Draft(target: nil, title: secret("From A"), info: secret("a's words")))
        onA.pushPending()
        onA.lock()

        // B learns of A's commit before it logs in again.
        let syncB = try b.logIn("alice", "pw")
        try syncB.syncNow()
        syncB.lock()
        let againB = try b.logIn("alice", "pw"), againA = try a.logIn("alice", "pw")
        XCTAssertEqual(againB.draft.map { text($0.title) }, "From B")
        XCTAssertEqual(againA.draft.map { text($0.title) }, "From A")
        XCTAssertEqual(titles(againA) + titles(againB), [])
    }
}
