import Foundation
import XCTest

/// The README's fzf one-liner, as written there, in tmux with Debian's fzf and the agent
/// running: the onion chosen in fzf has its first line put on the clipboard (tmux's buffer,
/// `set-clipboard on`) by `onions copy -`, the title passing through standard input (`echo` is
/// the shell's own, so the title is in no process's command line).
final class PickerOneLinerTests: XCTestCase {
    /// The title is chosen before `copy` starts: the agent serves one command at a time, and a
    /// `copy -` waiting for its standard input would hold it while `list` waits.
    static let oneLiner = #"title=$(onions list | fzf) && echo "$title" | onions copy -"#

    func testTheFzfOneLinerOfTheReadmeCopiesTheChosenOnionsFirstLine() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        XCTAssertTrue(readme.contains("\n" + Self.oneLiner + " "), "the README shows the line this test runs")
        _ = try Tmux.executable("fzf")

        let agent = try AgentVault(for: self, onions: [("Bank", "hunter2 secret\nuser: ada\n"), ("Mail", "m41l pw\n"),
                                                       ("Notes", "just notes\n")])
        try agent.startAgent()
        let tmux = try Tmux.start(for: self, environment: agent.environment)
        try tmux.command(["set-option", "-s", "set-clipboard", "on"])
        // `onions` in the shell: this vault's store and user, no password (the agent has it).
        let words = [agent.vault.binary, "--store", agent.vault.store, "--user", agent.vault.user]
        try tmux.runInShell("onions() { " + words.map { "'" + $0 + "'" }.joined(separator: " ") + " \"$@\"; }; clear")
        try tmux.runInShell(Self.oneLiner)
        var screen = try tmux.waitFor("3/3")
        XCTAssertTrue(screen.contains("Bank") && screen.contains("Mail"), Tmux.framed(screen))
        try tmux.type("mail")
        screen = try tmux.waitFor("1/3")
        try tmux.press("Enter")
        try tmux.waitFor("the clipboard clears in")
        let buffers = try tmux.command(["list-buffers", "-F", "#{buffer_name}"])
        let newest = try XCTUnwrap(buffers.split(separator: "\n").first, "nothing reached tmux's clipboard")
        XCTAssertEqual(try tmux.command(["show-buffer", "-b", String(newest)]), "m41l pw")
    }
}
