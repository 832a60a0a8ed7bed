import Foundation
import XCTest

/// `onions agent`: commands without the password while it runs, and the ways it locks.
final class AgentTests: XCTestCase {
    static let notes = [(title: "Garden", info: "plant tulips\nwater the roses"),
                        (title: "Bank", info: "account 1234\nbranch downtown")]

    func testCommandsRunThroughTheAgentWithoutThePassword() throws {
        let a = try AgentVault(for: self, onions: Self.notes)
        // Without an agent a script cannot run: there is no terminal to ask on.
        let before = try a.command(["list"])
        XCTAssertEqual(before.status, 1)
        XCTAssertTrue(before.stderrText.contains("no terminal to ask for the password"), before.stderrText)

        try a.startAgent()
        let socketMode = try FileManager.default.attributesOfItem(atPath: a.socketPath())[.posixPermissions] as? Int
        XCTAssertEqual(socketMode, 0o600)
        let folderMode = try FileManager.default.attributesOfItem(atPath: a.socketFolder.path)[.posixPermissions] as? Int
        XCTAssertEqual(folderMode, 0o700)

        let list = try a.command(["list"])
        XCTAssertEqual(list.status, 0, list.stderrText)
        XCTAssertEqual(list.stdoutText, "Bank\nGarden\n")
        let grep = try a.command(["grep", "roses"])
        XCTAssertEqual(grep.status, 0, grep.stderrText)
        XCTAssertEqual(grep.stdoutText, "Garden\n  water the roses\n")
        let none = try a.command(["grep", "nowhere"])
        XCTAssertEqual(none.status, 1, "grep without a match exits 1 through the agent too")
        XCTAssertEqual(none.stdout, [])

        // Standard input is the command's own: the info comes from it.
        let add = try a.command(["add", "--title", "Piped", "--info-file", "-"], stdin: Array("from stdin\n".utf8))
        XCTAssertEqual(add.status, 0, add.stderrText)
        XCTAssertEqual(try a.command(["show", "Piped"]).stdoutText, "from stdin\n")
        // What the agent saved, a process without it reads; what such a process saves, the agent sees.
        XCTAssertEqual(try a.withPassword(["show", "Piped"]).stdoutText, "from stdin\n")
        XCTAssertEqual(try a.withPassword(["rm", "Bank"]).status, 0)
        XCTAssertEqual(try a.command(["list"]).stdoutText, "Piped\nGarden\n")

        let usage = try a.command(["show"])
        XCTAssertEqual(usage.status, 2, "a usage mistake exits 2 through the agent too")
        XCTAssertTrue(usage.stderrText.contains("usage: onions show TITLE"), usage.stderrText)

        // --no-agent asks for the password as before.
        let forced = try a.command(["--no-agent", "list"])
        XCTAssertEqual(forced.status, 1)
        XCTAssertTrue(forced.stderrText.contains("no terminal to ask for the password"), forced.stderrText)
        XCTAssertFalse(a.log.contains("tulips") || a.log.contains("Garden"), "the agent logs no text: \(a.log)")
    }

    /// The agent parses the words it is sent with the same declarations: `--` ends the options
    /// there too, and a word after it that looks like an option stays a text.
    func testTheAgentReadsDoubleDashAsTheCommandLineDoes() throws {
        let a = try AgentVault(for: self, onions: Self.notes)
        try a.startAgent()
        let added = try a.command(["add", "--title", "-dash-", "--info-file", "-"], stdin: Array("dashed\n".utf8))
        XCTAssertEqual(added.status, 0, added.stderrText)
        let shown = try a.command(["show", "--", "-dash-"])
        XCTAssertEqual(shown.status, 0, shown.stderrText)
        XCTAssertEqual(shown.stdoutText, "dashed\n")
        let task = try a.command(["task", "add", "--", "--user x"])
        XCTAssertEqual(task.status, 0, task.stderrText)
        XCTAssertEqual(try a.command(["task", "list"]).stdoutText, "[ ] 0 --user x\n")
        XCTAssertEqual(try a.withPassword(["task", "list"]).stdoutText, "[ ] 0 --user x\n", "the agent saved it")
        let refused = try a.command(["show", "-dash-"])
        XCTAssertEqual(refused.status, 2, refused.stderrText)
        XCTAssertFalse(a.log.contains("dash"), "the agent logs no text: \(a.log)")
    }

    func testOnionsLockLocksTheAgentAndCommandsAskForThePasswordAgain() throws {
        let a = try AgentVault(for: self, onions: Self.notes)
        try a.startAgent()
        XCTAssertEqual(try a.command(["list"]).status, 0)
        let lock = try a.command(["lock"])
        XCTAssertEqual(lock.status, 0)
        XCTAssertTrue(lock.stderrText.contains("the agent is locked"), lock.stderrText)
        try assertAsksForThePassword(a)
        XCTAssertTrue(a.log.contains("locked (onions lock)"), a.log)
    }

    func testTheAgentLocksAfterTheIdleTime() throws {
        let a = try AgentVault(for: self, onions: Self.notes)
        try a.startAgent(["--lock-after", "2"])
        XCTAssertEqual(try a.command(["list"]).status, 0)
        XCTAssertTrue(Processes.wait(timeout: 10) { a.log.contains("locked (idle time)") }, a.log)
        try assertAsksForThePassword(a)
    }

    func testTheIdleTimeComesFromTheConfigFile() throws {
        let a = try AgentVault(for: self, onions: Self.notes)
        let config = URL(fileURLWithPath: a.vault.environment["XDG_CONFIG_HOME"]!).appendingPathComponent("onions")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try Data("lock_after = 2\n".utf8).write(to: config.appendingPathComponent("config"))
        try a.startAgent()
        XCTAssertTrue(Processes.wait(timeout: 10) { a.log.contains("locked (idle time)") }, a.log)
        try assertAsksForThePassword(a)
    }

    func testSIGHUPLocksTheAgent() throws {
        let a = try AgentVault(for: self, onions: Self.notes)
        try a.startAgent()
        kill(try XCTUnwrap(a.agentPID), SIGHUP)
        XCTAssertTrue(Processes.wait(timeout: 5) { a.log.contains("locked (SIGHUP)") }, a.log)
        try assertAsksForThePassword(a)
    }

    func testAnotherAgentForTheVaultReplacesTheFirstAndSIGTERMRemovesTheSocket() throws {
        let a = try AgentVault(for: self, onions: Self.notes)
        try a.startAgent()
        let first = try XCTUnwrap(a.agent)
        try a.startAgent()
        first.waitUntilExit()
        XCTAssertEqual(try a.command(["list"]).status, 0)
        a.stopAgent()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: a.socketFolder.path), [],
                       "SIGTERM removes the socket")
    }

    func testAnAgentRefusesAFolderOthersCanEnter() throws {
        let a = try AgentVault(for: self, onions: Self.notes)
        try FileManager.default.createDirectory(at: a.socketFolder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        let result = try Harness.run(a.vault.binary, ["--store", a.vault.store, "--user", a.vault.user,
                                                      "--password-file", a.vault.passwordFile, "agent", "--foreground"],
                                     environment: a.environment)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderrText.contains("is not a folder of this user closed to others"), result.stderrText)
    }

    /// A command on the locked agent's vault says so and asks for the password (none here).
    private func assertAsksForThePassword(_ a: AgentVault, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try a.command(["list"])
        XCTAssertEqual(result.status, 1, file: file, line: line)
        XCTAssertEqual(result.stdout, [], file: file, line: line)
        XCTAssertTrue(result.stderrText.contains("the agent is locked; asking for the password"), result.stderrText,
                      file: file, line: line)
        XCTAssertTrue(result.stderrText.contains("no terminal to ask for the password"), result.stderrText,
                      file: file, line: line)
        let withPassword = try a.vault.cli(["list"])
        XCTAssertEqual(withPassword.status, 0, "the password still opens the vault", file: file, line: line)
    }
}
