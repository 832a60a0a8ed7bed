import Foundation
import XCTest

/// A terminal that cannot run the interface gets a sentence saying why and exit status 2,
/// before anything is drawn.
final class UnsupportedTerminalTests: XCTestCase {
    func testADumbTerminalIsToldAndNothingIsDrawn() throws {
        let shown = try runInterface(environment: "TERM=dumb")
        XCTAssertTrue(shown.contains("cannot place the cursor"), Tmux.framed(shown))
        XCTAssertFalse(shown.contains("Unlock your vault"), "nothing was drawn:\n\(Tmux.framed(shown))")
    }

    func testANonUTF8LocaleIsToldHowToFixIt() throws {
        let shown = try runInterface(environment: "LANG=C LC_ALL=C")
        XCTAssertTrue(shown.contains("LC_ALL=C.UTF-8"), Tmux.framed(shown))
        XCTAssertFalse(shown.contains("Unlock your vault"), "nothing was drawn:\n\(Tmux.framed(shown))")
    }

    /// Starts the interface with `environment` in front and returns the screen once the shell
    /// printed the exit status, which must be 2.
    private func runInterface(environment: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let vault = try TestVault(for: self)
        let tmux = try vault.tmux(for: self)
        let words = [vault.binary, "--store", vault.store, "--kdf-cost", "15"].map { "'\($0)'" }
        try tmux.runInShell("\(environment) \(words.joined(separator: " ")); echo \"exit status $?\"")
        let shown = try tmux.waitUntil("the exit status", timeout: 10, file: file, line: line) {
            $0.contains("exit status ") && Tmux.lastLine(of: $0) == "e2e$"
        }
        XCTAssertTrue(shown.contains("exit status 2"), Tmux.framed(shown), file: file, line: line)
        return shown
    }
}
