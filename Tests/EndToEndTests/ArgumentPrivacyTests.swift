import Foundation
import XCTest

/// Other local users can read every process's command line (/proc/PID/cmdline, `ps`): a private
/// text either never stands there (the `-` form, key files) or is blanked once it is read.
final class ArgumentPrivacyTests: XCTestCase {
    private let secretTask = "pay rent to Eve"

    private func rawCommandLine(of pid: pid_t) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data())
    }

    private func commandLine(of pid: pid_t) -> [String] {
        rawCommandLine(of: pid).split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Starts `task add TEXT` with the password to come on a pipe, so that it blocks; `check`
    /// gets its pid while it waits; then the password goes in and the task must be saved.
    private func whileWaitingForThePassword(environment extra: [String: String],
                                            _ check: (TestVault, pid_t) -> Void) throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: vault.binary)
        process.arguments = ["--store", vault.store, "--user", vault.user, "--password-stdin", "task", "add", secretTask]
        process.environment = vault.environment.merging(extra) { $1 }
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        check(vault, process.processIdentifier)
        XCTAssertTrue(process.isRunning, "the command must still be waiting for its password")
        input.fileHandleForWriting.write(Data((vault.password + "\n").utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(try vault.cli(["task", "list"]).stdoutText, "[ ] 0 \(secretTask)\n",
                       "the text was read before it was blanked")
    }

    /// The program starts itself once more (ProcessHardening); the image that stays is given
    /// its program's name alone, the rest goes over in a memory file. So its command line is the
    /// name and nothing else, not even blanked room where the arguments stood.
    func testTheRestartedProgramIsNeverGivenTheArguments() throws {
        try whileWaitingForThePassword(environment: [:]) { vault, pid in
            let expected = Array(vault.binary.utf8) + [0]
            let handedOver = Processes.wait(timeout: 10) { self.rawCommandLine(of: pid) == expected }
            XCTAssertTrue(handedOver, "/proc/\(pid)/cmdline: \(self.commandLine(of: pid)), "
                          + "\(self.rawCommandLine(of: pid).count) bytes")
        }
    }

    /// Without the restart (the allocator setting it exists for is already in the environment),
    /// the arguments stand in argv: they are blanked once read, leaving only the name.
    func testATextOnTheCommandLineIsBlankedWhileTheCommandWaitsForItsPassword() throws {
        try whileWaitingForThePassword(environment: ["GLIBC_TUNABLES": "glibc.malloc.tcache_count=0"]) { vault, pid in
            let blanked = Processes.wait(timeout: 10) {
                let words = self.commandLine(of: pid)
                return !words.isEmpty && !words.contains { $0.contains(self.secretTask) }
            }
            XCTAssertTrue(blanked, "the task stays readable in /proc/\(pid)/cmdline: \(self.commandLine(of: pid))")
            XCTAssertEqual(commandLine(of: pid), [vault.binary], "only the program's name is left")
            XCTAssertGreaterThan(rawCommandLine(of: pid).count, vault.binary.utf8.count + 1,
                                 "the program was not restarted: the arguments' room is still there, blanked")
        }
    }

    /// With `-` the texts come from standard input, one line each after the password's line,
    /// in the synopsis's order; an info file `-` takes the rest.
    func testADashReadsEachTextFromTheNextLineOfStandardInput() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [])
        func run(_ arguments: [String], _ lines: [String]) throws -> ProcessResult {
            try Harness.run(vault.binary, ["--store", vault.store, "--user", vault.user, "--password-stdin"] + arguments,
                            stdin: Array(([vault.password] + lines).joined(separator: "\n").utf8),
                            environment: vault.environment)
        }
        var result = try run(["add", "--title", "-", "--info-file", "-"], ["Tax office", "pin 4417", "line two\n"])
        XCTAssertEqual(result.status, 0, result.stderrText)
        result = try run(["show", "-"], ["Tax office"])
        XCTAssertEqual(result.stdoutText, "pin 4417\nline two\n", result.stderrText)
        result = try run(["edit", "-", "--title", "-"], ["Tax office", "Taxes"])
        XCTAssertEqual(result.status, 0, result.stderrText)
        result = try run(["grep", "-"], ["4417"])
        XCTAssertEqual(result.stdoutText, "Taxes\n  pin 4417\n", result.stderrText)
        result = try run(["task", "add", "-"], [secretTask])
        XCTAssertEqual(result.stdoutText, "0\n", result.stderrText)
        XCTAssertEqual(try vault.cli(["task", "list"]).stdoutText, "[ ] 0 \(secretTask)\n")
        result = try run(["rm", "-"], ["Taxes"])
        XCTAssertEqual(result.status, 0, result.stderrText)
        XCTAssertEqual(try vault.cli(["list"]).stdoutText, "")
    }

    /// `rncryptor` reads its data from standard input, so its keys come from files.
    func testRNCryptorKeysFromFilesOpenWhatKeysOnTheCommandLineSealed() throws {
        let folder = try Harness.temporaryDirectory(for: self)
        let encryption = String(repeating: "0a", count: 32), hmac = String(repeating: "b1", count: 32)
        let encryptionFile = folder.appendingPathComponent("enc").path
        let hmacFile = folder.appendingPathComponent("hmac").path
        try Data((encryption + "\n").utf8).write(to: URL(fileURLWithPath: encryptionFile))
        try Data(hmac.utf8).write(to: URL(fileURLWithPath: hmacFile))
        let sealed = try Harness.onions(["rncryptor", "encrypt", "--enc-key", encryption, "--hmac-key", hmac],
                                        stdin: Array("a scarf".utf8))
        XCTAssertEqual(sealed.status, 0, sealed.stderrText)
        let opened = try Harness.onions(["rncryptor", "decrypt", "--enc-key-file", encryptionFile,
                                         "--hmac-key-file", hmacFile], stdin: sealed.stdout)
        XCTAssertEqual(opened.stdoutText, "a scarf", opened.stderrText)
        try Data("not hex\n".utf8).write(to: URL(fileURLWithPath: hmacFile))
        let refused = try Harness.onions(["rncryptor", "decrypt", "--enc-key-file", encryptionFile,
                                          "--hmac-key-file", hmacFile], stdin: sealed.stdout)
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderrText.contains("--hmac-key-file \(hmacFile) does not hold 64 hex digits"),
                      refused.stderrText)
    }
}
