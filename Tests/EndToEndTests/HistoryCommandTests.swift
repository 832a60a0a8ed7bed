import Foundation
import XCTest

/// Versions and the trash from the command line, driving the real binary: `history`, `show
/// --version`, `restore [--version N]`, `trash`, `restore --from-trash`, `purge`, `retention`,
/// each with its exit codes and `--json`.
final class HistoryCommandTests: XCTestCase {
    private func json(_ result: ProcessResult) throws -> [String: Any] {
        XCTAssertEqual(result.status, 0, result.stderrText)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
    }

    private func edit(_ vault: ScratchVault, _ title: String, _ info: String) throws {
        let file = try vault.write("info", info)
        let result = try vault.onions(["edit", title, "--info-file", file])
        XCTAssertEqual(result.status, 0, result.stderrText)
    }

    func testHistoryShowVersionAndRestore() throws {
        let vault = try ScratchVault(for: self)
        let first = try vault.write("info", "first text")
        XCTAssertEqual(try vault.onions(["add", "--title", "Bank", "--info-file", first]).status, 0)
        try edit(vault, "Bank", "second text")
        try edit(vault, "Bank", "third text")

        let lines = try vault.onions(["history", "Bank"])
        XCTAssertEqual(lines.status, 0, lines.stderrText)
        let rows = lines.stdoutText.split(separator: "\n")
        XCTAssertEqual(rows.count, 3, lines.stdoutText)
        XCTAssertTrue(rows[0].hasPrefix("1\t") && rows[0].contains("this machine"), lines.stdoutText)
        XCTAssertTrue(rows[2].hasSuffix("(current)"), lines.stdoutText)
        XCTAssertFalse(lines.stdoutText.contains("first text"), "history lists versions, not their texts")

        let versions = try XCTUnwrap(try json(try vault.onions(["history", "Bank", "--json"]))["versions"] as? [[String: Any]])
        XCTAssertEqual(versions.map { $0["number"] as? Int }, [1, 2, 3])
        XCTAssertEqual(versions.map { $0["current"] as? Bool }, [false, false, true])
        XCTAssertTrue(versions.allSatisfy { ($0["machine"] as? String)?.count == 32 })

        let old = try vault.onions(["show", "Bank", "--version", "1"])
        XCTAssertEqual(old.status, 0, old.stderrText)
        XCTAssertEqual(old.stdoutText, "first text\n")
        let missing = try vault.onions(["show", "Bank", "--version", "9"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderrText.contains("no version 9"), missing.stderrText)

        // Without --version: the one before the current.
        XCTAssertEqual(try vault.onions(["restore", "Bank"]).status, 0)
        XCTAssertEqual(try vault.onions(["show", "Bank"]).stdoutText, "second text\n")
        XCTAssertEqual(try vault.onions(["restore", "Bank", "--version", "1"]).status, 0)
        XCTAssertEqual(try vault.onions(["show", "Bank"]).stdoutText, "first text\n")
        XCTAssertEqual(try vault.onions(["history", "Bank"]).stdoutText.split(separator: "\n").count, 5,
                       "restores are new versions")
        XCTAssertEqual(try vault.onions(["history", "Nothing"]).status, 1)
        XCTAssertEqual(try vault.onions(["restore", "Bank", "--version", "5"]).status, 1, "the current version")
    }

    func testTrashRestoreAndPurgeOfOnionsTasksAndCards() throws {
        let vault = try ScratchVault(for: self)
        let info = try vault.write("info", "kept text")
        XCTAssertEqual(try vault.onions(["add", "--title", "Gone", "--info-file", info]).status, 0)
        XCTAssertEqual(try vault.onions(["task", "add", "water ferns"]).status, 0)
        XCTAssertEqual(try vault.onions(["rm", "Gone"]).status, 0)
        XCTAssertEqual(try vault.onions(["task", "rm", "0"]).status, 0)

        let trash = try XCTUnwrap(try json(try vault.onions(["trash", "--json"]))["trash"] as? [[String: Any]])
        XCTAssertEqual(Set(trash.compactMap { $0["name"] as? String }), ["Gone", "water ferns"])
        XCTAssertEqual(Set(trash.compactMap { $0["kind"] as? String }), ["onion", "task"])
        let plain = try vault.onions(["trash"])
        XCTAssertTrue(plain.stdoutText.contains("onion\t") && plain.stdoutText.contains("\tGone"), plain.stdoutText)

        XCTAssertEqual(try vault.onions(["restore", "--from-trash", "Gone"]).status, 0)
        XCTAssertEqual(try vault.onions(["show", "Gone"]).stdoutText, "kept text\n")
        XCTAssertEqual(try vault.onions(["restore", "--from-trash", "Gone"]).status, 1, "no longer in the trash")

        let db = vault.path("vault.db")
        func keptRows() throws -> Int {
            let rows = try Harness.run("/usr/bin/sqlite3", [db, "SELECT count(*) FROM record_history"], environment: vault.environment)
            XCTAssertEqual(rows.status, 0, rows.stderrText)
            return Int(rows.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        let before = try keptRows()
        let unconfirmed = try vault.onions(["purge"])
        XCTAssertEqual(unconfirmed.status, 2, "not from a terminal: needs --yes")
        XCTAssertEqual(try keptRows(), before, "nothing purged without --yes")
        let purged = try vault.onions(["purge", "--yes", "water ferns"])
        XCTAssertEqual(purged.status, 0, purged.stderrText)
        XCTAssertEqual((try json(try vault.onions(["trash", "--json"]))["trash"] as? [[String: Any]])?.count, 0)
        XCTAssertEqual(try keptRows(), before - 1, "the task's one kept version went, the onion's stay")
        XCTAssertEqual(try vault.onions(["purge", "--yes", "water ferns"]).status, 1, "nothing of that name in the trash")
    }

    func testRetentionIsPrintedAndChanged() throws {
        let vault = try ScratchVault(for: self)
        XCTAssertEqual(try vault.onions(["retention"]).stdoutText, "versions 20\ndays 90\ntrash-days 30\n")
        XCTAssertEqual(try vault.onions(["retention", "--versions", "5", "--trash-days", "7"]).status, 0)
        XCTAssertEqual(try vault.onions(["retention"]).stdoutText, "versions 5\ndays 90\ntrash-days 7\n")
        XCTAssertEqual(try vault.onions(["retention", "--versions", "0"]).status, 2)
    }
}
