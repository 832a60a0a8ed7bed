import Foundation
import XCTest

/// Issue 29 item 4: a command whose reader goes away (`| head -1`) ends quietly, as `grep` and
/// `git` do: status 0 or death by SIGPIPE, never a message; run by itself and through the agent.
/// And `onions </dev/null` (no terminal for the interface) exits 2, as the man page says.
final class ClosedPipeTests: XCTestCase {
    /// 40 onions of 2,000 bytes each, every line with an "e": grep prints far more than a pipe holds.
    static func bigVault(for test: XCTestCase) throws -> AgentVault {
        let a = try AgentVault(for: test)
        try a.startAgent()
        let line = String(repeating: "e", count: 99) + "\n"
        for i in 0..<40 {
            let title = String(format: "Onion number %03d with a title", i)
            let added = try a.command(["add", "--title", title, "--info-file", "-"],
                                      stdin: Array(String(repeating: line, count: 20).utf8))
            XCTAssertEqual(added.status, 0, added.stderrText)
        }
        return a
    }

    /// Runs `onions WORDS | head -1` in bash; the status of onions (0, or 141 for SIGPIPE), its
    /// standard error, and what head printed.
    static func headOne(_ a: AgentVault, _ words: [String]) throws -> (status: Int32, stderr: String, first: String) {
        let folder = a.vault.folder.path
        let command = ([a.vault.binary, "--store", a.vault.store, "--user", a.vault.user] + words)
            .map { "'" + $0 + "'" }.joined(separator: " ")
        let script = command + " 2>'\(folder)/pipe-err' | head -1; echo \"${PIPESTATUS[0]}\" >'\(folder)/pipe-status'"
        let run = try Harness.run("/bin/bash", ["-c", script], environment: a.environment)
        let status = try String(contentsOfFile: folder + "/pipe-status", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let stderr = try String(contentsOfFile: folder + "/pipe-err", encoding: .utf8)
        return (Int32(status) ?? -1, stderr, run.stdoutText)
    }

    /// Runs `onions WORDS` with standard output on a pipe of one page; reads its first line and
    /// closes the pipe (what `head -1` does), so the rest cannot be written.
    static func firstLineThenClose(_ a: AgentVault, _ words: [String]) throws -> (status: Int32, stderr: String, first: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: a.vault.binary)
        process.arguments = ["--store", a.vault.store, "--user", a.vault.user] + words
        process.environment = a.environment
        let pipe = Pipe()
        _ = fcntl(pipe.fileHandleForWriting.fileDescriptor, 1031 /* F_SETPIPE_SZ */, 4096)
        let errors = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = pipe
        process.standardError = errors
        try process.run()
        try pipe.fileHandleForWriting.close()
        var first: [UInt8] = []
        var byte: UInt8 = 0
        while read(pipe.fileHandleForReading.fileDescriptor, &byte, 1) == 1 {
            first.append(byte)
            if byte == 0x0a { break }
        }
        try pipe.fileHandleForReading.close()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus
            : process.terminationStatus
        return (status, String(decoding: stderr, as: UTF8.self), String(decoding: first, as: UTF8.self))
    }

    func check(_ result: (status: Int32, stderr: String, first: String), _ first: String, _ what: String,
               line: UInt = #line) {
        XCTAssertTrue(result.status == 0 || result.status == 141, "\(what): status \(result.status)", line: line)
        XCTAssertEqual(result.stderr, "", "\(what): nothing on standard error", line: line)
        XCTAssertEqual(result.first, first, what, line: line)
    }

    func testGrepAndListIntoHeadEndQuietlyThroughTheAgentAndWithout() throws {
        let a = try Self.bigVault(for: self)
        // Through the agent (no password given).
        let grep = try Self.headOne(a, ["grep", "e"])
        check(grep, "Onion number 039 with a title\n", "grep e | head -1 through the agent")
        let list = try Self.firstLineThenClose(a, ["list"])
        check(list, "Onion number 039 with a title\n", "list | head -1 through the agent")
        let tasks = try Self.headOne(a, ["list"])
        check(tasks, "Onion number 039 with a title\n", "list | head -1 through the agent (bash)")
        // By itself, with the password.
        let alone = ["--password-file", a.vault.passwordFile, "--no-agent"]
        check(try Self.headOne(a, alone + ["grep", "e"]), "Onion number 039 with a title\n", "grep e | head -1")
        check(try Self.firstLineThenClose(a, alone + ["grep", "e"]), "Onion number 039 with a title\n",
              "grep e, first line then closed")
        check(try Self.firstLineThenClose(a, alone + ["list"]), "Onion number 039 with a title\n",
              "list, first line then closed")
        // A full disk is still an error.
        let command = ([a.vault.binary, "--store", a.vault.store, "--user", a.vault.user] + alone + ["grep", "e"])
            .map { "'" + $0 + "'" }.joined(separator: " ")
        let full = try Harness.run("/bin/sh", ["-c", command + " >/dev/full"], environment: a.environment)
        XCTAssertEqual(full.status, 1, full.stderrText)
        XCTAssertTrue(full.stderrText.contains("standard output could not be written"), full.stderrText)
    }

    func testTheInterfaceWithoutATerminalIsAUsageErrorAsTheManPageSays() throws {
        let vault = try TestVault(for: self)
        let run = try Harness.run(vault.binary, ["--store", vault.store], environment: vault.environment)
        XCTAssertEqual(run.status, 2, run.stderrText)
        XCTAssertTrue(run.stderrText.contains("needs a terminal"), run.stderrText)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let man = try String(contentsOfFile: root.appendingPathComponent("Resources/onions.1").path, encoding: .utf8)
        XCTAssertTrue(man.contains("no terminal for the interface"), "the man page names the case")
    }
}
