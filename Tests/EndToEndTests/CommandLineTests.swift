import Foundation
import XCTest

/// The command line as a whole: parsed and checked before any password is read, `--` ends the
/// options, and every command's `--help` comes from its declaration.
final class CommandLineTests: XCTestCase {
    /// A title that starts with '-' is an argument after `--`, and an unknown option before it.
    func testDoubleDashEndsTheOptions() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [(title: "Garden", info: "plant tulips\n")])
        let added = try vault.cli(["add", "--title", "-weird-"])
        XCTAssertEqual(added.status, 0, "an option's value may start with '-': \(added.stderrText)")

        let refused = try vault.cli(["show", "-weird-"])
        XCTAssertEqual(refused.status, 2, refused.stderrText)
        XCTAssertTrue(refused.stderrText.contains("unknown option -weird-"), refused.stderrText)

        let shown = try vault.cli(["show", "--json", "--", "-weird-"])
        XCTAssertEqual(shown.status, 0, shown.stderrText)
        XCTAssertEqual(shown.stdoutText, "{\"title\":\"-weird-\",\"info\":\"\"}\n")

        let task = try vault.cli(["task", "add", "--", "--help me"])
        XCTAssertEqual(task.status, 0, "'--help' after '--' is a text: \(task.stderrText)")
        XCTAssertEqual(try vault.cli(["task", "list"]).stdoutText, "[ ] 0 --help me\n")

        let removed = try vault.cli(["rm", "--", "-weird-"])
        XCTAssertEqual(removed.status, 0, removed.stderrText)
        XCTAssertEqual(try vault.cli(["list"]).stdoutText, "Garden\n")
    }

    /// A usage mistake anywhere on the line exits 2 before the password file is opened: it does
    /// not exist here, so reading it would fail with exit 1 and say so.
    func testAUsageMistakeExitsTwoBeforeThePasswordIsRead() throws {
        let vault = try TestVault(for: self)
        try vault.signUpWithCLI(onions: [(title: "Garden", info: "plant tulips\n")])
        let missing = vault.folder.appendingPathComponent("never-opened").path
        let mistakes: [[String]] = [
            ["list", "--bogus"], ["show", "Garden", "--json=yes"], ["add"], ["add", "--title"],
            ["edit", "Garden"], ["task", "done", "first"], ["task", "rm"], ["card", "open", "Bob", "--to", "x"],
            ["card", "shuffle"], ["card"], ["passwd", "extra"], ["grep", "tulips", "--rotate"],
            ["import", "--from", "elsewhere", "file"], ["export", "--plain", "out.json"], ["sync"],
            ["list", "--user"], ["--kdf-cost", "3", "list"], ["server", "status", "--url", "x", "--foreground"],
        ]
        for words in mistakes {
            var env = vault.environment
            env["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            env["HOME"] = vault.folder.path
            let result = try Harness.run(vault.binary, ["--store", vault.store, "--user", vault.user,
                                                        "--password-file", missing] + words, environment: env)
            XCTAssertEqual(result.status, 2, "\(words): \(result.stderrText)")
            XCTAssertFalse(result.stderrText.contains("password file"), "\(words) read the password: \(result.stderrText)")
            XCTAssertEqual(result.stderrText.split(separator: "\n").count, 1, "\(words): one line: \(result.stderrText)")
            XCTAssertEqual(result.stdout, [], "\(words)")
        }
    }

    /// `onions X --help` (and `-h`) for every command and subcommand: exit 0, the usage line of
    /// the declaration that `onions --help` lists, and a line of help for each of its options.
    func testEveryCommandHasHelpFromItsDeclaration() throws {
        let main = try Harness.onions(["--help"])
        XCTAssertEqual(main.status, 0, main.stderrText)
        XCTAssertEqual(try Harness.onions(["help"]).stdoutText, main.stdoutText)
        let listed = Self.listedSynopses(main.stdoutText)
        XCTAssertGreaterThan(listed.count, 20, main.stdoutText)
        for (command, synopsis) in listed {
            let help = try Harness.onions([command, "--help"])
            XCTAssertEqual(help.status, 0, "\(command) --help: \(help.stderrText)")
            XCTAssertEqual(try Harness.onions([command, "-h"]).stdoutText, help.stdoutText, command)
            let usages = Self.usageLines(help.stdoutText)
            let subcommands = Self.subcommands(synopsis)
            if subcommands.isEmpty {
                XCTAssertEqual(usages, ["onions [options] " + synopsis], "\(command) --help")
                try assertOptionsExplained(help.stdoutText, synopsis, "\(command) --help")
                continue
            }
            XCTAssertEqual(usages.count, subcommands.count, "\(command) --help: one usage line per subcommand")
            for sub in subcommands {
                let own = try Harness.onions([command, sub, "--help"])
                XCTAssertEqual(own.status, 0, "\(command) \(sub) --help: \(own.stderrText)")
                let usage = Self.usageLines(own.stdoutText)
                XCTAssertEqual(usage.count, 1, "\(command) \(sub) --help: \(own.stdoutText)")
                XCTAssertTrue(usages.contains(usage.first ?? "-"), "\(command) \(sub): \(usage) not in \(usages)")
                XCTAssertTrue(usage.first?.hasPrefix("onions [options] \(command) \(sub)") ?? false, "\(usage)")
                try assertOptionsExplained(own.stdoutText, usage.first ?? "", "\(command) \(sub) --help")
            }
        }
    }

    /// The subcommands a group's synopsis lists ("card add|list|open|rm"); none for a command.
    static func subcommands(_ synopsis: String) -> [String] {
        let words = synopsis.split(separator: " ")
        guard words.count == 2, words[1].contains("|"), words[1] == words[1].lowercased() else { return [] }
        return words[1].split(separator: "|").map(String.init)
    }

    /// Each option of `synopsis` starts a line of `help` that says what it does.
    private func assertOptionsExplained(_ help: String, _ synopsis: String, _ what: String) throws {
        let options = synopsis.split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "[]")) }
            .filter { $0.hasPrefix("--") }
        let lines = help.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for option in options {
            XCTAssertTrue(lines.contains { $0.hasPrefix(option + " ") || $0 == option }, "\(what): \(option) is not explained")
        }
    }

    /// (command, synopsis) of each entry under "commands:" in `onions --help`.
    static func listedSynopses(_ help: String) -> [(String, String)] {
        var result: [(String, String)] = []
        var inside = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "commands:" { inside = true; continue }
            guard inside else { continue }
            if line.isEmpty { break }
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
            // The synopsis ends where two spaces set the summary apart.
            let text = line.dropFirst(2)
            let synopsis = text.range(of: "  ").map { String(text[..<$0.lowerBound]) } ?? String(text)
            result.append((String(synopsis.split(separator: " ")[0]), synopsis))
        }
        return result
    }

    /// The synopses after "usage: " and the "       onions" lines below it.
    static func usageLines(_ help: String) -> [String] {
        var result: [String] = []
        for line in help.split(separator: "\n") {
            if line.hasPrefix("usage: ") {
                result.append(String(line.dropFirst("usage: ".count)))
            } else if !result.isEmpty, line.hasPrefix("       onions ") {
                result.append(line.trimmingCharacters(in: .whitespaces))
            } else if !result.isEmpty {
                break
            }
        }
        return result
    }
}
