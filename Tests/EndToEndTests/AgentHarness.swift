import Foundation
import XCTest

/// A vault with an `onions agent --foreground` running on it, for the agent's tests.
///
/// The vault is made with the password file and `--no-agent`; the agent gets its own runtime
/// folder (XDG_RUNTIME_DIR, 0700). `command` runs a command the way a script would: without
/// the password, standard input from an empty file.
final class AgentVault {
    let vault: TestVault
    let runtime: URL
    let agentLog: URL
    private(set) var agent: Process?

    init(for test: XCTestCase, onions: [(title: String, info: String)] = []) throws {
        vault = try TestVault(for: test)
        runtime = vault.folder.appendingPathComponent("run")
        agentLog = vault.folder.appendingPathComponent("agent.log")
        try FileManager.default.createDirectory(at: runtime, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try vault.signUpWithCLI(onions: onions)
        // Strongly held: the agent must end with the test even when the test let go of this.
        test.addTeardownBlock { self.stopAgent() }
    }

    var environment: [String: String] {
        var env = vault.environment
        env["XDG_RUNTIME_DIR"] = runtime.path
        env["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        env["HOME"] = vault.folder.path
        return env
    }

    /// Starts the agent in the foreground with the password file and waits until it serves.
    func startAgent(_ extra: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws {
        _ = FileManager.default.createFile(atPath: agentLog.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: vault.binary)
        process.arguments = ["--store", vault.store, "--user", vault.user, "--password-file", vault.passwordFile]
            + extra + ["agent", "--foreground"]
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: agentLog)
        try process.run()
        agent = process
        let started = Processes.wait(timeout: 20) { self.log.contains("the agent is running") || !process.isRunning }
        guard started, process.isRunning else {
            let message = "the agent did not start: \(log)"
            XCTFail(message, file: file, line: line)
            throw HarnessError(description: message)
        }
    }

    /// What the agent wrote on its standard error.
    var log: String { (try? String(contentsOf: agentLog, encoding: .utf8)) ?? "" }

    var agentPID: pid_t? { agent.map { $0.processIdentifier } }

    /// The folder that holds the agent's socket, and the socket.
    var socketFolder: URL { runtime.appendingPathComponent("onions") }
    func socketPath() throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: socketFolder.path).filter { $0.hasSuffix(".sock") }
        guard names.count == 1 else { throw HarnessError(description: "expected one socket, found \(names)") }
        return socketFolder.appendingPathComponent(names[0]).path
    }

    /// Runs a command without the password (the agent's way), standard input `stdin`.
    func command(_ arguments: [String], stdin: [UInt8] = []) throws -> ProcessResult {
        try Harness.run(vault.binary, ["--store", vault.store, "--user", vault.user] + arguments, stdin: stdin,
                        environment: environment)
    }

    /// Runs a command with the password file and `--no-agent` (the old way).
    func withPassword(_ arguments: [String]) throws -> ProcessResult {
        try Harness.run(vault.binary, ["--store", vault.store, "--user", vault.user, "--password-file",
                                       vault.passwordFile, "--no-agent"] + arguments, environment: environment)
    }

    func stopAgent() {
        guard let agent, agent.isRunning else { return }
        agent.terminate()
        agent.waitUntilExit()
    }
}
