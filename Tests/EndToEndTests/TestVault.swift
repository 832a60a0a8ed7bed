import Foundation
import XCTest

/// One end-to-end test's vault: its folders, store, user and password, and the texts it holds.
final class TestVault {
    let binary: String
    let folder: URL
    let store: String
    let user: String
    let password: String
    let passwordFile: String
    let environment: [String: String]
    /// The tmux session the interface was last launched in (its pane's shell is its parent).
    private var launchedIn: Tmux?
    /// Every title and info put into the vault (for "the screen shows none of them").
    private(set) var plaintexts: [String] = []

    /// `store`: the store's path inside the vault's folder.
    init(for test: XCTestCase, user: String = "ada", password: String = "correct horse 42",
         store storePath: String = "onions.db") throws {
        self.user = user
        self.password = password
        binary = try Harness.onionsBinary()
        folder = try Harness.temporaryDirectory(for: test)
        store = folder.appendingPathComponent(storePath).path
        passwordFile = folder.appendingPathComponent("password").path
        try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: passwordFile))
        var environment: [String: String] = [:]
        for name in ["XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"] {
            let path = folder.appendingPathComponent(name.lowercased()).path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            environment[name] = path
        }
        self.environment = environment
    }

    /// A tmux server whose shell has this vault's XDG folders.
    func tmux(for test: XCTestCase, file: StaticString = #filePath, line: UInt = #line) throws -> Tmux {
        try Tmux.start(for: test, environment: environment, file: file, line: line)
    }

    /// Starts the interface on this vault's store from the pane's shell.
    func launch(in tmux: Tmux, extra: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws {
        let words = [binary, "--store", store, "--kdf-cost", "15"] + extra
        launchedIn = tmux
        try tmux.runInShell(words.map(Self.quoted).joined(separator: " "), file: file, line: line)
    }

    /// Types the username (unless `--user` filled it in) and the password on the log-in screen
    /// and waits until the vault is open.
    func logIn(in tmux: Tmux, file: StaticString = #filePath, line: UInt = #line) throws {
        let form = try tmux.waitFor("Unlock your vault", file: file, line: line)
        if !form.contains("Username  \(user) ") {
            try tmux.type(user, file: file, line: line)
            try tmux.press("Enter", file: file, line: line)
        }
        try tmux.type(password, file: file, line: line)
        try tmux.press("Enter", file: file, line: line)
        try tmux.waitUntil("the vault to open", file: file, line: line) {
            $0.contains(" onions · \(self.user)") && !$0.contains("Unlock your vault") && !$0.contains("Opening")
        }
    }

    /// Creates the vault and its onions with the scripting commands (fast, no screens).
    func signUpWithCLI(onions: [(title: String, info: String)], file: StaticString = #filePath,
                       line: UInt = #line) throws {
        let created = try cli(["--kdf-cost", "15", "signup"])
        XCTAssertEqual(created.status, 0, "signup: \(created.stderrText)", file: file, line: line)
        for (index, onion) in onions.enumerated() {
            let infoFile = folder.appendingPathComponent("info-\(index)").path
            try Data(onion.info.utf8).write(to: URL(fileURLWithPath: infoFile))
            let added = try cli(["add", "--title", onion.title, "--info-file", infoFile])
            XCTAssertEqual(added.status, 0, "add: \(added.stderrText)", file: file, line: line)
            try FileManager.default.removeItem(atPath: infoFile)
            plaintexts += [onion.title, onion.info]
        }
    }

    /// Runs a scripting command on this vault with the password file.
    func cli(_ arguments: [String]) throws -> ProcessResult {
        var env = environment
        env["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        env["HOME"] = folder.path
        return try Harness.run(binary, ["--store", store, "--user", user, "--password-file", passwordFile] + arguments,
                               environment: env)
    }

    /// The pid of the interface running on this store (exactly one must run).
    /// The interface's pid: the process holding the store open, else (before log in, when the
    /// store may not be open yet; its command line shows only its name) the one child of the
    /// pane's shell it was launched from.
    func onionsPID(file: StaticString = #filePath, line: UInt = #line) throws -> pid_t {
        var pids = Processes.matching(store)
        if pids.isEmpty, let tmux = launchedIn {
            pids = Processes.children(of: try tmux.shellPID(file: file, line: line))
        }
        guard pids.count == 1, let pid = pids.first else {
            let message = "expected one onions process on \(store), found \(pids)"
            XCTFail(message, file: file, line: line)
            throw HarnessError(description: message)
        }
        return pid
    }

    private static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

