import OnionsCore
import OnionsCrypto
import XCTest

/// What a sync makes of tasks both machines changed while apart.
final class MergeTaskTests: MemorySyncTestCase {
    private func withTask(_ text: String) throws -> (Session, Session) {
        try twoMachines { try $0.addTask(self.secret(text)) }
    }

    func testTasksAddedOnBothMachinesUnderTheSameNumberAreBothKept() throws {
        let (onA, onB) = try withTask("call mom")
        let report = try apart(onA, onB,
                               a: { XCTAssertEqual(try $0.addTask(self.secret("water plants")), 1) },
                               b: { XCTAssertEqual(try $0.addTask(self.secret("pay rent")), 1) })
        for session in [onA, onB] {
            XCTAssertEqual(tasks(session), ["0 call mom", "1 water plants", "2 pay rent"])
        }
        XCTAssertEqual(report.renumbered.count, 1, "\(report.lines)")
        XCTAssertTrue(report.renumbered.first?.contains("pay rent") == true, "\(report.lines)")
        XCTAssertEqual(report.conflicts, [])
    }

    func testATaskEditedOnOneMachineAndMarkedDoneOnTheOtherIsMerged() throws {
        let (onA, onB) = try withTask("call mom")
        let report = try apart(onA, onB,
                               a: { try $0.editTask(0, text: self.secret("call mom at six")) },
                               b: { try $0.setTask(0, done: true) })
        for session in [onA, onB] {
            XCTAssertEqual(tasks(session), ["0 call mom at six done"])
        }
        XCTAssertEqual(report.merged.count, 1, "\(report.lines)")
        XCTAssertEqual(report.conflicts, [])
    }

    func testATaskMarkedDoneOnOneMachineAndEditedOnTheOtherIsMerged() throws {
        let (onA, onB) = try withTask("call mom")
        try apart(onA, onB,
                  a: { try $0.setTask(0, done: true) },
                  b: { try $0.editTask(0, text: self.secret("call mom at six")) })
        for session in [onA, onB] {
            XCTAssertEqual(tasks(session), ["0 call mom at six done"])
        }
    }

    func testATaskRewordedOnBothMachinesKeepsThisMachinesAsAConflictCopy() throws {
        let (onA, onB) = try withTask("call mom")
        let report = try apart(onA, onB,
                               a: { try $0.editTask(0, text: self.secret("call mom at six")) },
                               b: { try $0.editTask(0, text: self.secret("call mom at seven")) })
        for session in [onA, onB] {
            XCTAssertEqual(tasks(session), ["0 call mom at six", "1 call mom at seven (conflict 2)"])
        }
        XCTAssertEqual(report.conflicts.count, 1, "\(report.lines)")
        XCTAssertEqual(report.renumbered, [])
    }

    func testATaskDeletedOnOneMachineAndMarkedDoneOnTheOtherKeepsIt() throws {
        let (onA, onB) = try withTask("call mom")
        let report = try apart(onA, onB,
                               a: { try $0.deleteTask(0) },
                               b: { try $0.setTask(0, done: true) })
        for session in [onA, onB] {
            XCTAssertEqual(tasks(session), ["0 call mom done"])
        }
        XCTAssertEqual(report.restored.count, 1, "\(report.lines)")
    }
}
