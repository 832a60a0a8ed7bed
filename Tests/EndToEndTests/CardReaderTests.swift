import Foundation
import XCTest

/// The card reader in the release binary (ONIONS_BIN) inside tmux at 80x24: a long card is read
/// to its end in a few pages; the log-in form comes filled from --user; Ctrl-R repaints a screen
/// another program wrote over.
final class CardReaderTests: XCTestCase {
    func testATwoThousandCharacterCardIsReadToItsEndInAtMostFivePageDowns() throws {
        let vault = try TestVault(for: self, user: "grace", password: "battery staple 17")
        try vault.signUpWithCLI(onions: [])
        var words: [String] = []
        while words.joined(separator: " ").count < 1_960 { words.append("word\(words.count)") }
        let description = words.joined(separator: " ") + " and the very last words."
        let padded = description + String(repeating: "!", count: 2_000 - description.count)
        XCTAssertEqual(padded.count, 2_000)
        let descriptionFile = vault.folder.appendingPathComponent("description").path
        let passwordFile = vault.folder.appendingPathComponent("card-password").path
        try Data(padded.utf8).write(to: URL(fileURLWithPath: descriptionFile))
        try Data("anchor-bob-9\n".utf8).write(to: URL(fileURLWithPath: passwordFile))
        let added = try vault.cli(["card", "add", "--to", "Bob", "--description-file", descriptionFile,
                                   "--card-password-file", passwordFile])
        XCTAssertEqual(added.status, 0, added.stderrText)

        // --user fills the username: the password alone opens the vault.
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux, extra: ["--user", vault.user])
        let form = try tmux.waitFor("Unlock your vault")
        XCTAssertTrue(form.contains("Username  grace"), "the username is filled in:\n\(Tmux.framed(form))")
        try tmux.type(vault.password)
        try tmux.press("Enter")
        try tmux.waitFor("[Onions 0] · Cards 1 · Tasks 0")

        try tmux.press("2")
        try tmux.waitFor("To: Bob")
        try tmux.press("Enter")
        try tmux.waitFor("Password for the card to Bob")
        try tmux.type("anchor-bob-9")
        try tmux.press("Enter")
        let top = try tmux.waitUntil("the reader") { $0.contains("word0 word1") && $0.contains("line 1 of") }
        XCTAssertFalse(top.contains("the very last words"))
        var presses = 0
        var screen = top
        while !screen.contains("the very last words."), presses < 5 {
            try tmux.press("NPage")
            presses += 1
            let before = screen
            screen = try tmux.waitUntil("the page to turn") { $0 != before }
        }
        XCTAssertTrue(screen.contains("the very last words."), "the end after \(presses) PgDn:\n\(Tmux.framed(screen))")
        XCTAssertTrue(screen.contains("· end ─"), "the position says the end:\n\(Tmux.framed(screen))")

        // Another program writes over the screen; Ctrl-R draws it all again.
        let tty = try tmux.paneFormat("#{pane_tty}")
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: tty))
        handle.write(Data("\u{1b}[5;5HSCRIBBLED-OVER".utf8))
        try handle.close()
        try tmux.waitFor("SCRIBBLED-OVER")
        try tmux.press("C-r")
        // The repaint clears first: wait for the whole frame, not the first capture without the scribble.
        let repainted = try tmux.waitUntil("the repaint") {
            !$0.contains("SCRIBBLED-OVER") && $0.contains("the very last words.") && $0.contains("· end ─")
        }
        XCTAssertTrue(repainted.contains("the very last words."), "the reader is still open:\n\(Tmux.framed(repainted))")

        try tmux.press("Escape")
        try tmux.waitUntil("the card closed") { !$0.contains("the very last words.") }
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
    }

    func testAUsernameTooLongInTheEnvironmentIsLeftOutWithANotice() throws {
        let vault = try TestVault(for: self)
        let tmux = try vault.tmux(for: self)
        try tmux.runInShell("export ONIONS_USER=" + String(repeating: "x", count: 70))
        try vault.launch(in: tmux)
        let form = try tmux.waitFor("Unlock your vault")
        try tmux.waitFor("was left out: it is longer than 64")
        XCTAssertFalse(form.contains("xxxxxxxx"), "nothing of it is in the form:\n\(Tmux.framed(form))")
        try tmux.press("C-c")
        try tmux.waitUntil("the shell prompt after Ctrl-C") { Tmux.lastLine(of: $0) == "e2e$" }
    }
}
