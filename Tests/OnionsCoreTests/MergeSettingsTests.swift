import OnionsCore
import OnionsCrypto
import XCTest

/// What a sync makes of settings both machines changed while apart.
final class MergeSettingsTests: MemorySyncTestCase {
    func testAnOrderChosenOnOneMachineAndAPinOnTheOtherAreBothKept() throws {
        let (onA, onB) = try twoMachines {
            try self.save($0, "banana", "")
            try self.save($0, "apple", "")
        }
        let report = try apart(onA, onB,
                               a: { try $0.setListOrder(.title) },
                               b: { try $0.setPinned(try self.id($0, "banana"), true) })
        for session in [onA, onB] {
            XCTAssertEqual(session.settings.order, .title)
            XCTAssertEqual(session.settings.pinned, [try id(session, "banana")])
        }
        XCTAssertEqual(report.merged.count, 1, "\(report.lines)")
        XCTAssertEqual(report.conflicts, [])
    }

    func testAnUnpinOnOneMachineStaysWhenTheOtherPinsSomethingElse() throws {
        let (onA, onB) = try twoMachines {
            try self.save($0, "banana", "")
            try self.save($0, "apple", "")
            try $0.setPinned(try self.id($0, "banana"), true)
        }
        XCTAssertEqual(onB.settings.pinned.count, 1)
        try apart(onA, onB,
                  a: { try $0.setPinned(try self.id($0, "banana"), false) },
                  b: { try $0.setPinned(try self.id($0, "apple"), true) })
        for session in [onA, onB] {
            XCTAssertEqual(session.settings.pinned, [try id(session, "apple")])
        }
    }

    func testTheTaskOrderMovedLaterWins() throws {
        let (onA, onB) = try twoMachines { s in
            for text in ["a", "b", "c"] { try s.addTask(self.secret(text)) }
        }
        try apart(onA, onB,
                  a: { try $0.moveTask(0, by: 2) },
                  b: { _ = usleep(2_000); try $0.moveTask(2, by: -2) })
        for session in [onA, onB] {
            XCTAssertEqual(session.orderedTasks.map(\.id), [2, 0, 1])
        }
    }
}
