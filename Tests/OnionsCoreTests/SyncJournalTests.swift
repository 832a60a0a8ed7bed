@testable import OnionsCore
import OnionsCrypto
import XCTest

/// Two machines whose saves apart left changes in their roots' journals (FORMAT.md section 8):
/// the join writes them into the parts, loses none, and a third machine reads what both hold.
final class SyncJournalTests: MemorySyncTestCase {
    func testAJoinOfTwoJournalsLosesNothingAndJournalsNothing() throws {
        let (onA, onB) = try twoMachines { session in
            for n in 0..<24 { try self.save(session, "Onion \(n)", "first \(n)") }
        }
        try onB.syncNow()
        try apart(onA, onB, a: { a in
            for n in 0..<9 { try self.edit(a, "Onion \(n)", info: "from A \(n)") }
            for n in 0..<4 { try self.save(a, "New on A \(n)", "a") }
            try a.deleteOnion(try self.id(a, "Onion 20"))
        }, b: { b in
            for n in 10..<19 { try self.edit(b, "Onion \(n)", info: "from B \(n)") }
            for n in 0..<4 { _ = try b.addTask(self.secret("task \(n)")) }
            try b.deleteOnion(try self.id(b, "Onion 21"))
        })
        XCTAssertTrue(onB.manifest.dirty.isEmpty, "the join's manifest journals nothing")
        var expected = (0..<24).filter { $0 != 20 && $0 != 21 }.map { n -> String in
            let info = n < 9 ? "from A \(n)" : (10..<19).contains(n) ? "from B \(n)" : "first \(n)"
            return "Onion \(n): \(info)"
        }
        expected += (0..<4).map { "New on A \($0): a" }
        XCTAssertEqual(Set(try onions(onA)), Set(expected))
        XCTAssertEqual(try onions(onB), try onions(onA))
        XCTAssertEqual(try onions(onA).count, expected.count)
        XCTAssertEqual(tasks(onA), tasks(onB))
        XCTAssertEqual(tasks(onB).count, 4)

        // More saves on both after the join journal again; a third machine reads it all.
        try edit(onA, "Onion 1", info: "after")
        try onB.syncNow()
        try edit(onB, "Onion 2", info: "after too")
        try onA.syncNow()
        let c = MemoryMachine("c", server: server, directory: directory)
        let onC = try c.logIn("alice", "pw")
        XCTAssertEqual(onC.issues, [])
        XCTAssertEqual(try onions(onC), try onions(onA))
        XCTAssertEqual(try onions(onC), try onions(onB))
        XCTAssertEqual(try info(onC, "Onion 1"), "after")
        XCTAssertEqual(try info(onC, "Onion 2"), "after too")
        XCTAssertEqual(tasks(onC), tasks(onA))
    }

    /// What sat in both journals before the machines went apart (saved and sent, its part not
    /// written since) is in the join's parts too, though neither side changed it apart.
    func testAJoinKeepsWhatTheJournalsHeldBeforeTheMachinesWentApart() throws {
        let (onA, onB) = try twoMachines { session in
            for n in 0..<12 { try self.save(session, "Onion \(n)", "first \(n)") }
            for n in 0..<6 { try self.edit(session, "Onion \(n)", info: "second \(n)") }
        }
        XCTAssertFalse(onB.manifest.dirty.isEmpty, "the control: the base journals keys")
        let before = try onions(onB)
        try apart(onA, onB, a: { try self.edit($0, "Onion 10", info: "from A") },
                  b: { try self.edit($0, "Onion 11", info: "from B") })
        XCTAssertTrue(onB.manifest.dirty.isEmpty, "the join's manifest journals nothing")
        let expected = before.map { line in
            line.hasPrefix("Onion 10:") ? "Onion 10: from A" : line.hasPrefix("Onion 11:") ? "Onion 11: from B" : line
        }
        let c = MemoryMachine("c", server: server, directory: directory)
        let onC = try c.logIn("alice", "pw")
        XCTAssertEqual(onC.issues, [])
        for session in [onA, onB, onC] { XCTAssertEqual(try onions(session), expected) }
    }
}
