import Foundation
import XCTest

/// The read view and the card reader are pagers, as `less` is: in the release binary
/// (ONIONS_BIN) inside tmux, `q` and Esc close them and go back to the list or the card grid
/// (the program keeps running), and Enter does not open the editor. At 80x24 and at 40x12.
final class PagerKeysTests: XCTestCase {
    static let info = "first line of the soup\nsecond line\nthird line"

    /// A vault with one onion and one card, open in tmux at `width` x `height`.
    func openVault(width: Int, height: Int) throws -> (TestVault, Tmux) {
        let vault = try TestVault(for: self, user: "pager", password: "battery staple 17")
        try vault.signUpWithCLI(onions: [(title: "Soup", info: Self.info)])
        let descriptionFile = vault.folder.appendingPathComponent("description").path
        let passwordFile = vault.folder.appendingPathComponent("card-password").path
        try Data("a red scarf for winter".utf8).write(to: URL(fileURLWithPath: descriptionFile))
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

    /// True while the interface still runs (the shell's prompt is not back).
    func stillRunning(_ tmux: Tmux) throws -> Bool {
        Tmux.lastLine(of: try tmux.screen()) != "e2e$"
    }

    func readViewClosesWithQAndEscAndEnterDoesNotEdit(width: Int, height: Int) throws {
        let (_, tmux) = try openVault(width: width, height: height)
        for closer in ["q", "Escape"] {
            try tmux.press("Enter")
            try tmux.waitUntil("the read view") { $0.contains("line 1") && $0.contains("first line of") }
            // Enter in the read view does not open the editor.
            try tmux.press("Enter")
            Thread.sleep(forTimeInterval: 0.5)
            let afterEnter = try tmux.screen()
            XCTAssertFalse(afterEnter.contains("Title "), "Enter opened the editor:\n\(Tmux.framed(afterEnter))")
            XCTAssertTrue(afterEnter.contains("line 1"), "the read view stays:\n\(Tmux.framed(afterEnter))")
            try tmux.press(closer)
            let list = try tmux.waitUntil("the list after \(closer)") { !$0.contains("line 1") || Tmux.lastLine(of: $0) == "e2e$" }
            XCTAssertTrue(try stillRunning(tmux), "\(closer) in the read view quit the program:\n\(Tmux.framed(list))")
            XCTAssertTrue(list.contains("Soup"), "the list shows:\n\(Tmux.framed(list))")
        }
        // On the list q quits.
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q on the list") { Tmux.lastLine(of: $0) == "e2e$" }
    }

    func cardReaderClosesWithQAndEsc(width: Int, height: Int) throws {
        let (_, tmux) = try openVault(width: width, height: height)
        try tmux.press("2")
        try tmux.waitFor("Bob")
        for closer in ["q", "Escape"] {
            try tmux.press("Enter")
            try tmux.waitFor("Password for")
            try tmux.type("anchor-bob-9")
            try tmux.press("Enter")
            try tmux.waitUntil("the card reader") { $0.contains("scarf") && $0.contains("1 line") }
            try tmux.press(closer)
            let grid = try tmux.waitUntil("the grid after \(closer)") {
                !$0.contains("scarf") || Tmux.lastLine(of: $0) == "e2e$"
            }
            XCTAssertTrue(try stillRunning(tmux), "\(closer) in the card reader quit the program:\n\(Tmux.framed(grid))")
            XCTAssertTrue(grid.contains("Bob"), "the grid shows:\n\(Tmux.framed(grid))")
        }
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q on the grid") { Tmux.lastLine(of: $0) == "e2e$" }
    }

    func testTheReadViewIsAPagerAt80x24() throws {
        try readViewClosesWithQAndEscAndEnterDoesNotEdit(width: 80, height: 24)
    }

    func testTheReadViewIsAPagerAt40x12() throws {
        try readViewClosesWithQAndEscAndEnterDoesNotEdit(width: 40, height: 12)
    }

    func testTheCardReaderIsAPagerAt80x24() throws {
        try cardReaderClosesWithQAndEsc(width: 80, height: 24)
    }

    func testTheCardReaderIsAPagerAt40x12() throws {
        try cardReaderClosesWithQAndEsc(width: 40, height: 12)
    }
}
