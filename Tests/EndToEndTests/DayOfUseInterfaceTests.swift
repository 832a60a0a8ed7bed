import Foundation
import XCTest

/// Issue "a day of use", the interface's part, in the release binary (ONIONS_BIN) inside tmux
/// at 80x24 and 40x12: the help wraps instead of cutting, `m` lists the session's notices in
/// full, the delete dialog names the onion, the task list shows the numbers `task done N`
/// takes, a long title ends with "…", and `y` in the read view copies one line.
final class DayOfUseInterfaceTests: XCTestCase {
    static let info = "s3cret-pass-1\nuser: ann\nurl: example.org"
    static let longTitle = "A title thirty characters long"

    func opened(width: Int, height: Int, clipboard: Bool = false) throws -> (TestVault, Tmux) {
        let vault = try TestVault(for: self, user: "dayuse", password: "battery staple 17")
        try vault.signUpWithCLI(onions: [(title: "Soup", info: Self.info), (title: Self.longTitle, info: "x")])
        let added = try vault.cli(["task", "add", "buy milk"])
        XCTAssertEqual(added.status, 0, added.stderrText)
        let tmux = try vault.tmux(for: self)
        if clipboard { try tmux.command(["set-option", "-s", "set-clipboard", "on"]) }
        try tmux.resize(width: width, height: height)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        return (vault, tmux)
    }

    func helpWraps(width: Int, height: Int) throws {
        let (_, tmux) = try opened(width: width, height: height)
        try tmux.press("?")
        // Waits for the row that holds the wrapped label's end, not only the first one: a frame
        // is captured as the terminal has it, and a frame being drawn holds its upper rows only.
        // A label cut instead of wrapped never shows its end, and the wait fails.
        let end = width <= 40 ? "sealed first)" : "screens)"
        let help = try tmux.waitUntil("the help drawn down to \"\(end)\"") { $0.contains("Everywhere") && $0.contains(end) }
        if width <= 40 {
            XCTAssertTrue(help.contains("lock now (an unsaved draft is"), Tmux.framed(help))
            XCTAssertTrue(help.contains("sealed first)"), "the label's end is on the next row:\n\(Tmux.framed(help))")
        } else {
            XCTAssertTrue(help.contains("says how to quit (quits on the log-in and lock"), Tmux.framed(help))
            XCTAssertTrue(help.contains("screens)"), "the label's end is on the next row:\n\(Tmux.framed(help))")
        }
        // Any other key closes the help (Esc would wait for a possible Alt sequence).
        try tmux.press("x")
        try tmux.waitUntil("the help to close") { !$0.contains("Everywhere") }
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt") { Tmux.lastLine(of: $0) == "e2e$" }
    }

    func messagesViewShowsNoticesInFull(width: Int, height: Int) throws {
        let (_, tmux) = try opened(width: width, height: height)
        try tmux.press("C-c")
        try tmux.waitFor("Ctrl-C does not quit")
        try tmux.press("m")
        let view = try tmux.waitFor(" message")
        let joined = view.split(separator: "\n").map { $0.replacingOccurrences(of: "│", with: " ") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        XCTAssertTrue(joined.contains("Ctrl-C does not quit: press q to quit, or Ctrl-L to lock."),
                      "the notice whole in the messages view:\n\(Tmux.framed(view))")
        try tmux.press("x")
        try tmux.waitUntil("the messages to close") { !$0.contains(" message ─") }
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt") { Tmux.lastLine(of: $0) == "e2e$" }
    }

    func deleteDialogNamesTheOnion(width: Int, height: Int) throws {
        let (vault, tmux) = try opened(width: width, height: height)
        try tmux.press("d")
        let dialog = try tmux.waitFor("(y/n)")
        let selected = dialog.contains("“Soup”") ? "Soup" : Self.longTitle
        XCTAssertTrue(dialog.contains("Delete the onion “"), "the dialog names the onion:\n\(Tmux.framed(dialog))")
        XCTAssertTrue(dialog.contains("“Soup”") || dialog.contains("“A title"), Tmux.framed(dialog))
        try tmux.press("n")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt") { Tmux.lastLine(of: $0) == "e2e$" }
        XCTAssertEqual(try vault.cli(["list"]).stdoutText.contains(selected), true, "n keeps it")
    }

    func taskListShowsNumbers(width: Int, height: Int) throws {
        let (vault, tmux) = try opened(width: width, height: height)
        let listed = try vault.cli(["task", "list"]).stdoutText
        let id = try XCTUnwrap(listed.split(separator: " ").dropFirst(2).first.map(String.init), listed)
        try tmux.press("3")
        let tasks = try tmux.waitFor("buy milk")
        XCTAssertTrue(tasks.contains("\(id) [ ] buy milk"), "the number `task done \(id)` takes:\n\(Tmux.framed(tasks))")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt") { Tmux.lastLine(of: $0) == "e2e$" }
    }

    func testHelpWrapsAt80x24() throws { try helpWraps(width: 80, height: 24) }
    func testHelpWrapsAt40x12() throws { try helpWraps(width: 40, height: 12) }
    func testMessagesViewAt80x24() throws { try messagesViewShowsNoticesInFull(width: 80, height: 24) }
    func testMessagesViewAt40x12() throws { try messagesViewShowsNoticesInFull(width: 40, height: 12) }
    func testDeleteDialogAt80x24() throws { try deleteDialogNamesTheOnion(width: 80, height: 24) }
    func testDeleteDialogAt40x12() throws { try deleteDialogNamesTheOnion(width: 40, height: 12) }
    func testTaskNumbersAt80x24() throws { try taskListShowsNumbers(width: 80, height: 24) }
    func testTaskNumbersAt40x12() throws { try taskListShowsNumbers(width: 40, height: 12) }

    func testALongTitleEndsWithAnEllipsisAt80x24() throws {
        let (_, tmux) = try opened(width: 80, height: 24)
        let list = try tmux.screen()
        XCTAssertTrue(list.split(separator: "\n").contains { $0.contains("A title thirty") && $0.contains("…") },
                      "the cut title ends with …:\n\(Tmux.framed(list))")
        try tmux.press("q")
    }

    func testYInTheReadViewCopiesOneLineAndShiftYTheWholeInfo() throws {
        let (_, tmux) = try opened(width: 80, height: 24, clipboard: true)
        // Soup is the older onion: the list shows the newest change first.
        try tmux.press("Down")
        try tmux.press("Enter")
        try tmux.waitUntil("the read view of Soup") { $0.contains("line 1") && $0.contains("s3cret-pass-1") }
        try tmux.press("y")
        try tmux.waitFor("Copied line 1")
        XCTAssertEqual(try newestBuffer(tmux), "s3cret-pass-1", "the first line alone, without its line break")
        try tmux.press("Y")
        try tmux.waitUntil("the second copy") { _ in (try? self.newestBuffer(tmux)) == Self.info }
        XCTAssertEqual(try newestBuffer(tmux), Self.info)
        try tmux.press("q")
        try tmux.press("q")
    }

    /// tmux's newest paste buffer ("" when there is none).
    func newestBuffer(_ tmux: Tmux) throws -> String {
        let buffers = try tmux.command(["list-buffers", "-F", "#{buffer_name}"])
        guard let newest = buffers.split(separator: "\n").first else { return "" }
        return try tmux.buffer(String(newest)) ?? ""
    }
}
