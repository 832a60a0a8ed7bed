import OnionsCore
import OnionsCrypto
import XCTest

/// What a sync makes of a card both machines changed while apart: a card cannot be merged.
final class MergeCardTests: MemorySyncTestCase {
    private func withCard() throws -> (Session, Session) {
        try twoMachines { try self.saveCard($0, id: nil, "Bob", "door code 1234", password: "card") }
    }

    private func saveCard(_ session: Session, id: ItemID?, _ recipient: String, _ description: String,
                          password: String) throws {
        try session.saveCard(id: id, recipient: secret(recipient), description: secret(description),
                             cardPassword: secret(password), kdf: MemoryMachine.cheap)
    }

    private func card(_ session: Session, _ recipient: String) throws -> ItemID {
        try XCTUnwrap(session.cards.first { session.texts.string($0.recipient) == recipient },
                      "no card for '\(recipient)'").id
    }

    private func open(_ session: Session, _ recipient: String, password: String) throws -> String {
        text(try session.openCard(card(session, recipient), password: secret(password)))
    }

    func testACardChangedOnBothMachinesKeepsThisMachinesAsACopy() throws {
        let (onA, onB) = try withCard()
        let report = try apart(onA, onB,
                               a: { try self.saveCard($0, id: self.card($0, "Bob"), "Bob", "door code 5678", password: "card") },
                               b: { try self.saveCard($0, id: self.card($0, "Bob"), "Bob", "door code 9999", password: "mine") })
        for session in [onA, onB] {
            XCTAssertEqual(recipients(session), ["Bob", "Bob (conflict 2)"])
            XCTAssertEqual(try open(session, "Bob", password: "card"), "door code 5678")
            XCTAssertEqual(try open(session, "Bob (conflict 2)", password: "mine"), "door code 9999")
        }
        XCTAssertEqual(report.conflicts.count, 1, "\(report.lines)")
        XCTAssertTrue(report.conflicts.first?.contains("Bob (conflict 2)") == true, "\(report.lines)")
    }

    func testACardDeletedOnOneMachineAndChangedOnTheOtherKeepsTheChange() throws {
        let (onA, onB) = try withCard()
        let report = try apart(onA, onB,
                               a: { try self.saveCard($0, id: self.card($0, "Bob"), "Bob", "door code 5678", password: "card") },
                               b: { try $0.deleteCard(self.card($0, "Bob")) })
        for session in [onA, onB] {
            XCTAssertEqual(recipients(session), ["Bob"])
            XCTAssertEqual(try open(session, "Bob", password: "card"), "door code 5678")
        }
        XCTAssertEqual(report.restored.count, 1, "\(report.lines)")
    }
}
