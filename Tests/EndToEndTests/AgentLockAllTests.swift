import Foundation
import XCTest

/// Issue 29 item 7: `onions lock` locks every agent of the vault for this user whatever the
/// settings it runs with now (a `remote` added to the config after the agent started), says how
/// many; a command with a password file and a locked agent says nothing about asking.
final class AgentLockAllTests: XCTestCase {
    func testLockFindsTheAgentAfterARemoteWasAddedToTheConfig() throws {
        let a = try AgentVault(for: self, onions: AgentTests.notes)
        try a.startAgent()
        XCTAssertEqual(try a.command(["list"]).stdoutText, "Bank\nGarden\n")

        let folder = URL(fileURLWithPath: a.vault.environment["XDG_CONFIG_HOME"]!).appendingPathComponent("onions")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("config")
        try Data("remote = postgresql://nobody@127.0.0.1:1/none?sslmode=disable\n".utf8).write(to: config)
        let lock = try a.command(["lock"])
        XCTAssertEqual(lock.status, 0, lock.stderrText)
        XCTAssertTrue(lock.stderrText.contains("the agent is locked (1 agent of this vault)"), lock.stderrText)
        XCTAssertTrue(Processes.wait(timeout: 10) { a.log.contains("locked (onions lock)") }, a.log)
        try FileManager.default.removeItem(at: config)

        let asked = try a.command(["list"])
        XCTAssertEqual(asked.status, 1, "the agent is locked: \(asked.stderrText)")
        XCTAssertEqual(asked.stdout, [])
        XCTAssertTrue(asked.stderrText.contains("the agent is locked; asking for the password"), asked.stderrText)

        let withFile = try a.command(["--password-file", a.vault.passwordFile, "list"])
        XCTAssertEqual(withFile.status, 0, withFile.stderrText)
        XCTAssertEqual(withFile.stdoutText, "Bank\nGarden\n")
        XCTAssertFalse(withFile.stderrText.contains("asking for the password"), "nothing is asked: \(withFile.stderrText)")

        let again = try a.command(["lock"])
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stderrText.contains("the agent is locked (1 agent of this vault)"),
                      "a locked agent still counts: \(again.stderrText)")
    }
}
