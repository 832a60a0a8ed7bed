import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

/// A conflict copy names, in its history, the version and machine it came from, and the other
/// side of the conflict comes back in one step: through the PostgreSQL test server, two machines.
final class SyncConflictOriginTests: SyncTestCase {
    /// A and B change the same line of "Plans" while apart; A syncs first, so B's version
    /// becomes "Plans (conflict 2)" on both.
    private func conflict() throws -> (onA: Session, onB: Session, plans: ItemID) {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        let onB = try b.logIn("alice", "pw")
        let plans = try save(onA, "Plans", "monday\ntuesday\n")
        try onB.syncNow()
        try setOnline(false, a, b)
        try save(onA, id: plans, "Plans", "monday gym\ntuesday\n")
        try save(onB, id: plans, "Plans", "monday dentist\ntuesday\n")
        try setOnline(true, a, b)
        try onA.syncNow()
        try onB.syncNow()
        try onA.syncNow()
        for session in [onA, onB] {
            XCTAssertEqual(titles(session), ["Plans", "Plans (conflict 2)"])
            XCTAssertEqual(try info(session, "Plans (conflict 2)"), "monday dentist\ntuesday\n")
        }
        return (onA, onB, plans)
    }

    func testTheCopysHistoryNamesTheOtherMachineAndTheVersionItCameFrom() throws {
        let (onA, onB, plans) = try conflict()
        // On B, which made the copy: B's own version of "Plans", which B still holds.
        let onBSource = try XCTUnwrap(try onB.conflictSource(of: .onion(id(onB, "Plans (conflict 2)"))))
        XCTAssertEqual(onBSource.origin.item, .onion(plans))
        XCTAssertEqual(onBSource.origin.machine, onB.thisMachine)
        XCTAssertTrue(onBSource.originalListed)
        let number = try XCTUnwrap(onBSource.version, "B holds the version the copy came from")
        let copied = try XCTUnwrap(try onB.versions(of: .onion(plans)).first { $0.number == number })
        XCTAssertEqual(copied.machine, onB.thisMachine)
        XCTAssertEqual(copied.commit, onBSource.origin.commit)
        XCTAssertFalse(copied.isCurrent, "the server's side is the current one")
        let texts = try onB.texts(of: copied, of: .onion(plans))
        defer { texts.wipe() }
        XCTAssertEqual(text(texts.info), "monday dentist\ntuesday\n")

        // On A, the copy came from the other machine, B, with the same version.
        let copyOnA = try id(onA, "Plans (conflict 2)")
        let onASource = try XCTUnwrap(try onA.conflictSource(of: .onion(copyOnA)))
        XCTAssertEqual(onASource.origin.item, .onion(plans))
        XCTAssertEqual(onASource.origin.machine, onB.thisMachine)
        XCTAssertNotEqual(onASource.origin.machine, onA.thisMachine)
        XCTAssertEqual(onASource.origin.commit, onBSource.origin.commit)
        XCTAssertEqual(onASource.origin.time, copied.time)
        XCTAssertEqual(try onA.versions(of: .onion(copyOnA)).first?.origin, onASource.origin)
        XCTAssertNil(try onA.conflictSource(of: .onion(plans)), "the original is no copy")
        XCTAssertEqual(onA.issues + onB.issues, [])
    }

    func testTheOtherSideIsRestoredInOneStepAndNothingIsLost() throws {
        let (onA, onB, plans) = try conflict()
        let copy = try id(onA, "Plans (conflict 2)")
        let before = try onA.versions(of: .onion(plans))
        XCTAssertEqual(try onA.restoreOtherSide(.onion(copy)), .onion(plans))
        XCTAssertEqual(titles(onA), ["Plans"])
        XCTAssertEqual(try info(onA, "Plans"), "monday dentist\ntuesday\n")
        let after = try onA.versions(of: .onion(plans))
        XCTAssertEqual(after.count, before.count + 1, "the version it replaced is kept")
        let kept = try onA.texts(of: after[after.count - 2], of: .onion(plans))
        defer { kept.wipe() }
        XCTAssertEqual(text(kept.info), "monday gym\ntuesday\n")
        let trash = try onA.trash()
        defer { onA.forget(trash) }
        XCTAssertEqual(trash.map { onA.texts.string($0.label) }, ["Plans (conflict 2)"], "the copy is in the trash")

        onA.pushPending()
        try onB.syncNow()
        XCTAssertEqual(titles(onB), ["Plans"])
        XCTAssertEqual(try info(onB, "Plans"), "monday dentist\ntuesday\n")
        XCTAssertThrowsError(try onA.restoreOtherSide(.onion(plans)), "the original is no copy")
    }

    func testACardCopyGoesBackOverTheCardAndOpensWithItsOwnPassword() throws {
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "pw")
        let onB = try b.logIn("alice", "pw")
        let kdf = ScryptParameters(logN: 10, r: 8, p: 1)
        let bob = try onA.saveCard(id: nil, recipient: secret("Bob"), description: secret("door 1234"),
                                   cardPassword: secret("card"), kdf: kdf)
        onA.pushPending()
        try onB.syncNow()
        try setOnline(false, a, b)
        try onA.saveCard(id: bob, recipient: secret("Bob"), description: secret("door 5678"), cardPassword: secret("card"), kdf: kdf)
        try onB.saveCard(id: bob, recipient: secret("Bob"), description: secret("door 9999"), cardPassword: secret("mine"), kdf: kdf)
        try setOnline(true, a, b)
        try onA.syncNow()
        try onB.syncNow()
        try onA.syncNow()
        let copy = try XCTUnwrap(onA.cards.first { onA.texts.string($0.recipient) == "Bob (conflict 2)" }).id
        let source = try XCTUnwrap(try onA.conflictSource(of: .card(copy)))
        XCTAssertEqual(source.origin.item, .card(bob))
        XCTAssertEqual(source.origin.machine, onB.thisMachine)

        XCTAssertEqual(try onA.restoreOtherSide(.card(copy)), .card(bob))
        XCTAssertEqual(onA.cards.map { onA.texts.string($0.recipient) }, ["Bob"])
        XCTAssertEqual(text(try onA.openCard(bob, password: secret("mine"))), "door 9999")
    }
}
