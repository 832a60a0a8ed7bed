import Foundation
import XCTest

/// A private tmux server holding one window with an interactive bash, driven like a person.
///
/// Each instance starts its own server (`tmux -L <unique socket> -f /dev/null`), so tests never
/// see each other's panes or a user's tmux configuration. The shell is `bash --norc
/// --noprofile` with LANG=C.UTF-8, TERM set by tmux, and the given environment on top; it
/// starts on a clear screen showing `Tmux.prompt`. Call `stop()` when done (`start(for:)` registers it as a teardown
/// block). A missing tmux fails the test: `make test` installs it.
final class Tmux {
    /// What the shell prints before each command line.
    static let prompt = "e2e$ "

    let socket: String
    private let tmux: String
    private let environment: [String: String]
    /// Where each tmux command's output lands (a private folder of the test).
    private let folder: URL
    private(set) var width: Int
    private(set) var height: Int

    private init(tmux: String, socket: String, environment: [String: String], folder: URL, width: Int, height: Int) {
        self.tmux = tmux
        self.folder = folder
        self.socket = socket
        self.environment = environment
        self.width = width
        self.height = height
    }

    /// Starts a server and its session for `test`, and waits for the shell's prompt.
    ///
    /// `environment` is added to the shell's (XDG_STATE_HOME and the like); the server is
    /// killed when the test ends, even after a failure.
    static func start(for test: XCTestCase, width: Int = 80, height: Int = 24,
                      environment: [String: String] = [:],
                      file: StaticString = #filePath, line: UInt = #line) throws -> Tmux {
        let tmux = try executable("tmux", file: file, line: line)
        let socket = "onions-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let base = ProcessInfo.processInfo.environment
        var env: [String: String] = [
            "PATH": base["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": base["HOME"] ?? "/tmp",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "HISTFILE": "/dev/null",
        ]
        if let tmpdir = base["TMUX_TMPDIR"] { env["TMUX_TMPDIR"] = tmpdir }
        env.merge(environment) { _, new in new }
        let folder = try Harness.temporaryDirectory(for: test)
        let session = Tmux(tmux: tmux, socket: socket, environment: env, folder: folder, width: width, height: height)
        test.addTeardownBlock { session.stop() }
        try session.command(["-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "\(width)", "-y", "\(height)",
                             "bash --norc --noprofile"], file: file, line: line)
        try session.command(["set-option", "-g", "window-size", "manual"], file: file, line: line)
        try session.command(["set-option", "-g", "remain-on-exit", "off"], file: file, line: line)
        // bash ignores a PS1 from its environment: set it, then start from a clear screen.
        try session.runInShell("PS1='\(prompt)'; clear", file: file, line: line)
        try session.waitUntil("the shell's prompt", timeout: 10, file: file, line: line) {
            $0.trimmingCharacters(in: .whitespacesAndNewlines) == prompt.trimmingCharacters(in: .whitespaces)
        }
        return session
    }

    /// The absolute path of `name` on PATH; fails the test when there is none.
    static func executable(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        let message = "\(name) is not installed: 'make test' installs it (it is in the Makefile's TEST_PACKAGES)"
        XCTFail(message, file: file, line: line)
        throw HarnessError(description: message)
    }

    // MARK: Driving

    /// Runs one tmux command against this server and returns its output; a failure fails the test.
    @discardableResult
    func command(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try Self.spawnAndWait(tmux, ["-L", socket] + arguments, environment: environment,
                                           outputFolder: folder)
        guard result.status == 0 else {
            let message = "tmux \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderrText)"
            XCTFail(message, file: file, line: line)
            throw HarnessError(description: message)
        }
        return result.stdoutText
    }

    /// The text of paste buffer `name`, nil when there is none (the program's clear may delete a
    /// buffer between `list-buffers` and this).
    func buffer(_ name: String) throws -> String? {
        let result = try Self.spawnAndWait(tmux, ["-L", socket, "show-buffer", "-b", name], environment: environment,
                                           outputFolder: folder)
        return result.status == 0 ? result.stdoutText : nil
    }

    /// Types `text` literally, as if on a keyboard (no key names are looked up).
    func type(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try command(["send-keys", "-t", "e2e", "-l", text], file: file, line: line)
    }

    /// Presses keys by tmux name, in order: "Enter", "Tab", "Escape", "C-l", "C-s", "C-z", "Down"...
    ///
    /// An "Escape" followed at once by a character reaches the program as Alt and that
    /// character; wait for the screen to change after Escape before pressing the next key.
    func press(_ keys: String..., file: StaticString = #filePath, line: UInt = #line) throws {
        try command(["send-keys", "-t", "e2e"] + keys, file: file, line: line)
    }

    /// Types a shell command line and presses Enter.
    func runInShell(_ commandLine: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try type(commandLine, file: file, line: line)
        try press("Enter", file: file, line: line)
    }

    /// The visible pane as text, one line per row, trailing blanks trimmed.
    func screen(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try command(["capture-pane", "-p", "-t", "e2e"], file: file, line: line)
    }

    /// A tmux format about the pane, such as `#{alternate_on}` or `#{cursor_flag}`.
    func paneFormat(_ format: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try command(["display-message", "-p", "-t", "e2e", format], file: file, line: line)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen every 50 ms until `condition` holds and returns that screen; after
    /// `timeout` seconds the test fails with `what` and the last screen.
    ///
    /// A frame can reach tmux in several writes (curses writes out its buffer whenever it is
    /// full), so a capture can hold a frame half painted: the top of the lock screen without its
    /// notice on the last line, say. Once `condition` holds, the screen is
    /// captured again 20 ms later, when the frame is whole, and that capture is returned if
    /// `condition` still holds (a screen that has moved on, such as an animation's frame,
    /// returns the first capture).
    @discardableResult
    func waitUntil(_ what: String, timeout: Double = 10, file: StaticString = #filePath, line: UInt = #line,
                   _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var shown = ""
        while true {
            shown = try screen(file: file, line: line)
            if condition(shown) {
                usleep(20_000)
                let whole = try screen(file: file, line: line)
                return condition(whole) ? whole : shown
            }
            if Date() >= deadline { break }
            usleep(50_000)
        }
        let message = "waited \(timeout) s for \(what); the screen was:\n\(Self.framed(shown))"
        XCTFail(message, file: file, line: line)
        throw HarnessError(description: message)
    }

    /// Waits until `text` is on the screen and returns the screen.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 10, file: StaticString = #filePath,
                 line: UInt = #line) throws -> String {
        try waitUntil("\"\(text)\"", timeout: timeout, file: file, line: line) { $0.contains(text) }
    }

    /// Changes the window's size (SIGWINCH reaches the program in the pane).
    func resize(width: Int, height: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        try command(["resize-window", "-t", "e2e", "-x", "\(width)", "-y", "\(height)"], file: file, line: line)
        self.width = width
        self.height = height
    }

    /// Closes the pane: its processes get SIGHUP, as when an ssh connection drops.
    func killPane(file: StaticString = #filePath, line: UInt = #line) throws {
        try command(["kill-pane", "-t", "e2e"], file: file, line: line)
    }

    /// The pid of the shell in the pane.
    func shellPID(file: StaticString = #filePath, line: UInt = #line) throws -> pid_t {
        let text = try command(["list-panes", "-t", "e2e", "-F", "#{pane_pid}"], file: file, line: line)
        guard let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            let message = "tmux gave no pane pid: \(text)"
            XCTFail(message, file: file, line: line)
            throw HarnessError(description: message)
        }
        return pid
    }

    /// Kills the server and everything in it; safe to call twice.
    func stop() {
        _ = try? Self.spawnAndWait(tmux, ["-L", socket, "kill-server"], environment: environment,
                                   outputFolder: folder)
    }

    /// The last row of `screen` that is not blank, without trailing blanks.
    static func lastLine(of screen: String) -> String {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }
        return rows.last(where: { !$0.isEmpty }) ?? ""
    }

    /// Runs `executable` and waits for it alone, not for what it leaves running.
    ///
    /// The first tmux client forks the server, which keeps every descriptor the client had;
    /// Foundation's `Process` waits for those to close and so never returns. This waits with
    /// `waitpid` and sends output to files in `outputFolder` (stdin is /dev/null).
    static func spawnAndWait(_ executable: String, _ arguments: [String], environment: [String: String],
                             outputFolder: URL) throws -> ProcessResult {
        let outPath = outputFolder.appendingPathComponent("tmux.out").path
        let errPath = outputFolder.appendingPathComponent("tmux.err").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw HarnessError(description: "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw HarnessError(description: "waitpid failed: errno \(errno)") }
        }
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return ProcessResult(status: exitStatus,
                             stdout: [UInt8](FileManager.default.contents(atPath: outPath) ?? Data()),
                             stderr: [UInt8](FileManager.default.contents(atPath: errPath) ?? Data()))
    }

    /// `text` between rulers, so that blank rows and trailing spaces are visible in a report.
    static func framed(_ text: String) -> String {
        let rule = String(repeating: "-", count: 40)
        return rule + "\n" + text + (text.hasSuffix("\n") ? "" : "\n") + rule
    }
}

/// Processes looked up through /proc.
enum Processes {
    /// The pids whose command line contains `needle` as one of its arguments' substrings, or
    /// that hold the file `needle` open (onions blanks its own arguments once it has read them).
    static func matching(_ needle: String) -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var found: [pid_t] = []
        for entry in entries {
            guard let pid = pid_t(entry), pid != getpid(),
                  let raw = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
            let arguments = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if arguments.contains(where: { $0.contains(needle) }) || holdsOpen(pid, needle) { found.append(pid) }
        }
        return found.sorted()
    }

    /// The pids whose parent is `parent` (from /proc/PID/stat).
    static func children(of parent: pid_t) -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/stat") else {
                return nil
            }
            let text = String(decoding: data, as: UTF8.self)
            guard let close = text.lastIndex(of: ")") else { return nil }
            let fields = text[text.index(after: close)...].split(separator: " ")
            return fields.count > 1 && pid_t(fields[1]) == parent ? pid : nil
        }.sorted()
    }

    /// True when one of `pid`'s file descriptors is the file at `path`.
    static func holdsOpen(_ pid: pid_t, _ path: String) -> Bool {
        guard path.hasPrefix("/"), let wanted = realpath(path, nil) else { return false }
        let target = String(cString: wanted)
        free(wanted)
        let folder = "/proc/\(pid)/fd"
        guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return false }
        return descriptors.contains { (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\($0)")) == target }
    }

    /// True while `pid` exists and is not a zombie.
    static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        return state(of: pid) != "Z"
    }

    /// The one-letter state in /proc/PID/stat ("R", "S", "T" stopped, "Z"...), nil when gone.
    static func state(of pid: pid_t) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        let rest = text[text.index(after: close)...].split(separator: " ")
        return rest.first.map(String.init)
    }

    /// Waits until `condition` holds, polling every 50 ms; false after `timeout` seconds.
    static func wait(timeout: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() >= deadline { return false }
            usleep(50_000)
        }
        return true
    }
}
