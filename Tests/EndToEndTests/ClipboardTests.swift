import Foundation
import XCTest

/// Copying an info with OSC 52 inside tmux (`set-clipboard on`, as over ssh), and the copy
/// taken back after `--clipboard-seconds`.
final class ClipboardTests: XCTestCase {
    static let user = "clipper"
    static let password = "clip pass 42"
    static let info = "door code 5521-heron, ünïcødé 家"

    /// A vault with one onion, the interface started on it in tmux and logged in.
    func openInterface(seconds: Int) throws -> (Tmux, ScratchVault) {
        let vault = try ScratchVault(for: self, user: Self.user, password: Self.password)
        let infoFile = try vault.write("info", Self.info)
        let added = try vault.onions(["add", "--title", "Front door", "--info-file", infoFile])
        XCTAssertEqual(added.status, 0, added.stderrText)
        try FileManager.default.removeItem(atPath: infoFile)

        let tmux = try Tmux.start(for: self, environment: vault.environment)
        try tmux.command(["set-option", "-s", "set-clipboard", "on"])
        let words = [try Harness.onionsBinary(), "--store", vault.path("vault.db"), "--kdf-cost", "15",
                     "--clipboard-seconds", "\(seconds)"]
        try tmux.runInShell(words.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " "))
        try tmux.waitFor("Unlock your vault")
        try tmux.type(Self.user)
        try tmux.press("Enter")
        try tmux.type(Self.password)
        try tmux.press("Enter")
        try tmux.waitFor("Front door")
        return (tmux, vault)
    }

    /// tmux's newest paste buffer ("" when there is none).
    func newestBuffer(_ tmux: Tmux) throws -> String {
        let buffers = try tmux.command(["list-buffers", "-F", "#{buffer_name}"])
        guard let newest = buffers.split(separator: "\n").first else { return "" }
        return try tmux.buffer(String(newest)) ?? ""
    }

    func testYCopiesTheInfoAndItIsClearedAfterTheTimeout() throws {
        let (tmux, _) = try openInterface(seconds: 2)
        XCTAssertEqual(try newestBuffer(tmux), "", "nothing is copied before y")
        try tmux.press("y")
        try tmux.waitFor("Copied; the clipboard clears in 2 s")
        XCTAssertEqual(try newestBuffer(tmux), Self.info)

        let deadline = Date().addingTimeInterval(8)
        var now = try newestBuffer(tmux)
        while now.contains("5521-heron") && Date() < deadline {
            usleep(100_000)
            now = try newestBuffer(tmux)
        }
        XCTAssertFalse(now.contains("5521-heron"), "the copy is still on the clipboard after the timeout")
        try tmux.press("q")
    }

    /// Inside tmux the clear also deletes the buffer that holds the copy (a clear alone only
    /// adds a newer buffer and leaves the secret in `tmux list-buffers`).
    func testTheClearDeletesTheCopyFromTmuxsBufferList() throws {
        let (tmux, _) = try openInterface(seconds: 2)
        try tmux.press("y")
        try tmux.waitFor("Copied; the clipboard clears in 2 s")
        XCTAssertEqual(try newestBuffer(tmux), Self.info)
        XCTAssertTrue(Processes.wait(timeout: 10) { (try? CopyLineTests.allBuffers(tmux))?.values.contains(Self.info) == false },
                      "the info is still in tmux's buffer list after the clear")
        try tmux.press("q")
    }

    func testACopyIsNotClearedBeforeItsTime() throws {
        let (tmux, _) = try openInterface(seconds: 30)
        try tmux.press("y")
        try tmux.waitFor("Copied; the clipboard clears in 30 s")
        usleep(2_500_000)
        XCTAssertEqual(try newestBuffer(tmux), Self.info)
        // Leaving takes our copy back with us.
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { $0.split(separator: "\n").last == "e2e$" }
        XCTAssertFalse(try newestBuffer(tmux).contains("5521-heron"), "the copy outlived the program")
    }
}
