import Foundation
import XCTest

/// The agent keeps the vault open and reads again only what may have changed since its last
/// command; whatever changed the store, a command through it reports what a fresh process
/// reports.
final class AgentCatchUpTests: XCTestCase {
    static let notes = [(title: "Garden", info: "plant tulips\nwater the roses"),
                        (title: "Bank", info: "account 1234\nbranch downtown")]

    /// A record changed through SQLite between two commands.
    func testATamperThroughSQLiteIsReportedAsAFreshProcessReportsIt() throws {
        let a = try AgentVault(for: self, onions: Self.notes)
        try a.startAgent()
        XCTAssertEqual(try a.command(["list"]).status, 0)
        try flipARecordAFreshProcessReads(a, Self.flipThroughSQLite)
        try assertSameAsAFreshProcess(a, ["list"])
        try assertSameAsAFreshProcess(a, ["grep", "tulips"])
    }

    /// Bytes changed in the file around SQLite (its pages may sit in the agent's cache, and no
    /// commit told it): still reported as a fresh process reports them.
    func testBytesChangedInTheFileAroundSQLiteAreReportedAsAFreshProcessReportsThem() throws {
        let a = try AgentVault(for: self, onions: Self.notes)
        try a.startAgent()
        XCTAssertEqual(try a.command(["list"]).status, 0)
        XCTAssertEqual(try a.command(["show", "Garden"]).stdoutText, "plant tulips\nwater the roses\n")
        try flipARecordAFreshProcessReads(a, Self.flipInTheFile)
        let list = try assertSameAsAFreshProcess(a, ["list"])
        XCTAssertEqual(list.status, 1, "a changed record is reported: \(list.stderrText)")
        try assertSameAsAFreshProcess(a, ["show", "Garden"])
    }

    /// Nothing changed: the next command answers from memory and says the same as before;
    /// then another process saves, and the agent's next command shows it.
    func testAnotherProcessesSaveIsSeenAtTheNextCommand() throws {
        let a = try AgentVault(for: self, onions: Self.notes)
        try a.startAgent()
        XCTAssertEqual(try a.command(["list"]).stdoutText, "Bank\nGarden\n")
        XCTAssertEqual(try a.command(["list"]).stdoutText, "Bank\nGarden\n")
        XCTAssertEqual(try a.withPassword(["add", "--title", "Later", "--info-file", "/dev/null"]).status, 0)
        XCTAssertEqual(try a.command(["list"]).stdoutText, "Later\nBank\nGarden\n")
        XCTAssertEqual(try a.withPassword(["rm", "Bank"]).status, 0)
        XCTAssertEqual(try a.command(["show", "Bank"]).status, 1, "an onion removed by another process is gone")
    }

    /// Runs `arguments` through the agent and in a fresh process and checks they agree.
    @discardableResult
    private func assertSameAsAFreshProcess(_ a: AgentVault, _ arguments: [String],
                                           file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        let agent = try a.command(arguments)
        let fresh = try a.withPassword(arguments)
        XCTAssertEqual(agent.status, fresh.status, "\(arguments): \(agent.stderrText) / \(fresh.stderrText)",
                       file: file, line: line)
        XCTAssertEqual(agent.stdoutText, fresh.stdoutText, "\(arguments)", file: file, line: line)
        XCTAssertEqual(agent.stderrText, fresh.stderrText, "\(arguments)", file: file, line: line)
        XCTAssertTrue(fresh.stderrText.contains("warning"), "the change is reported: \(fresh.stderrText)",
                      file: file, line: line)
        return agent
    }

    /// Flips a byte of one record with `script` (given the store and an index), the smallest live
    /// records first: a filler or the task counter, which no command reads, is flipped back (the
    /// same flip again) and the next one tried, until a fresh process reports the change.
    private func flipARecordAFreshProcessReads(_ a: AgentVault, _ script: String,
                                               file: StaticString = #filePath, line: UInt = #line) throws {
        for index in 0..<16 {
            try Self.python(script, a.vault.store, index)
            if try a.withPassword(["list"]).stderrText.contains("warning") { return }
            try Self.python(script, a.vault.store, index)
        }
        XCTFail("no flipped record was reported by a fresh process", file: file, line: line)
    }

    /// Flips a byte in the middle of the blob of the live record at the index given (smallest
    /// first), through SQLite.
    static let flipThroughSQLite = """
        import sqlite3, sys
        db = sqlite3.connect(sys.argv[1])
        seq, blob = db.execute("SELECT seq, blob FROM records WHERE deleted = 0 ORDER BY length(blob), seq LIMIT 1 OFFSET ?",
                               (int(sys.argv[2]),)).fetchone()
        blob = bytearray(blob); blob[len(blob) // 2] ^= 0x01
        db.execute("UPDATE records SET blob = ? WHERE seq = ?", (bytes(blob), seq))
        db.commit()
        """

    /// Moves every page into the file, then flips a byte of the blob of the live record at the
    /// index given (smallest first) in the file itself, without SQLite.
    static let flipInTheFile = """
        import sqlite3, sys
        db = sqlite3.connect(sys.argv[1])
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0, "the checkpoint did not finish"
        blob = db.execute("SELECT blob FROM records WHERE deleted = 0 ORDER BY length(blob), seq LIMIT 1 OFFSET ?",
                          (int(sys.argv[2]),)).fetchone()[0]
        db.close()
        data = open(sys.argv[1], "rb").read()
        piece = blob[16:48]
        at = data.find(piece)
        assert at >= 0 and data.find(piece, at + 1) < 0, "the record's bytes are not in the file once"
        with open(sys.argv[1], "r+b") as f:
            f.seek(at + 8)
            byte = f.read(1)
            f.seek(at + 8)
            f.write(bytes([byte[0] ^ 0x01]))
        """

    static func python(_ script: String, _ store: String, _ index: Int) throws {
        let result = try Harness.run("/usr/bin/python3", ["-c", script, store, String(index)])
        XCTAssertEqual(result.status, 0, result.stderrText)
    }
}
