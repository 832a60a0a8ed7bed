import Foundation
import XCTest

/// Tabs in the release binary (ONIONS_BIN) inside tmux: an info stored with tabs by the
/// command line shows them as spaces to the next tab stop (8) in the preview, the read view,
/// the editor and the card reader, never as "�"; a tab pasted into the info stays a tab, and
/// Ctrl-T types one. At 80x24 and 40x12.
final class TabEndToEndTests: XCTestCase {
    static let info = "host:\tdb1\na\tb\tc"

    func opened(width: Int, height: Int) throws -> (TestVault, Tmux) {
        let vault = try TestVault(for: self, user: "tabs", password: "battery staple 17")
        try vault.signUpWithCLI(onions: [(title: "Servers", info: Self.info)])
        let descriptionFile = vault.folder.appendingPathComponent("description").path
        let passwordFile = vault.folder.appendingPathComponent("card-password").path
        try Data("pin:\t1234".utf8).write(to: URL(fileURLWithPath: descriptionFile))
        try Data("anchor-bob-9\n".utf8).write(to: URL(fileURLWithPath: passwordFile))
        let added = try vault.cli(["card", "add", "--to", "Bob", "--description-file", descriptionFile,
                                   "--card-password-file", passwordFile])
        XCTAssertEqual(added.status, 0, added.stderrText)
        let tmux = try vault.tmux(for: self)
        try tmux.resize(width: width, height: height)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        return (vault, tmux)
    }

    func tabsShowToTheirStops(width: Int, height: Int) throws {
        let (vault, tmux) = try opened(width: width, height: height)
        let list = try tmux.screen()
        XCTAssertFalse(list.contains("\u{FFFD}"), "no tab drawn as a replacement:\n\(Tmux.framed(list))")
        if width >= 80 {
            XCTAssertTrue(list.contains("host:   db1"), "the preview:\n\(Tmux.framed(list))")
        }
        // The read view.
        try tmux.press("Enter")
        let reader = try tmux.waitUntil("the read view") { $0.contains("line 1") }
        XCTAssertTrue(reader.contains("host:   db1"), "the read view:\n\(Tmux.framed(reader))")
        XCTAssertTrue(reader.contains("a       b       c"), "the read view:\n\(Tmux.framed(reader))")
        XCTAssertFalse(reader.contains("\u{FFFD}"), Tmux.framed(reader))
        // The editor, and a tab pasted and one typed with Ctrl-T.
        try tmux.press("e")
        try tmux.waitFor("Title ")
        let editor = try tmux.waitUntil("the info in the editor") { $0.contains("host:   db1") }
        XCTAssertTrue(editor.contains("a       b       c"), Tmux.framed(editor))
        XCTAssertFalse(editor.contains("\u{FFFD}"), Tmux.framed(editor))
        try tmux.press("Tab")
        try tmux.press("C-End")
        try tmux.press("Enter")
        try tmux.command(["set-buffer", "-b", "e2e-tab", "--", "x:\tpasted"])
        try tmux.command(["paste-buffer", "-p", "-d", "-b", "e2e-tab", "-t", "e2e"])
        try tmux.waitFor("x:      pasted")
        try tmux.press("Enter")
        try tmux.type("k")
        try tmux.press("C-t")
        try tmux.type("typed")
        try tmux.waitFor("k       typed")
        try tmux.press("C-s")
        try tmux.waitFor("Saved.")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt") { Tmux.lastLine(of: $0) == "e2e$" }
        let shown = try vault.cli(["show", "Servers"])
        XCTAssertEqual(shown.stdoutText, Self.info + "\nx:\tpasted\nk\ttyped\n", "the tabs are kept in the text")
    }

    func cardReaderShowsTabs(width: Int, height: Int) throws {
        let (_, tmux) = try opened(width: width, height: height)
        try tmux.press("2")
        try tmux.waitFor("Bob")
        try tmux.press("Enter")
        try tmux.waitFor("Password for")
        try tmux.type("anchor-bob-9")
        try tmux.press("Enter")
        let card = try tmux.waitUntil("the card reader") { $0.contains("1 line") }
        XCTAssertTrue(card.contains("pin:    1234"), "the card reader:\n\(Tmux.framed(card))")
        XCTAssertFalse(card.contains("\u{FFFD}"), Tmux.framed(card))
    }

    func testTabsAt80x24() throws { try tabsShowToTheirStops(width: 80, height: 24) }
    func testTabsAt40x12() throws { try tabsShowToTheirStops(width: 40, height: 12) }
    func testCardTabsAt80x24() throws { try cardReaderShowsTabs(width: 80, height: 24) }
    func testCardTabsAt40x12() throws { try cardReaderShowsTabs(width: 40, height: 12) }
}
