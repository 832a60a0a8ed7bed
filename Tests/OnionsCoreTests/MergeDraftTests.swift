import OnionsCore
import OnionsCrypto
import XCTest

/// What a sync makes of the unsaved drafts both machines sealed while apart.
final class MergeDraftTests: MemorySyncTestCase {
    private func draft(_ title: String, _ info: String) -> Draft {
        Draft(target: nil, title: secret(title), info: secret(info))
    }

    /// Each machine's draft is its own: both are kept apart, neither becomes an onion, and each
    /// comes back only on the machine that typed it.
    func testTheDraftsOfTwoMachinesStayEachOnItsOwnMachine() throws {
        let (onA, onB) = try twoMachines()
        let report = try apart(onA, onB,
                               a: { try $0.saveDraft(self.draft("Letter", "Dear Ann")) },
                               b: { try $0.saveDraft(self.draft("Letter", "Dear Bea")) })
        XCTAssertEqual(try onions(onA) + onions(onB), [])
        XCTAssertEqual(report.conflicts, [], "\(report.lines)")
        onA.lock()
        onB.lock()
        let againA = try a.logIn("alice", "pw"), againB = try b.logIn("alice", "pw")
        XCTAssertEqual(againA.draft.map { text($0.info) }, "Dear Ann")
        XCTAssertEqual(againB.draft.map { text($0.info) }, "Dear Bea")
        // A third machine restores neither.
        let c = MemoryMachine("c", server: server, directory: directory)
        let onC = try c.logIn("alice", "pw")
        XCTAssertNil(onC.draft)
        XCTAssertEqual(try onions(onC), [])
    }

    func testTheSameDraftOnBothMachinesMakesNoCopy() throws {
        let (onA, onB) = try twoMachines()
        let report = try apart(onA, onB,
                               a: { try $0.saveDraft(self.draft("Letter", "Dear Ann")) },
                               b: { try $0.saveDraft(self.draft("Letter", "Dear Ann")) })
        XCTAssertEqual(titles(onA) + titles(onB), [])
        XCTAssertEqual(report.conflicts, [])
    }
}
