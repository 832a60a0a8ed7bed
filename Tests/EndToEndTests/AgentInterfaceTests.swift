import Foundation
import XCTest

/// The interface and `onions agent` together, in tmux: Ctrl-L locks the agent too, and
/// `--from-agent` opens the vault with the agent's keys instead of asking for the password.
final class AgentInterfaceTests: XCTestCase {
    static let notes = [(title: "Garden", info: "plant tulips"), (title: "Bank", info: "account 1234")]

    /// The interface on the agent's vault, started from a shell that can reach the agent.
    private func launch(_ a: AgentVault, _ extra: [String]) throws -> Tmux {
        let tmux = try Tmux.start(for: self, environment: a.environment)
        try a.vault.launch(in: tmux, extra: ["--user", a.vault.user] + extra)
        return tmux
    }

    private func assertTheAgentIsLocked(_ a: AgentVault, file: StaticString = #filePath, line: UInt = #line) throws {
        let list = try a.command(["list"])
        XCTAssertEqual(list.status, 1, file: file, line: line)
        XCTAssertEqual(list.stdout, [], file: file, line: line)
        XCTAssertTrue(list.stderrText.contains("the agent is locked; asking for the password"), list.stderrText,
                      file: file, line: line)
    }

    func testCtrlLInTheInterfaceLocksTheAgent() throws {
        let a = try AgentVault(for: self, onions: Self.notes)
        try a.startAgent()
        let tmux = try launch(a, [])
        try a.vault.logIn(in: tmux)
        XCTAssertEqual(try a.command(["list"]).status, 0, "the agent serves while the interface is open")
        try tmux.press("C-l")
        try tmux.waitFor("The vault of \(a.vault.user) is locked.")
        XCTAssertTrue(Processes.wait(timeout: 10) { a.log.contains("locked (onions lock)") }, a.log)
        try assertTheAgentIsLocked(a)
    }

    func testFromAgentOpensTheListWithoutThePasswordAndCtrlLLocksBoth() throws {
        let a = try AgentVault(for: self, onions: Self.notes)
        try a.startAgent()
        let tmux = try launch(a, ["--from-agent"])
        let opened = try tmux.waitUntil("the list opened from the agent") {
            $0.contains(" onions · \(a.vault.user)") && $0.contains("Garden") && $0.contains("Bank")
        }
        XCTAssertFalse(opened.contains("Unlock your vault"), Tmux.framed(opened))
        XCTAssertTrue(a.log.contains("handed the vault's keys to process"), a.log)
        XCTAssertFalse(a.log.contains("tulips") || a.log.contains("Garden"), "the agent logs no text: \(a.log)")
        try tmux.press("C-l")
        let locked = try tmux.waitFor("The vault of \(a.vault.user) is locked.")
        XCTAssertFalse(locked.contains("Garden"), Tmux.framed(locked))
        XCTAssertTrue(Processes.wait(timeout: 10) { a.log.contains("locked (onions lock)") }, a.log)
        try assertTheAgentIsLocked(a)
        // The password opens the interface's vault again as after any log in.
        try tmux.type(a.vault.password)
        try tmux.press("Enter")
        try tmux.waitFor("Garden")
    }

    func testWithoutTheOptionTheLogInScreenShows() throws {
        let a = try AgentVault(for: self, onions: Self.notes)
        try a.startAgent()
        let tmux = try launch(a, [])
        try tmux.waitFor("Unlock your vault")
        usleep(1_000_000)
        let screen = try tmux.screen()
        XCTAssertTrue(screen.contains("Unlock your vault") && !screen.contains("Garden"), Tmux.framed(screen))
        XCTAssertFalse(a.log.contains("handed"), a.log)
    }

    func testFromALockedAgentTheLogInScreenSaysWhy() throws {
        let a = try AgentVault(for: self, onions: Self.notes)
        try a.startAgent()
        XCTAssertEqual(try a.command(["lock"]).status, 0)
        let tmux = try launch(a, ["--from-agent"])
        try tmux.waitFor("Not opened from the agent: the agent is locked.")
        try tmux.type(a.vault.password)
        try tmux.press("Enter")
        try tmux.waitFor("Garden")
    }

    func testFromAgentWithoutAnAgentSaysWhy() throws {
        let a = try AgentVault(for: self, onions: Self.notes)
        let tmux = try launch(a, ["--from-agent"])
        try tmux.waitFor("Not opened from the agent: no agent runs for this vault.")
    }
}
