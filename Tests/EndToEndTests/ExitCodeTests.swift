import Foundation
import XCTest

/// Every command's exit codes, run for real and held to the table in the man page's EXIT
/// STATUS section: each code a command gives must be listed for it, each listed code must be
/// seen, and every command of `onions --help` must have a row.
final class ExitCodeTests: XCTestCase {
    /// The table: command -> codes, from the lines between `.ft CR` and `.ft` under EXIT STATUS.
    func manTable() throws -> [String: Set<Int32>] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let roff = try String(contentsOfFile: root.appendingPathComponent("Resources/onions.1").path, encoding: .utf8)
            .replacingOccurrences(of: "\\-", with: "-")
        var table: [String: Set<Int32>] = [:]
        var inSection = false, inTable = false
        for line in roff.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix(".SH") { inSection = line == ".SH EXIT STATUS"; continue }
            guard inSection else { continue }
            if line == ".ft CR" { inTable = true; continue }
            if line == ".ft" { inTable = false; continue }
            guard inTable else { continue }
            let words = line.split(separator: " ").map(String.init)
            guard let name = words.first, name != "command" else { continue }
            table[name] = Set(words.dropFirst().prefix { Int32($0) != nil }.compactMap { Int32($0) })
        }
        return table
    }

    func testEveryCommandExitsWithTheCodesTheManPageLists() throws {
        let table = try manTable()
        let help = try Harness.onions(["--help"])
        let commands = ManPageTests.helpCommands(help.stdoutText)
        XCTAssertEqual(Set(commands).subtracting(table.keys).sorted(), [], "commands without a row in EXIT STATUS")
        XCTAssertEqual(Set(table.keys).subtracting(commands).sorted(), [], "rows for commands --help does not list")

        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [(title: "Garden", info: "plant tulips\n")])
        let folder = vault.folder.path
        func file(_ name: String, _ text: String) throws -> String {
            let path = folder + "/" + name
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let info = try file("info", "some text\n")
        let wrong = try file("wrong-password", "not the password\n")
        let cardPassword = try file("card-password", "a card password\n")
        let longTitle = String(repeating: "x", count: 31)
        let dead = "postgresql://nobody:nothing@127.0.0.1:1/none"
        let backup = folder + "/backup"
        let runtime = folder + "/run"
        try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])

        var seen: [String: Set<Int32>] = [:]
        /// Runs `onions` (with the vault's store, user and password file unless `password` is
        /// another file or nil; `bare`: the command first, as rncryptor, completion and version
        /// must be) and checks its exit code.
        func expect(_ code: Int32, _ command: String, _ args: [String], password: String? = "", bare: Bool = false,
                    environment extra: [String: String] = [:], stdin: [UInt8] = [],
                    line: UInt = #line) throws -> ProcessResult {
            var env = vault.environment
            env["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            env["HOME"] = folder
            for (k, v) in extra { env[k] = v }
            var words = bare ? [] : ["--store", vault.store, "--user", vault.user]
            if let password, !bare { words += ["--password-file", password.isEmpty ? vault.passwordFile : password] }
            let result = try Harness.run(vault.binary, words + [command] + args, stdin: stdin, environment: env)
            XCTAssertEqual(result.status, code, "onions \(command) \(args.joined(separator: " ")): \(result.stderrText)",
                           line: line)
            seen[command, default: []].insert(result.status)
            return result
        }

        _ = try expect(1, "signup", [])
        _ = try expect(2, "signup", ["extra"])
        _ = try expect(0, "list", [])
        _ = try expect(1, "list", [], password: wrong)
        _ = try expect(2, "list", ["extra"])
        _ = try expect(0, "show", ["Garden"])
        _ = try expect(1, "show", ["Nothing"])
        _ = try expect(2, "show", [])
        _ = try expect(0, "add", ["--title", "New", "--info-file", info])
        _ = try expect(1, "add", ["--title", "Other", "--info-file", folder + "/no-such-file"])
        // A refused save exits 1 and writes nothing.
        let before = try Data(contentsOf: URL(fileURLWithPath: vault.store))
        _ = try expect(1, "add", ["--title", longTitle])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: vault.store)), before, "a refused save wrote nothing")
        XCTAssertEqual(try vault.cli(["list"]).stdoutText, "New\nGarden\n")
        _ = try expect(2, "add", [])
        _ = try expect(0, "edit", ["New", "--title", "Newer"])
        _ = try expect(1, "edit", ["Missing", "--title", "X"])
        _ = try expect(2, "edit", ["Garden"])
        _ = try expect(0, "rm", ["Newer"])
        _ = try expect(1, "rm", ["Missing"])
        _ = try expect(2, "rm", [])
        _ = try expect(0, "mv", ["Garden", "home/garden"])
        _ = try expect(1, "mv", ["Missing", "x"])
        _ = try expect(1, "mv", ["Garden", String(repeating: "x", count: 201)])
        _ = try expect(2, "mv", ["Garden"])
        _ = try expect(0, "grep", ["tulips"])
        let none = try expect(1, "grep", ["zzz"])
        XCTAssertEqual(none.stdout, [], "no match prints nothing")
        _ = try expect(2, "grep", [])
        // copy writes to a terminal: `script` gives it one (its -e passes the exit code on).
        let copyWords = [vault.binary, "--store", vault.store, "--user", vault.user, "--password-file", vault.passwordFile,
                         "--clipboard-seconds", "1", "copy", "Garden"].map { "'" + $0 + "'" }.joined(separator: " ")
        var copyEnvironment = vault.environment
        copyEnvironment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let copied = try Harness.run("/usr/bin/script", ["-qec", copyWords, "/dev/null"], environment: copyEnvironment)
        XCTAssertEqual(copied.status, 0, "onions copy Garden in a terminal: \(copied.stdoutText)")
        seen["copy", default: []].insert(copied.status)
        _ = try expect(1, "copy", ["Garden"])  // no terminal
        _ = try expect(1, "copy", ["Garden", "--line", "5"], stdin: [])
        _ = try expect(2, "copy", [])
        _ = try expect(0, "card", ["add", "--to", "Bob", "--description-file", info, "--card-password-file", cardPassword])
        _ = try expect(1, "card", ["open", "Bob", "--card-password-file", wrong])
        _ = try expect(2, "card", ["shuffle"])
        _ = try expect(0, "task", ["add", "water"])
        _ = try expect(1, "task", ["done", "99"])
        _ = try expect(2, "task", ["done", "first"])
        _ = try expect(0, "passwd", ["--new-password-file", vault.passwordFile])
        _ = try expect(1, "passwd", ["--new-password-file", vault.passwordFile], password: wrong)
        _ = try expect(2, "passwd", ["extra"])
        _ = try expect(0, "export", ["--encrypted", backup])
        _ = try expect(1, "export", ["--encrypted", backup])
        _ = try expect(2, "export", [])
        _ = try expect(0, "import", ["--store", folder + "/restored.db", "--from", "backup", backup],
                       environment: ["XDG_STATE_HOME": folder + "/other-state"])
        _ = try expect(1, "import", ["--from", "backup", folder + "/no-such-file"])
        _ = try expect(2, "import", [])
        _ = try expect(0, "config", [])
        _ = try expect(2, "config", ["extra"])
        let config = URL(fileURLWithPath: vault.environment["XDG_CONFIG_HOME"]!).appendingPathComponent("onions")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try Data("colour = blue\n".utf8).write(to: config.appendingPathComponent("config"))
        _ = try expect(1, "config", [])
        try FileManager.default.removeItem(at: config.appendingPathComponent("config"))
        // A real sync exits 0 in SyncEndToEndTests (it needs the test server); here its help does.
        _ = try expect(0, "sync", ["--help"])
        _ = try expect(1, "sync", ["--remote", dead])
        _ = try expect(2, "sync", [])
        _ = try expect(0, "verify", [])
        _ = try expect(1, "verify", ["--at", "999"])
        _ = try expect(2, "verify", ["--at", "x"])
        _ = try expect(0, "add", ["--title", "Kept", "--info-file", info])
        _ = try expect(0, "edit", ["Kept", "--info-file", info])
        _ = try expect(0, "history", ["Kept"])
        _ = try expect(1, "history", ["no item is called this"])
        _ = try expect(2, "history", [])
        _ = try expect(0, "restore", ["Kept"])
        _ = try expect(1, "restore", ["Kept", "--version", "99"])
        _ = try expect(2, "restore", [])
        _ = try expect(0, "rm", ["Kept"])
        _ = try expect(0, "trash", [])
        _ = try expect(1, "trash", [], password: wrong)
        _ = try expect(2, "trash", ["extra"])
        _ = try expect(0, "purge", ["--yes", "Kept"])
        _ = try expect(1, "purge", ["--yes", "Kept"])
        _ = try expect(2, "purge", [])
        _ = try expect(0, "retention", [])
        _ = try expect(1, "retention", [], password: wrong)
        _ = try expect(2, "retention", ["--versions", "0"])
        let started = try expect(0, "agent", [], environment: ["XDG_RUNTIME_DIR": runtime])
        if let pid = started.stderrText.split(separator: " ").first(where: { $0.hasSuffix(");") })
            .flatMap({ pid_t($0.dropLast(2)) }) {
            _ = try expect(0, "lock", [], password: nil, environment: ["XDG_RUNTIME_DIR": runtime])
            kill(pid, SIGTERM)
        } else {
            XCTFail("the agent's pid is not in: \(started.stderrText)")
        }
        _ = try expect(1, "agent", [], password: wrong, environment: ["XDG_RUNTIME_DIR": runtime])
        _ = try expect(2, "agent", ["extra"])
        _ = try expect(0, "lock", [], password: nil, environment: ["XDG_RUNTIME_DIR": runtime])
        _ = try expect(2, "lock", ["extra"], password: nil)
        // Installing the schema needs the test server (SyncEndToEndTests); here its help does.
        _ = try expect(0, "server", ["init", "--help"], password: nil)
        _ = try expect(1, "server", ["init", "--url", dead], password: nil)
        _ = try expect(2, "server", [], password: nil)
        let sealed = try expect(0, "rncryptor", ["encrypt", "--password-file", cardPassword], bare: true,
                                stdin: Array("hello".utf8))
        XCTAssertFalse(sealed.stdout.isEmpty)
        _ = try expect(1, "rncryptor", ["decrypt", "--password-file", cardPassword], bare: true,
                       stdin: Array("not rncryptor data at all, not at all".utf8))
        _ = try expect(2, "rncryptor", ["shuffle"], bare: true)
        _ = try expect(0, "completion", ["bash"], bare: true)
        _ = try expect(2, "completion", [], bare: true)
        _ = try expect(0, "generate", [], bare: true)
        _ = try expect(2, "generate", ["7"], bare: true)
        let otpInfo = try file("otp-info", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP\n")
        _ = try expect(0, "add", ["--title", "Code", "--info-file", otpInfo])
        _ = try expect(0, "otp", ["Code"])
        _ = try expect(1, "otp", ["Garden"])
        _ = try expect(2, "otp", [])
        _ = try expect(0, "version", [], bare: true)
        _ = try expect(2, "version", ["extra"], bare: true)
        _ = try expect(0, "accept-rollback", [])
        _ = try expect(1, "accept-rollback", [], password: wrong)
        _ = try expect(2, "accept-rollback", ["extra"])
        _ = try expect(1, "delete-account", ["--yes"], password: wrong)
        _ = try expect(2, "delete-account", ["extra"])
        _ = try expect(0, "delete-account", ["--yes"])
        _ = try expect(0, "signup", [])

        for command in commands {
            XCTAssertEqual(seen[command], table[command],
                           "\(command): the codes seen are not those the man page lists")
        }
    }

    /// A tamper report exits 1, and the command still does its work.
    func testATamperedStoreExitsOneAndStillPrints() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [(title: "Garden", info: "plant tulips\n"), (title: "Bank", info: "1234\n")])
        let python = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("DELETE FROM records WHERE seq = (SELECT min(seq) FROM records WHERE deleted = 0)")
            db.commit()
            """
        let tampered = try Harness.run("/usr/bin/python3", ["-c", python, vault.store])
        XCTAssertEqual(tampered.status, 0, tampered.stderrText)
        let list = try vault.cli(["list"])
        XCTAssertEqual(list.status, 1, list.stderrText)
        XCTAssertTrue(list.stderrText.contains("warning"), list.stderrText)
        let grep = try vault.cli(["grep", "tulips"])
        XCTAssertEqual(grep.status, 1, "a match on a tampered store exits 1 too: \(grep.stderrText)")
    }
}
