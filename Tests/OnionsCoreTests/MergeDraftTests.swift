import OnionsCore
import OnionsCrypto
import XCTest

/// What a sync makes of the unsaved drafts both machines sealed while apart.
final class MergeDraftTests: MemorySyncTestCase {
    private func draft(_ title: String, _ info: String) -> Draft {
        Draft(target: nil, title: secret(title), info: secret(info))
    }

    func testDraftsThatDifferKeepThisMachinesAsAnOnion() throws {
        let (onA, onB) = try twoMachines()
        let report = try apart(onA, onB,
                               a: { try $0.saveDraft(self.draft("Letter", "Dear Ann")) },
                               b: { try $0.saveDraft(self.draft("Letter", "Dear Bea")) })
        for session in [onA, onB] {
            XCTAssertEqual(try onions(session), ["Letter (conflict 2): Dear Bea"])
        }
        XCTAssertEqual(report.conflicts.count, 1, "\(report.lines)")
        // The server's draft stays the draft: a new log in restores it.
        let c = MemoryMachine("c", server: server, directory: directory)
        let onC = try c.logIn("alice", "pw")
        XCTAssertEqual(onC.draft.map { text($0.info) }, "Dear Ann")
        XCTAssertEqual(try onions(onC), ["Letter (conflict 2): Dear Bea"])
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
