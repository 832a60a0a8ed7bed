import Foundation
import XCTest

/// Another program writing the same store while the interface is open (the command line, a
/// second interface): a peer, like another machine. Its saves show up within a second, a save
/// made after it goes through (merged when both changed one onion), and nothing it does looks
/// like tampering.
final class PeerWriterTests: XCTestCase {
    func testSaveAfterTheCommandLineSavedGoesThroughAndItsOnionShowsUp() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Garden gate", "code amber-falcon")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("1 onion")

        try tmux.press("n")
        try tmux.waitFor("new onion")
        try tmux.type("Typed here")
        try tmux.press("Tab")
        try tmux.type("while a script saved")
        try tmux.waitFor("while a script saved")
        try add(vault, title: "From a script", info: "written by the command line")

        try tmux.press("C-s")
        let saved = try tmux.waitUntil("the save to go through") { $0.contains("Saved.") || $0.contains("try again") }
        XCTAssertTrue(saved.contains("Saved."), "the save is not refused:\n\(Tmux.framed(saved))")
        let listed = try tmux.waitFor("3 onions")
        XCTAssertTrue(listed.contains("From a script") && listed.contains("Typed here"),
                      "both writers' onions are listed:\n\(Tmux.framed(listed))")

        // On the list, a later write by the script shows up by itself, within about a second.
        try add(vault, title: "Later script", info: "seen without a key")
        let start = Date()
        let updated = try tmux.waitFor("Later script", timeout: 5)
        let seconds = Date().timeIntervalSince(start)
        XCTAssertLessThan(seconds, 2, "another writer's save is seen within a tick or so")
        XCTAssertFalse(updated.contains("injected") || updated.contains("older version"),
                       "an honest writer is not reported as tampering:\n\(Tmux.framed(updated))")

        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
        let shown = try vault.cli(["show", "Typed here"])
        XCTAssertEqual(shown.stdoutText.trimmingTrailingNewline, "while a script saved", shown.stderrText)
    }

    func testScriptAddingInALoopWhileTheInterfaceSavesRaisesNoTamperWarning() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Garden gate", "code amber-falcon")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("1 onion")

        // The script: a shell loop of `onions add`, running while the interface saves.
        let infoFile = vault.folder.appendingPathComponent("loop-info").path
        try Data("loop text".utf8).write(to: URL(fileURLWithPath: infoFile))
        let errors = vault.folder.appendingPathComponent("loop-errors").path
        let loop = Process()
        loop.executableURL = URL(fileURLWithPath: "/bin/bash")
        loop.arguments = ["-c", """
            for i in $(seq 1 30); do
              "$0" --store "$1" --user "$2" --password-file "$3" add --title "Loop $i" --info-file "$4" 2>>"$5" \
                || echo "add Loop $i failed" >>"$5"
            done
            """, vault.binary, vault.store, vault.user, vault.passwordFile, infoFile, errors]
        var environment = vault.environment
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        environment["HOME"] = vault.folder.path
        loop.environment = environment
        try loop.run()
        var screens: [String] = []
        for i in 1...4 {
            try tmux.press("n")
            try tmux.waitFor("new onion")
            try tmux.type("Mine \(i)")
            try tmux.press("Tab")
            try tmux.type("my text \(i)")
            try tmux.press("C-s")
            screens.append(try tmux.waitUntil("save \(i) to end") { $0.contains("Saved.") || $0.contains("try again") })
        }
        loop.waitUntilExit()
        XCTAssertEqual((try? String(contentsOfFile: errors, encoding: .utf8)) ?? "", "",
                       "every add of the script went through")
        screens.append(try tmux.waitFor("35 onions", timeout: 5))
        for screen in screens {
            XCTAssertTrue(screen.contains("Saved.") || screen.contains("35 onions"), "saved:\n\(Tmux.framed(screen))")
            XCTAssertFalse(screen.contains("injected") || screen.contains("older version") || screen.contains("missing"),
                           "no tamper warning:\n\(Tmux.framed(screen))")
        }
        let listed = try vault.cli(["list"])
        for i in 1...4 { XCTAssertTrue(listed.stdoutText.contains("Mine \(i)"), listed.stdoutText) }
        for i in 1...30 { XCTAssertTrue(listed.stdoutText.contains("Loop \(i)\n"), listed.stdoutText) }
    }

    func testTwoInterfacesEditingOneOnionMergeTheirEdits() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Shared note", "first line\nsecond line\nthird line")])
        let first = try vault.tmux(for: self)
        let second = try vault.tmux(for: self)
        for tmux in [first, second] {
            try vault.launch(in: tmux)
            try vault.logIn(in: tmux)
            try tmux.waitFor("1 onion")
            try tmux.press("e")
            try tmux.waitUntil("the editor") { $0.contains("editing") && $0.contains("Shared note") }
            try tmux.press("Tab")
        }
        try first.type("A-")
        try first.waitFor("A-first line")
        try second.press("Down")
        try second.press("Down")
        try second.press("End")
        try second.type(" B")
        try second.waitFor("third line B")

        try second.press("C-s")
        try second.waitFor("Saved.")
        try first.press("C-s")
        let merged = try first.waitUntil("the first save to end") { $0.contains("Saved") || $0.contains("try again") }
        XCTAssertTrue(merged.contains("both edits are kept"), "the edits are merged:\n\(Tmux.framed(merged))")

        // The second interface sees the merge without a key.
        let seen = try second.waitFor("A-first line", timeout: 5)
        XCTAssertTrue(seen.contains("third line B"), "the merged text:\n\(Tmux.framed(seen))")
        for tmux in [first, second] {
            try tmux.press("q")
            try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
        }
        let shown = try vault.cli(["show", "Shared note"])
        XCTAssertEqual(shown.stdoutText.trimmingTrailingNewline, "A-first line\nsecond line\nthird line B",
                       shown.stderrText)
    }

    func testTwoInterfacesChangingTheSameLineKeepBothVersions() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Shared note", "one line")])
        let first = try vault.tmux(for: self)
        let second = try vault.tmux(for: self)
        for (tmux, text) in [(first, "A-"), (second, "B-")] {
            try vault.launch(in: tmux)
            try vault.logIn(in: tmux)
            try tmux.waitFor("1 onion")
            try tmux.press("e")
            try tmux.waitUntil("the editor") { $0.contains("editing") && $0.contains("Shared note") }
            try tmux.press("Tab")
            try tmux.type(text)
            try tmux.waitFor(text + "one line")
        }
        try second.press("C-s")
        try second.waitFor("Saved.")
        try first.press("C-s")
        let kept = try first.waitUntil("the first save to end") { $0.contains("conflict copy") || $0.contains("try again") }
        XCTAssertTrue(kept.contains("Shared note (conflict 2)"), "this edit is kept as a copy:\n\(Tmux.framed(kept))")
        try first.press("q")
        try second.press("q")
        XCTAssertEqual(try vault.cli(["show", "Shared note"]).stdoutText.trimmingTrailingNewline, "B-one line")
        XCTAssertEqual(try vault.cli(["show", "Shared note (conflict 2)"]).stdoutText.trimmingTrailingNewline,
                       "A-one line")
    }

    /// Main sealed no draft once another writer had saved (the seal met the changed store), so
    /// Ctrl-L and unlock dropped the typed text.
    func testLockAfterTheCommandLineSavedKeepsTheDraft() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Garden gate", "code amber-falcon")])
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        try tmux.waitFor("1 onion")
        try tmux.press("n")
        try tmux.waitFor("new onion")
        try tmux.type("Half typed")
        try tmux.press("Tab")
        try tmux.type("kept through the lock")
        try tmux.waitFor("kept through the lock")
        try add(vault, title: "From a script", info: "written meanwhile")

        try tmux.press("C-l")
        try tmux.waitFor("is locked.")
        try tmux.type(vault.password)
        try tmux.press("Enter")
        let back = try tmux.waitUntil("the editor with the draft") { $0.contains("kept through the lock") }
        XCTAssertTrue(back.contains("Half typed"), Tmux.framed(back))
        try tmux.press("C-s")
        try tmux.waitFor("Saved.")
        let listed = try tmux.waitFor("3 onions")
        XCTAssertTrue(listed.contains("From a script"), Tmux.framed(listed))
    }

    // MARK: Helpers

    private func add(_ vault: TestVault, title: String, info: String,
                     file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try addResult(vault, title: title, info: info)
        XCTAssertEqual(result.status, 0, "add \(title): \(result.stderrText)", file: file, line: line)
    }

    private func addResult(_ vault: TestVault, title: String, info: String) throws -> ProcessResult {
        let infoFile = vault.folder.appendingPathComponent("info-\(UUID().uuidString)").path
        try Data(info.utf8).write(to: URL(fileURLWithPath: infoFile))
        defer { try? FileManager.default.removeItem(atPath: infoFile) }
        return try vault.cli(["add", "--title", title, "--info-file", infoFile])
    }
}
