import Foundation
import XCTest

/// Killing the program at any moment loses no acknowledged save and leaves a vault that opens
/// without an integrity issue.
///
/// `onions signup` creates the vault first (a kill inside sign up is not what this test is
/// about). Then `crash-save-loop` (Tests/CrashSaveLoop, built next to ONIONS_BIN) saves onions
/// "n<i>" one per transaction and prints "saved <i>" only after `saveOnion` returned. Each round kills it with
/// SIGKILL at a random moment: odd rounds 20–300 ms after it started (in its log in, or saving
/// on a quiet machine), even rounds 0–300 ms after it printed "opened" (while it saves, however
/// long the log in took on a busy machine). Then `onions list` opens the same vault, sharing the
/// loop's rollback memory (its state folder), and must list every acknowledged title and
/// report no integrity issue.
final class CrashSafetyTests: XCTestCase {
    func testEveryAcknowledgedSaveSurvivesFiftyKillsAtRandomMoments() throws {
        let onions = try Harness.onionsBinary()
        let loopBinary = try saveLoopBinary(besides: onions)
        let folder = try Harness.temporaryDirectory(for: self)
        let store = folder.appendingPathComponent("onions.db").path
        let xdgState = folder.appendingPathComponent("state").path
        let state = xdgState + "/onions"
        let passwordFile = folder.appendingPathComponent("password")
        try Data("crash-test-pass-7\n".utf8).write(to: passwordFile)
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = xdgState
        environment["XDG_CONFIG_HOME"] = folder.appendingPathComponent("config").path
        environment["ONIONS_USER"] = nil
        let common = ["--store", store, "--user", "crash", "--password-file", passwordFile.path]
        let signUp = try Harness.run(onions, common + ["--kdf-cost", "15", "signup"], environment: environment)
        XCTAssertEqual(signUp.status, 0, "onions signup failed: \(signUp.stderrText)")
        guard signUp.status == 0 else { return }
        var acknowledged = Set<Int>()

        for round in 1...50 {
            let delay = round % 2 == 1 ? Int.random(in: 20...300) : Int.random(in: 0...300)
            let loop = try runKilled(loopBinary, [store, state], afterMilliseconds: delay,
                                     afterOpening: round % 2 == 0, in: folder)
            guard loop.wasKilled else {
                XCTFail("round \(round): crash-save-loop stopped by itself (status \(loop.status)): \(loop.stderrText)")
                return
            }
            acknowledged.formUnion(acknowledgedNumbers(loop.stdoutText))

            let listed = try Harness.run(onions, common + ["list"], environment: environment)
            guard listed.status == 0 else {
                XCTFail("round \(round) (killed after \(delay) ms): the vault does not open cleanly: \(listed.stderrText)")
                return
            }
            let titles = listed.stdoutText.split(separator: "\n").map(String.init)
            let present = Set(titles)
            let lost = acknowledged.filter { !present.contains("n\($0)") }.sorted()
            guard lost.isEmpty else {
                XCTFail("round \(round) (killed after \(delay) ms): acknowledged saves are gone: "
                        + lost.prefix(10).map { "n\($0)" }.joined(separator: ", "))
                return
            }
            XCTAssertEqual(present.count, titles.count, "round \(round): a title is listed twice")
            // Each round may leave at most one save that was committed but not yet acknowledged.
            XCTAssertLessThanOrEqual(titles.count, acknowledged.count + round,
                                     "round \(round): the vault lists onions nobody saved")
        }
        XCTAssertGreaterThan(acknowledged.count, 0, "no save was ever acknowledged")
    }

    // MARK: Helpers

    /// What a process killed with SIGKILL (or one that ended first) left behind.
    private struct KilledRun {
        let wasKilled: Bool
        let status: Int32
        let stdoutText: String
        let stderrText: String
    }

    /// `crash-save-loop`, in the folder of the `onions` binary under test.
    private func saveLoopBinary(besides onions: String) throws -> String {
        let path = URL(fileURLWithPath: onions).deletingLastPathComponent()
            .appendingPathComponent("crash-save-loop").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            XCTFail("\(path) is not an executable file: build the release products next to ONIONS_BIN")
            throw HarnessError(description: "no crash-save-loop")
        }
        return path
    }

    /// Starts `executable`, sends it SIGKILL after `milliseconds` (counted from its "opened" line
    /// when `afterOpening`, waiting up to 30 s for it), and returns its output.
    /// Output goes to files, so every write(2) that completed before the kill is kept.
    private func runKilled(_ executable: String, _ arguments: [String], afterMilliseconds milliseconds: Int,
                           afterOpening: Bool, in folder: URL) throws -> KilledRun {
        let outURL = folder.appendingPathComponent("loop.out")
        let errURL = folder.appendingPathComponent("loop.err")
        for url in [outURL, errURL] {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw HarnessError(description: "cannot create \(url.path)")
            }
        }
        let output = try FileHandle(forWritingTo: outURL)
        let errors = try FileHandle(forWritingTo: errURL)
        defer {
            try? output.close()
            try? errors.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        if afterOpening {
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning, Date() < deadline,
                  !((try? String(contentsOf: outURL, encoding: .utf8))?.hasPrefix("opened\n") ?? false) {
                usleep(5_000)
            }
        }
        usleep(UInt32(milliseconds) * 1_000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return KilledRun(
            wasKilled: process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL,
            status: process.terminationStatus,
            stdoutText: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderrText: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// The numbers of the complete "saved <i>" lines (a line cut by the kill does not count).
    private func acknowledgedNumbers(_ output: String) -> [Int] {
        let complete = output.hasSuffix("\n") ? output[...] : output[..<(output.lastIndex(of: "\n") ?? output.startIndex)]
        return complete.split(separator: "\n").compactMap { line in
            line.hasPrefix("saved ") ? Int(line.dropFirst("saved ".count)) : nil
        }
    }
}
