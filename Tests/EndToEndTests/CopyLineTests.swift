import Foundation
import XCTest

/// Issue 29 item 8, the command line: `show --line N` and `--first-line` print one line;
/// `copy TITLE [--line N] [--otp]` puts it on the clipboard by OSC 52 (here tmux's buffer,
/// `set-clipboard on`) and takes it back after the clipboard time, as `pass -c` does; without a
/// terminal it says so.
final class CopyLineTests: XCTestCase {
    static let info = "hunter2 secret\nuser: ada\notpauth://totp/Bank:ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Bank\n"

    func testShowPrintsOneLine() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Bank", Self.info)])
        XCTAssertEqual(try vault.cli(["show", "Bank", "--first-line"]).stdoutText, "hunter2 secret\n")
        XCTAssertEqual(try vault.cli(["show", "Bank", "--line", "2"]).stdoutText, "user: ada\n")
        let missing = try vault.cli(["show", "Bank", "--line", "9"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stdout, [])
        XCTAssertTrue(missing.stderrText.contains("the info has 3 lines; there is no line 9"), missing.stderrText)
        XCTAssertEqual(try vault.cli(["show", "Bank", "--line", "1", "--first-line"]).status, 2)
        let noTerminal = try vault.cli(["copy", "Bank"])
        XCTAssertEqual(noTerminal.status, 1)
        XCTAssertEqual(noTerminal.stdout, [], "nothing is written where no terminal reads it")
        XCTAssertTrue(noTerminal.stderrText.contains("copy needs a terminal on standard output"), noTerminal.stderrText)
    }

    /// tmux's newest paste buffer ("" when there is none).
    func newestBuffer(_ tmux: Tmux) throws -> String {
        let buffers = try tmux.command(["list-buffers", "-F", "#{buffer_name}"])
        guard let newest = buffers.split(separator: "\n").first else { return "" }
        return try tmux.buffer(String(newest)) ?? ""
    }

    func testCopyPutsOneLineOnTheClipboardAndTakesItBack() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Bank", Self.info)])
        let tmux = try vault.tmux(for: self)
        try tmux.command(["set-option", "-s", "set-clipboard", "on"])
        let words = [vault.binary, "--store", vault.store, "--user", vault.user, "--password-file", vault.passwordFile,
                     "--clipboard-seconds", "3"]
        func run(_ extra: [String]) throws {
            try tmux.runInShell((words + extra).map { "'" + $0 + "'" }.joined(separator: " "))
        }
        try run(["copy", "Bank"])
        try tmux.waitFor("the clipboard clears in 3 s")
        XCTAssertEqual(try newestBuffer(tmux), "hunter2 secret", "the first line, without its line break")
        XCTAssertTrue(Processes.wait(timeout: 10) { (try? self.newestBuffer(tmux))?.contains("hunter2") == false },
                      "the copy is taken back after the clipboard time")

        try run(["copy", "Bank", "--line", "2"])
        XCTAssertTrue(Processes.wait(timeout: 10) { (try? self.newestBuffer(tmux)) == "user: ada" })

        // The code belongs to the 30 s step of the moment the copy ran, somewhere between the
        // two clock readings here; when a step boundary falls between them, either code is right.
        let before = Date()
        try run(["copy", "Bank", "--otp"])
        XCTAssertTrue(Processes.wait(timeout: 10) { (try? self.newestBuffer(tmux))?.count == 6 })
        let code = try newestBuffer(tmux)
        let after = Date()
        XCTAssertTrue(code.allSatisfy(\.isNumber), code)
        let seed = Array("12345678901234567890".utf8)
        let expected = try Set([before, after].map { try Self.totp(seed: seed, at: $0) })
        XCTAssertTrue(expected.contains(code), "RFC 6238's SHA-1 seed: \(code) is none of \(expected.sorted())")
    }

    /// Every paste buffer tmux holds, by name.
    static func allBuffers(_ tmux: Tmux) throws -> [String: String] {
        var all: [String: String] = [:]
        for name in try tmux.command(["list-buffers", "-F", "#{buffer_name}"]).split(separator: "\n") {
            all[String(name)] = try tmux.buffer(String(name))
        }
        return all
    }

    /// The clear takes the copy out of tmux's paste-buffer list too, not only off the top: a
    /// buffer the person had before stays.
    func testTheClearDeletesTheCopyFromTmuxsBufferList() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [("Bank", Self.info)])
        let tmux = try vault.tmux(for: self)
        try tmux.command(["set-option", "-s", "set-clipboard", "on"])
        try tmux.command(["set-buffer", "-b", "mine", "kept by the person"])
        let words = [vault.binary, "--store", vault.store, "--user", vault.user, "--password-file", vault.passwordFile,
                     "--clipboard-seconds", "3"]
        try tmux.runInShell((words + ["copy", "Bank", "--line", "2"]).map { "'" + $0 + "'" }.joined(separator: " "))
        try tmux.waitFor("the clipboard clears in 3 s")
        XCTAssertTrue(Processes.wait(timeout: 5) { (try? Self.allBuffers(tmux))?.values.contains("user: ada") == true },
                      "the copy reached tmux")
        XCTAssertTrue(Processes.wait(timeout: 12) { (try? Self.allBuffers(tmux))?.values.contains("user: ada") == false },
                      "the copied line is still in tmux's buffer list after the clear: \((try? Self.allBuffers(tmux)) ?? [:])")
        XCTAssertEqual(try Self.allBuffers(tmux)["mine"], "kept by the person")
    }

    /// RFC 6238's code for `seed` at `date` (6 digits, 30 s, SHA-1), computed here in the test.
    static func totp(seed: [UInt8], at date: Date) throws -> String {
        let counter = UInt64(date.timeIntervalSince1970) / 30
        let python = """
        import hmac, hashlib, struct, sys
        mac = hmac.new(bytes.fromhex(sys.argv[1]), struct.pack('>Q', int(sys.argv[2])), hashlib.sha1).digest()
        o = mac[-1] & 15
        print('%06d' % ((struct.unpack('>I', mac[o:o+4])[0] & 0x7fffffff) % 1000000), end='')
        """
        let hex = seed.map { String(format: "%02x", $0) }.joined()
        return try Harness.run("/usr/bin/python3", ["-c", python, hex, "\(counter)"]).stdoutText
    }
}
