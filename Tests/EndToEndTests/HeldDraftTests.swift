import Foundation
import XCTest

/// A draft the store will not take (a full disk) is kept sealed in memory through a lock and
/// offered back at unlock; quitting while it is held asks first.
final class HeldDraftTests: XCTestCase {
    func testDraftSurvivesAFullDiskThroughLockAndUnlock() throws {
        let (vault, disk) = try vaultOnSmallDisk()
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("1 onion")
        try tmux.press("n")
        try tmux.waitFor("new onion")
        try tmux.type("Unsaved plan")
        try tmux.press("Tab")
        try tmux.type("kept through a full disk")
        try tmux.waitFor("kept through a full disk")

        try fill(disk)
        try tmux.press("C-s")
        let refused = try tmux.waitUntil("the save to fail") { $0.contains("Saved.") || $0.lowercased().contains("full") }
        XCTAssertFalse(refused.contains("Saved."), "the disk is full:\n\(Tmux.framed(refused))")

        try tmux.press("C-l")
        let locked = try tmux.waitFor("sealed in memory")
        XCTAssertFalse(locked.contains("kept through a full disk") || locked.contains("Unsaved plan"),
                       "nothing of the draft shows while locked:\n\(Tmux.framed(locked))")

        // Quitting now would lose it: asked first, and "n" stays.
        try tmux.press("C-q")
        try tmux.waitFor("Quitting now loses it")
        try tmux.press("n")
        try tmux.waitUntil("the dialog to close") { !$0.contains("Quitting now loses it") && $0.contains("is locked.") }

        try tmux.type(vault.password)
        try tmux.press("Enter")
        let back = try tmux.waitUntil("the editor with the draft") {
            $0.contains("editing") || $0.contains("new onion") ? $0.contains("kept through a full disk") : false
        }
        XCTAssertTrue(back.contains("Unsaved plan"), "the title is back too:\n\(Tmux.framed(back))")

        try FileManager.default.removeItem(atPath: disk.appendingPathComponent("fill").path)
        try tmux.press("C-s")
        try tmux.waitFor("Saved.")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
        XCTAssertEqual(try vault.cli(["show", "Unsaved plan"]).stdoutText.trimmingTrailingNewline,
                       "kept through a full disk")
    }

    // MARK: Helpers

    /// A vault whose store is on its own small tmpfs (unmounted when the test ends).
    private func vaultOnSmallDisk() throws -> (TestVault, URL) {
        let vault = try TestVault(for: self, store: "disk/onions.db")
        let disk = vault.folder.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        let mounted = try Harness.run("/bin/mount", ["-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", disk.path])
        XCTAssertEqual(mounted.status, 0, "mount: \(mounted.stderrText)")
        addTeardownBlock { _ = try? Harness.run("/bin/umount", ["-l", disk.path]) }
        try vault.signUpWithCLI(onions: [("Garden gate", "code amber-falcon")])
        return (vault, disk)
    }

    /// Fills the disk to the last byte.
    private func fill(_ disk: URL) throws {
        _ = try Harness.run("/bin/dd", ["if=/dev/zero", "of=" + disk.appendingPathComponent("fill").path, "bs=4k"])
        let free = try Harness.run("/bin/df", ["--output=avail", disk.path])
        XCTAssertTrue(free.stdoutText.hasSuffix("\n0\n") || free.stdoutText.contains(" 0\n"), "full: \(free.stdoutText)")
    }
}
