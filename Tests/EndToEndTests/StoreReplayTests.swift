import Foundation
import XCTest

/// A store rewritten behind the program's back, end to end: the command line reports it, exits
/// 1 and writes nothing until `accept-rollback`.
final class StoreReplayTests: XCTestCase {
    /// Runs one SQL statement on the vault's store with the sqlite3 shell; its output, trimmed.
    private func sql(_ vault: TestVault, _ statement: String, file: StaticString = #filePath,
                     line: UInt = #line) throws -> String {
        let result = try Harness.run("/usr/bin/sqlite3", [vault.store, statement])
        XCTAssertEqual(result.status, 0, "sqlite3: \(result.stderrText)", file: file, line: line)
        return result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The attack: keep a task's blob, delete the task, erase its tombstone, add another
    /// task (same name, at a later version), put the kept blob back.
    func testATaskReplayedAfterAHiddenDeleteIsReportedAndTheVaultIsReadOnly() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [])
        XCTAssertEqual(try vault.cli(["task", "add", "pay rent to Eve"]).status, 0)
        let live = try sql(vault, "SELECT hex(name) || ' ' || hex(blob) FROM records WHERE deleted = 0")
        let removed = try vault.cli(["task", "rm", "0"])
        XCTAssertEqual(removed.status, 0, removed.stderrText)
        // The task's tombstone: of the two records deleted now that were live before (the task
        // and its body; every save also writes two filler tombstones, whatever it saved), the
        // small one.
        let tombstones = try sql(vault, "SELECT hex(name) FROM records WHERE deleted = 1").split(separator: "\n")
        let liveRows = live.split(separator: "\n")
        let wasLive = tombstones.filter { t in liveRows.contains { $0.hasPrefix(t + " ") } }
        XCTAssertEqual(wasLive.count, 2, "two tombstones of records that were live: the task's and its body's")
        func liveLength(_ name: Substring) -> Int { liveRows.first { $0.hasPrefix(name + " ") }?.count ?? 0 }
        let name = String(try XCTUnwrap(wasLive.min { liveLength($0) < liveLength($1) }))
        let kept = try XCTUnwrap(liveRows.first { $0.hasPrefix(name + " ") }?.split(separator: " ").last)
        _ = try sql(vault, "DELETE FROM records WHERE name = X'\(name)'")

        let added = try vault.cli(["task", "add", "call mom"])
        XCTAssertEqual(added.status, 0, added.stderrText)
        // The new task lands at its save's counter, above the version the kept blob was sealed
        // for, so the blob put back under it does not open there.
        let version = try XCTUnwrap(Int(try sql(vault, "SELECT version FROM records WHERE name = X'\(name)'")))
        XCTAssertGreaterThan(version, 1)
        _ = try sql(vault, "UPDATE records SET blob = X'\(kept)' WHERE name = X'\(name)'")

        let listed = try vault.cli(["task", "list"])
        XCTAssertEqual(listed.status, 1, listed.stderrText)
        XCTAssertFalse(listed.stdoutText.contains("Eve"), listed.stdoutText)
        XCTAssertTrue(listed.stderrText.contains("task 'call mom' is damaged or was tampered with"), listed.stderrText)

        let before = try sql(vault, "SELECT count(*) || ' ' || max(seq) FROM records")
        let refused = try vault.cli(["task", "add", "written on top"])
        XCTAssertEqual(refused.status, 1, refused.stderrText)
        XCTAssertTrue(refused.stderrText.contains("read-only"), refused.stderrText)
        XCTAssertEqual(try sql(vault, "SELECT count(*) || ' ' || max(seq) FROM records"), before, "nothing written")
        let again = try vault.cli(["task", "list"])
        XCTAssertEqual(again.status, 1, "every run repeats the warning: \(again.stderrText)")

        let accepted = try vault.cli(["accept-rollback"])
        XCTAssertEqual(accepted.status, 0, accepted.stderrText)
        let after = try vault.cli(["task", "add", "going on"])
        XCTAssertEqual(after.status, 0, after.stderrText)
        XCTAssertEqual(try vault.cli(["task", "list"]).status, 0)
    }

    /// A copy of the file from before two saves put back: reported at every run, nothing saved.
    func testAnOlderCopyOfTheStoreIsReportedAtEveryRunUntilAccepted() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Groceries", "milk")])
        let copy = try Data(contentsOf: URL(fileURLWithPath: vault.store))
        XCTAssertEqual(try vault.cli(["add", "--title", "Garden"]).status, 0)
        XCTAssertEqual(try vault.cli(["rm", "Groceries"]).status, 0)
        try copy.write(to: URL(fileURLWithPath: vault.store))

        for run in 1...2 {
            let listed = try vault.cli(["list"])
            XCTAssertEqual(listed.status, 1, "run \(run): \(listed.stderrText)")
            XCTAssertTrue(listed.stderrText.contains("rolled back"), "run \(run): \(listed.stderrText)")
            let added = try vault.cli(["add", "--title", "On top \(run)"])
            XCTAssertEqual(added.status, 1, "run \(run): \(added.stderrText)")
        }
        XCTAssertEqual(try vault.cli(["accept-rollback"]).status, 0)
        let listed = try vault.cli(["list"])
        XCTAssertEqual(listed.status, 0, listed.stderrText)
        XCTAssertEqual(listed.stdoutText, "Groceries\n", "the older state, nothing written on top")
    }
}
