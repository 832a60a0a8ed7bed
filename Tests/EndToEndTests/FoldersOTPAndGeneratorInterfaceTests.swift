import Foundation
import XCTest

/// Issue 30 in the interface (the release binary in tmux): the list shows each onion's folder,
/// `/` finds onions by folder and `f` narrows the list to one; the read view shows the one-time
/// code of an `otpauth://totp/` line and its seconds left, following the clock, and so does an
/// open card; Ctrl-G in the editor types a new password at the cursor.
final class FoldersOTPAndGeneratorInterfaceTests: XCTestCase {
    /// RFC 6238's SHA-1 seed ("12345678901234567890") in base32.
    static let info = "hunter2\nuser: ada\notpauth://totp/Bank:ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Bank\n"

    func opened(_ onions: [(title: String, info: String)], folders: [String: String] = [:]) throws -> (TestVault, Tmux) {
        let vault = try TestVault(for: self, user: "folders", password: "battery staple 17")
        try vault.signUpWithCLI(onions: onions)
        for (title, folder) in folders {
            let moved = try vault.cli(["mv", title, folder])
            XCTAssertEqual(moved.status, 0, moved.stderrText)
        }
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        return (vault, tmux)
    }

    func testTheListShowsFoldersSearchFindsThemAndFNarrowsTheList() throws {
        let (_, tmux) = try opened([("GitHub", "a"), ("Bank", "b"), ("Notes", "c"), ("Gitea", "d")],
                                   folders: ["GitHub": "web/github.com", "Gitea": "web/gitea", "Bank": "money"])
        var screen = try tmux.waitFor("4 onions")
        for (title, folder) in [("GitHub", "web/github.com"), ("Bank", "money"), ("Gitea", "web/gitea")] {
            let row = screen.split(separator: "\n").first { $0.contains(" " + title + " ") }
            XCTAssertTrue(row?.contains(folder) == true, "\(title) shows its folder:\n\(Tmux.framed(screen))")
        }
        // `/` matches a folder: "money" is no title and no info.
        try tmux.press("/")
        try tmux.type("money")
        screen = try tmux.waitFor("1 of 4 match")
        XCTAssertTrue(screen.contains("Bank"), Tmux.framed(screen))
        try tmux.press("Escape")
        try tmux.waitFor("4 onions")
        // Select GitHub, narrow to its folder, then up to "web", then all again.
        try tmux.press("g")
        for _ in 0..<4 {
            Thread.sleep(forTimeInterval: 0.3)
            if try tmux.screen().contains("› GitHub") { break }
            try tmux.press("j")
        }
        try tmux.waitUntil("GitHub selected") { $0.contains("› GitHub") }
        try tmux.press("f")
        screen = try tmux.waitFor("1 onion in web/github.com/")
        XCTAssertFalse(screen.contains("Gitea") || screen.contains("Bank"), Tmux.framed(screen))
        try tmux.press("f")
        screen = try tmux.waitFor("2 onions in web/")
        XCTAssertTrue(screen.contains("Gitea") && !screen.contains("Bank"), Tmux.framed(screen))
        try tmux.press("f")
        try tmux.waitFor("4 onions")
    }

    func testTheReadViewShowsTheOneTimeCodeAndItsCountdown() throws {
        let (_, tmux) = try opened([("Bank", Self.info)])
        try tmux.waitFor("1 onion")
        try tmux.press("Enter")
        var screen = try tmux.waitFor("code ")
        let pattern = try NSRegularExpression(pattern: "code (\\d{3}) (\\d{3}) · (\\d+) s")
        func shown(_ screen: String) -> (code: String, left: Int)? {
            guard let m = pattern.firstMatch(in: screen, range: NSRange(screen.startIndex..., in: screen)) else { return nil }
            let part = { (i: Int) in String(screen[Range(m.range(at: i), in: screen)!]) }
            return (part(1) + part(2), Int(part(3))!)
        }
        let now = Date()
        let first = try XCTUnwrap(shown(screen), Tmux.framed(screen))
        // The code of this 30-second step or, at a step's edge, the one before.
        let seed = Array("12345678901234567890".utf8)
        let expected = [try CopyLineTests.totp(seed: seed, at: now), try CopyLineTests.totp(seed: seed, at: now - 2)]
        XCTAssertTrue(expected.contains(first.code), "shown \(first.code), computed \(expected):\n\(Tmux.framed(screen))")
        XCTAssertTrue((1...30).contains(first.left))
        let stepLeft = 30 - Int(now.timeIntervalSince1970) % 30
        XCTAssertLessThanOrEqual(abs(first.left - stepLeft), 2, "seconds left: shown \(first.left), computed \(stepLeft)")
        // The countdown moves on by itself, without a key.
        try tmux.waitUntil("the seconds left to change", timeout: 5) { shown($0).map { $0.left != first.left } ?? false }
        screen = try tmux.screen()
        XCTAssertTrue(screen.contains("hunter2"), Tmux.framed(screen))
    }

    func testAnOpenCardShowsTheOneTimeCodeOfItsDescription() throws {
        let vault = try TestVault(for: self, user: "cards", password: "battery staple 17")
        try vault.signUpWithCLI(onions: [])
        let description = vault.folder.appendingPathComponent("description").path
        let cardPassword = vault.folder.appendingPathComponent("card-password").path
        try Data(("bank card\n" + Self.info).utf8).write(to: URL(fileURLWithPath: description))
        try Data("anchor-bob-9\n".utf8).write(to: URL(fileURLWithPath: cardPassword))
        let added = try vault.cli(["card", "add", "--to", "Bob", "--description-file", description,
                                   "--card-password-file", cardPassword])
        XCTAssertEqual(added.status, 0, added.stderrText)
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.press("2")
        try tmux.waitFor("To: Bob")
        try tmux.press("Enter")
        try tmux.waitFor("Password for the card to Bob")
        try tmux.type("anchor-bob-9")
        try tmux.press("Enter")
        let now = Date()
        let screen = try tmux.waitUntil("the card's code") { $0.contains("bank card") && $0.contains(" code ") }
        let seed = Array("12345678901234567890".utf8)
        let codes = try [now, now - 2, now + 2].map { try CopyLineTests.totp(seed: seed, at: $0) }
            .map { String($0.prefix(3)) + " " + String($0.suffix(3)) }
        XCTAssertTrue(codes.contains { screen.contains("code " + $0 + " · ") }, "\(codes) on:\n\(Tmux.framed(screen))")
    }

    func testCtrlGTypesANewPasswordAtTheCursorOfTheEditor() throws {
        let (vault, tmux) = try opened([("Mail", "")])
        try tmux.waitFor("1 onion")
        try tmux.press("e")
        try tmux.waitFor("^G new password")
        try tmux.press("Tab")
        try tmux.type("pw: ")
        try tmux.press("C-g")
        try tmux.waitFor("A new password of 20 characters")
        try tmux.press("C-s")
        try tmux.waitFor("Saved.")
        let info = try vault.cli(["show", "Mail"]).stdoutText
        XCTAssertTrue(info.hasPrefix("pw: "), info)
        let password = info.dropFirst(4).trimmingCharacters(in: .newlines)
        XCTAssertEqual(password.count, 20, info)
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#%&*+,-./:;=?@^_~")
        XCTAssertTrue(password.allSatisfy { alphabet.contains($0) }, password)
    }
}
