import OnionsCore
import OnionsCrypto
import XCTest

/// What a sync makes of an onion both machines changed while apart: A's edits reach the server
/// first, then B syncs and merges.
final class MergeOnionTests: MemorySyncTestCase {
    private func withGroceries(_ info: String) throws -> (Session, Session) {
        try twoMachines { try self.save($0, "Groceries", info) }
    }

    func testAnEditOnOneMachineIsAnnouncedToTheOtherAndTakenAsItIs() throws {
        let (onA, onB) = try withGroceries("milk\n")
        XCTAssertFalse(onB.pollRemote(timeoutMs: 0))
        try edit(onA, "Groceries", info: "milk\neggs\n")
        XCTAssertTrue(onB.pollRemote(timeoutMs: 0), "B is told of A's save")
        let report = try onB.syncNow()
        XCTAssertGreaterThan(report.pulled, 0)
        XCTAssertEqual(report.merged + report.conflicts, [])
        XCTAssertEqual(try onions(onB), ["Groceries: milk\neggs\n"])
        XCTAssertFalse(onA.pollRemote(timeoutMs: 0), "A is not told of its own save")
    }

    func testEditsOfLinesApartAreMerged() throws {
        let (onA, onB) = try withGroceries("milk\neggs\nbread\nbutter\n")
        let report = try apart(onA, onB,
                               a: { try self.edit($0, "Groceries", info: "oat milk\neggs\nbread\nbutter\n") },
                               b: { try self.edit($0, "Groceries", info: "milk\neggs\nbread\nsalted butter\n") })
        for session in [onA, onB] {
            XCTAssertEqual(try onions(session), ["Groceries: oat milk\neggs\nbread\nsalted butter\n"])
        }
        XCTAssertEqual(report.merged.count, 1, "\(report.lines)")
        XCTAssertEqual(report.conflicts, [])
    }

    func testEditsOfTheSameLineKeepThisMachinesAsAConflictCopy() throws {
        let (onA, onB) = try withGroceries("milk\neggs\n")
        let report = try apart(onA, onB,
                               a: { try self.edit($0, "Groceries", info: "oat milk\neggs\n") },
                               b: { try self.edit($0, "Groceries", info: "soy milk\neggs\n") })
        for session in [onA, onB] {
            XCTAssertEqual(try onions(session), ["Groceries: oat milk\neggs\n",
                                                 "Groceries (conflict 2): soy milk\neggs\n"])
        }
        XCTAssertEqual(report.conflicts.count, 1, "\(report.lines)")
        XCTAssertTrue(report.conflicts.first?.contains("Groceries (conflict 2)") == true, "\(report.lines)")
    }

    func testEditsOfNeighbouringLinesAreMerged() throws {
        let (onA, onB) = try withGroceries("milk\neggs\nbread\n")
        let report = try apart(onA, onB,
                               a: { try self.edit($0, "Groceries", info: "oat milk\neggs\nbread\n") },
                               b: { try self.edit($0, "Groceries", info: "milk\nsix eggs\nbread\n") })
        for session in [onA, onB] {
            XCTAssertEqual(try onions(session), ["Groceries: oat milk\nsix eggs\nbread\n"])
        }
        XCTAssertEqual(report.merged.count, 1, "\(report.lines)")
        XCTAssertEqual(report.conflicts, [])
    }

    func testALineAddedNextToALineChangedOnTheOtherMachineIsMerged() throws {
        let (onA, onB) = try withGroceries("milk\neggs\n")
        try apart(onA, onB,
                  a: { try self.edit($0, "Groceries", info: "milk\nsix eggs\n") },
                  b: { try self.edit($0, "Groceries", info: "milk\neggs\nbread\n") })
        for session in [onA, onB] {
            XCTAssertEqual(try onions(session), ["Groceries: milk\nsix eggs\nbread\n"])
        }
    }

    func testAnOnionDeletedHereAndEditedOnTheServerKeepsTheEdit() throws {
        let (onA, onB) = try withGroceries("milk\n")
        let report = try apart(onA, onB,
                               a: { try self.edit($0, "Groceries", info: "milk\neggs\n") },
                               b: { try $0.deleteOnion(self.id($0, "Groceries")) })
        for session in [onA, onB] {
            XCTAssertEqual(try onions(session), ["Groceries: milk\neggs\n"])
        }
        XCTAssertEqual(report.restored.count, 1, "\(report.lines)")
    }

    func testAnOnionEditedHereAndDeletedOnTheServerKeepsTheEdit() throws {
        let (onA, onB) = try withGroceries("milk\n")
        let report = try apart(onA, onB,
                               a: { try $0.deleteOnion(self.id($0, "Groceries")) },
                               b: { try self.edit($0, "Groceries", info: "milk\neggs\n") })
        for session in [onA, onB] {
            XCTAssertEqual(try onions(session), ["Groceries: milk\neggs\n"])
        }
        XCTAssertEqual(report.restored.count, 1, "\(report.lines)")
    }

    func testAnOnionDeletedOnBothMachinesStaysDeleted() throws {
        let (onA, onB) = try withGroceries("milk\n")
        let report = try apart(onA, onB,
                               a: { try $0.deleteOnion(self.id($0, "Groceries")) },
                               b: { try $0.deleteOnion(self.id($0, "Groceries")) })
        XCTAssertEqual(titles(onA) + titles(onB), [])
        XCTAssertEqual(report.restored + report.conflicts, [])
    }

    func testATitleRenamedOnBothMachinesKeepsThisMachinesAsAConflictCopy() throws {
        let (onA, onB) = try withGroceries("milk\n")
        let report = try apart(onA, onB,
                               a: { try self.edit($0, "Groceries", title: "Shopping", info: "milk\n") },
                               b: { try self.edit($0, "Groceries", title: "To buy", info: "milk\n") })
        for session in [onA, onB] {
            XCTAssertEqual(try onions(session), ["Shopping: milk\n", "To buy (conflict 2): milk\n"])
        }
        XCTAssertEqual(report.conflicts.count, 1, "\(report.lines)")
    }

    func testTheSameRenameOnBothMachinesIsTakenOnce() throws {
        let (onA, onB) = try withGroceries("milk\neggs\nbread\n")
        try apart(onA, onB,
                  a: { try self.edit($0, "Groceries", title: "Shopping", info: "oat milk\neggs\nbread\n") },
                  b: { try self.edit($0, "Groceries", title: "Shopping", info: "milk\neggs\nrye bread\n") })
        for session in [onA, onB] {
            XCTAssertEqual(try onions(session), ["Shopping: oat milk\neggs\nrye bread\n"])
        }
    }

    func testATitleRenamedOnTheServerAndTheInfoChangedHereAreMerged() throws {
        let (onA, onB) = try withGroceries("milk\n")
        let report = try apart(onA, onB,
                               a: { try self.edit($0, "Groceries", title: "Shopping", info: "milk\n") },
                               b: { try self.edit($0, "Groceries", info: "milk\neggs\n") })
        for session in [onA, onB] {
            XCTAssertEqual(try onions(session), ["Shopping: milk\neggs\n"])
        }
        XCTAssertEqual(report.merged.count, 1, "\(report.lines)")
        XCTAssertEqual(report.conflicts, [])
    }

    func testATitleRenamedHereAndTheInfoChangedOnTheServerAreMerged() throws {
        let (onA, onB) = try withGroceries("milk\n")
        try apart(onA, onB,
                  a: { try self.edit($0, "Groceries", info: "milk\neggs\n") },
                  b: { try self.edit($0, "Groceries", title: "Shopping", info: "milk\n") })
        for session in [onA, onB] {
            XCTAssertEqual(try onions(session), ["Shopping: milk\neggs\n"])
        }
    }
}

/// The folder of an onion both machines touched while apart.
final class MergeFolderTests: MemorySyncTestCase {
    func folder(_ session: Session, _ title: String) throws -> String {
        session.folder(try XCTUnwrap(session.onions.first { session.title($0) == title }))
    }

    func testAMoveOnOneMachineAndAnEditOnTheOtherAreBothKept() throws {
        let (onA, onB) = try twoMachines { try $0.saveOnion(id: nil, title: self.secret("Mail"), info: self.secret("a\n")) }
        try apart(onA, onB,
                  a: { try $0.moveOnion(try self.id($0, "Mail"), folder: self.secret("web/mail")) },
                  b: { try $0.saveOnion(id: try self.id($0, "Mail"), title: self.secret("Mail"), info: self.secret("a\nb\n")) })
        for session in [onA, onB] {
            XCTAssertEqual(try onions(session), ["Mail: a\nb\n"])
            XCTAssertEqual(try folder(session, "Mail"), "web/mail")
        }
    }

    func testAMoveOnTheMachineThatSyncsSecondIsKept() throws {
        let (onA, onB) = try twoMachines { try $0.saveOnion(id: nil, title: self.secret("Mail"), info: self.secret("a\n")) }
        try apart(onA, onB,
                  a: { try $0.saveOnion(id: try self.id($0, "Mail"), title: self.secret("Mail"), info: self.secret("a\nb\n")) },
                  b: { try $0.moveOnion(try self.id($0, "Mail"), folder: self.secret("home")) })
        for session in [onA, onB] {
            XCTAssertEqual(try onions(session), ["Mail: a\nb\n"])
            XCTAssertEqual(try folder(session, "Mail"), "home")
        }
    }
}
