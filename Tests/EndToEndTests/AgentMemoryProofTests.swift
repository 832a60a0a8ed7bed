import Foundation
import XCTest

/// DESIGN.md section 4's promise for `onions agent` (ONIONS_BIN): after `onions lock` and after
/// its idle time, a memory dump of the agent holds no password, key or text.
///
/// Each run makes a vault with a random marker for a password and an onion of markers (without
/// the agent), starts the agent, and through it makes and opens a card, shows the onion,
/// searches for the info's marker and lists; then another writer adds an onion and the agent
/// catches up with it (its incremental state). It dumps the agent with gdb's `gcore` before the
/// lock (the markers and the data key must be found: the search works) and after (nothing may
/// be found), looking for every marker in UTF-8, UTF-16 and UTF-32 and for the vault's keys
/// and the card's key derived again from the store. Five runs for each way of locking.
final class AgentMemoryProofTests: XCTestCase {
    static let runs = ProcessInfo.processInfo.environment["ONIONS_PROOF_RUNS"].flatMap { Int($0) } ?? 5

    func testOnionsLockLeavesNoSecretInTheAgent() throws {
        try prove(idle: false)
    }

    func testTheIdleLockLeavesNoSecretInTheAgent() throws {
        try prove(idle: true)
    }

    private func prove(idle: Bool, file: StaticString = #filePath, line: UInt = #line) throws {
        let gdb = try Tmux.executable("gdb", file: file, line: line)
        var summary: [String] = []
        for run in 1...Self.runs {
            let (before, after) = try proveOnce(idle: idle, run: run, gdb: gdb, file: file, line: line)
            summary.append("run \(run): \(before) hits before locking, \(after) after")
        }
        print("agent memory proof, \(idle ? "idle time" : "onions lock"):\n  " + summary.joined(separator: "\n  "))
    }

    private func proveOnce(idle: Bool, run: Int, gdb: String, file: StaticString, line: UInt) throws
        -> (before: Int, after: Int) {
        let vault = try ProofVault(for: self)
        let m = Markers()
        let runtime = vault.folder.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: runtime, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        var environment = vault.environment
        environment["XDG_RUNTIME_DIR"] = runtime.path
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        func write(_ name: String, _ text: String) throws -> String {
            let path = vault.folder.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let passwordFile = try write("password", m.password + "\n")
        let infoFile = try write("info", m.info + " " + m.wide + "\n")
        let descriptionFile = try write("description", m.description + "\n")
        let cardPasswordFile = try write("card-password", m.cardPassword + "\n")
        func onions(_ words: [String], password: Bool = false) throws -> ProcessResult {
            let common = ["--store", vault.store, "--user", vault.user]
            let result = try Harness.run(vault.binary, common + (password ? ["--password-file", passwordFile, "--no-agent"] : [])
                                         + words, environment: environment)
            XCTAssertEqual(result.status, 0, "run \(run): onions \(words.first ?? ""): \(result.stderrText)",
                           file: file, line: line)
            return result
        }
        _ = try onions(["--kdf-cost", "15", "signup"], password: true)
        _ = try onions(["add", "--title", m.title, "--info-file", infoFile], password: true)

        let log = vault.folder.appendingPathComponent("agent.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: vault.binary)
        agent.arguments = ["--store", vault.store, "--user", vault.user, "--password-file", passwordFile,
                           "--lock-after", idle ? "4" : "300", "agent", "--foreground"]
        agent.environment = environment
        agent.standardInput = FileHandle.nullDevice
        agent.standardOutput = FileHandle.nullDevice
        agent.standardError = try FileHandle(forWritingTo: log)
        try agent.run()
        defer { if agent.isRunning { kill(agent.processIdentifier, SIGKILL) } }
        let logText = { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
        XCTAssertTrue(Processes.wait(timeout: 20) { logText().contains("the agent is running") }, logText(),
                      file: file, line: line)

        _ = try onions(["card", "add", "--to", m.recipient, "--description-file", descriptionFile,
                        "--card-password-file", cardPasswordFile])
        let opened = try onions(["card", "open", m.recipient, "--card-password-file", cardPasswordFile])
        XCTAssertEqual(opened.stdoutText, m.description + "\n", "run \(run): the card opens through the agent",
                       file: file, line: line)
        XCTAssertTrue(try onions(["show", m.title]).stdoutText.contains(m.info), file: file, line: line)
        XCTAssertTrue(try onions(["grep", m.info]).stdoutText.contains(m.title), file: file, line: line)
        XCTAssertEqual(try onions(["list"]).stdoutText, m.title + "\n", file: file, line: line)
        // The agent's incremental state: another writer adds an onion while the agent holds the
        // vault open; the agent's next command catches up with it (and so holds its text too).
        let caughtUp = (title: Markers.make("u"), info: Markers.make("v"))
        let caughtUpFile = try write("caught-up-info", caughtUp.info + "\n")
        _ = try onions(["add", "--title", caughtUp.title, "--info-file", caughtUpFile], password: true)
        XCTAssertTrue(try onions(["show", caughtUp.title]).stdoutText.contains(caughtUp.info),
                      "run \(run): the agent caught up with the other writer's onion", file: file, line: line)
        XCTAssertEqual(try onions(["list"]).stdoutText.split(separator: "\n").sorted(),
                       [m.title, caughtUp.title].map { Substring($0) }.sorted(), file: file, line: line)

        let pid = agent.processIdentifier
        let beforeDump = try dump(pid, gdb: gdb, into: vault.folder, label: "before", file: file, line: line)
        XCTAssertFalse(logText().contains("locked"), "run \(run): the agent locked before the first dump",
                       file: file, line: line)
        if idle {
            XCTAssertTrue(Processes.wait(timeout: 15) { logText().contains("locked (idle time)") }, logText(),
                          file: file, line: line)
        } else {
            let locked = try onions(["lock"])
            XCTAssertTrue(locked.stderrText.contains("the agent is locked"), locked.stderrText, file: file, line: line)
        }
        let afterDump = try dump(pid, gdb: gdb, into: vault.folder, label: "after", file: file, line: line)
        XCTAssertTrue(agent.isRunning, "run \(run): the locked agent still runs (it was dumped locked)",
                      file: file, line: line)
        kill(pid, SIGKILL)

        let caughtUpNeedles = Markers.needles([("caught-up title", caughtUp.title), ("caught-up info", caughtUp.info)])
        let needles = m.needles + caughtUpNeedles
            + (try vault.keyNeedles(password: m.password, cardPassword: m.cardPassword))
        let before = try Dump.hits(of: needles, inFile: beforeDump)
        let after = try Dump.hits(of: needles, inFile: afterDump)
        for dump in [beforeDump, afterDump] { try? FileManager.default.removeItem(at: dump) }
        if run == 1 { print("agent memory proof, run 1 before locking: \(before.described)") }
        XCTAssertGreaterThan(before.total, 0, "run \(run): the dump before locking finds no marker, so the search "
                             + "proves nothing", file: file, line: line)
        XCTAssertTrue(before.byNeedle.contains { $0.0.hasPrefix("caught-up title") && !$0.1.isEmpty },
                      "run \(run): the dump before locking lacks the title the agent caught up with, so the "
                      + "proof does not cover the agent's incremental state", file: file, line: line)
        XCTAssertTrue(before.byNeedle.contains { $0.0 == "data key" && !$0.1.isEmpty },
                      "run \(run): the dump before locking lacks the data key, so the key search proves nothing",
                      file: file, line: line)
        XCTAssertEqual(after.total, 0, "run \(run): after locking the agent still holds \(after.described)",
                       file: file, line: line)
        return (before.total, after.total)
    }

    /// The agent's whole memory, dumped by gdb's gcore (the mappings excluded from core dumps too).
    private func dump(_ pid: pid_t, gdb: String, into folder: URL, label: String,
                      file: StaticString, line: UInt) throws -> URL {
        let path = folder.appendingPathComponent("core-\(label)").path + ".\(pid)"
        let result = try Harness.run(gdb, ["-batch", "-nx", "-p", "\(pid)", "-ex", "set dump-excluded-mappings on",
                                           "-ex", "gcore \(path)"])
        guard FileManager.default.fileExists(atPath: path) else {
            let message = "gcore wrote no dump of \(pid) (\(result.status)): \(result.stderrText)\(result.stdoutText)"
            XCTFail(message, file: file, line: line)
            throw HarnessError(description: message)
        }
        return URL(fileURLWithPath: path)
    }
}
