import Foundation
import XCTest

/// DESIGN.md section 4 for the history view, on the release binary (ONIONS_BIN): an onion saved
/// four times, each text a random marker; its history is opened and every version shown beside
/// the current one; a dump with gdb's `gcore` then finds the markers (the search works), and a
/// dump after Ctrl-L with the history open finds none of them, nor the password.
final class HistoryMemoryProofTests: XCTestCase {
    static let runs = ProcessInfo.processInfo.environment["ONIONS_PROOF_RUNS"].flatMap { Int($0) } ?? 5

    func testCtrlLWithAHistoryOpenLeavesNoVersionInMemory() throws {
        let gdb = try Tmux.executable("gdb")
        var summary: [String] = []
        for run in 1...Self.runs {
            let counts = try proveOnce(run: run, gdb: gdb)
            summary.append("run \(run): \(counts.before) hits before locking, \(counts.after) after")
        }
        print("memory proof, Ctrl-L in the history view:\n  " + summary.joined(separator: "\n  "))
    }

    private func proveOnce(run: Int, gdb: String) throws -> (before: Int, after: Int) {
        let password = Markers.make("p"), title = Markers.make("t")
        let infos = ["a", "b", "c", "d"].map { Markers.make($0) }
        let vault = try TestVault(for: self, user: "proof", password: password)
        try vault.signUpWithCLI(onions: [(title: title, info: infos[0])])
        for (index, info) in infos.dropFirst().enumerated() {
            let file = vault.folder.appendingPathComponent("edit-\(index)").path
            try Data(info.utf8).write(to: URL(fileURLWithPath: file))
            XCTAssertEqual(try vault.cli(["edit", title, "--info-file", file]).status, 0)
            try FileManager.default.removeItem(atPath: file)
        }
        let tmux = try vault.tmux(for: self)
        try vault.launch(in: tmux)
        try vault.logIn(in: tmux)
        let pid = try vault.onionsPID()
        defer { kill(pid, SIGKILL) }

        // Every version is opened beside the current one, the last one shown being the first.
        try tmux.press("H")
        try tmux.waitUntil("the history") { $0.contains("4 versions") && $0.contains(infos[2]) && $0.contains(infos[3]) }
        try tmux.press("k")
        try tmux.waitFor("- " + infos[1])
        try tmux.press("k")
        try tmux.waitFor("- " + infos[0])

        let before = try Dump.take(pid, gdb: gdb, into: vault.folder, label: "history-before", file: #filePath, line: #line)
        try tmux.press("C-l")
        try tmux.waitFor("is locked.")
        usleep(200_000)  // the lock screen's frame
        let after = try Dump.take(pid, gdb: gdb, into: vault.folder, label: "history-after", file: #filePath, line: #line)
        kill(pid, SIGKILL)

        var named = [("password", password), ("title", title)]
        for (index, info) in infos.enumerated() { named.append(("version \(index + 1)'s info", info)) }
        let needles = Markers.needles(named)
        let found = try Dump.hits(of: needles, inFile: before)
        let left = try Dump.hits(of: needles, inFile: after)
        try? FileManager.default.removeItem(at: before)
        try? FileManager.default.removeItem(at: after)
        if run == 1 { print("memory proof, history, run 1 before locking: \(found.described)") }
        for index in [0, 3] {
            XCTAssertTrue(found.byNeedle.contains { $0.0.hasPrefix("version \(index + 1)'s info") && !$0.1.isEmpty },
                          "run \(run): the dump before locking lacks version \(index + 1) shown in the history, "
                          + "so the search for it proves nothing")
        }
        XCTAssertEqual(left.total, 0, "run \(run): after Ctrl-L in the history the dump still holds " + left.described)
        return (found.total, left.total)
    }
}
