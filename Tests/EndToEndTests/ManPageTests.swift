import Foundation
import XCTest

/// The man page (Resources/onions.1) and the `--help` texts name the same commands and options,
/// and its SYNOPSIS is the usage the command declarations generate, so neither can drift from
/// the other.
final class ManPageTests: XCTestCase {
    /// Resources/onions.1, found from this file's place in the repository.
    func manPage() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = root.appendingPathComponent("Resources/onions.1").path
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    /// The man page's text with roff's escapes for dashes and fonts taken out.
    func plain(_ roff: String) -> String {
        var text = roff.replacingOccurrences(of: "\\-", with: "-").replacingOccurrences(of: "\\&", with: "")
        for font in ["\\fB", "\\fI", "\\fR", "\\fP"] { text = text.replacingOccurrences(of: font, with: "") }
        return text
    }

    func options(in text: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: "(?<![A-Za-z0-9-])--[a-z][a-z0-9-]*")
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }

    /// The commands listed under "commands:" in `onions --help`.
    static func helpCommands(_ help: String) -> [String] {
        CommandLineTests.listedSynopses(help).map(\.0)
    }

    /// The first word of each `.TP` entry in the man page's COMMANDS section.
    func manCommands(_ roff: String) -> Set<String> {
        var found = Set<String>()
        var inside = false
        var afterTP = false
        for line in roff.split(separator: "\n").map(String.init) {
            if line.hasPrefix(".SH") { inside = line == ".SH COMMANDS"; continue }
            guard inside else { continue }
            if line == ".TP" { afterTP = true; continue }
            if afterTP {
                afterTP = false
                let words = plain(line).split(separator: " ").filter { !$0.hasPrefix(".") }
                if let first = words.first { found.insert(first.trimmingCharacters(in: CharacterSet(charactersIn: "\""))) }
            }
        }
        return found
    }

    func testEveryCommandAndOptionOfTheHelpIsInTheManPageAndTheOtherWayRound() throws {
        let help = try Harness.onions(["--help"])
        XCTAssertEqual(help.status, 0, help.stderrText)
        let commands = Self.helpCommands(help.stdoutText)
        XCTAssertTrue(commands.contains("import") && commands.contains("signup"), "commands read from --help: \(commands)")
        var helpOptions = options(in: help.stdoutText)
        for command in commands {
            let own = try Harness.onions([command, "--help"])
            XCTAssertEqual(own.status, 0, "onions \(command) --help: \(own.stderrText)")
            XCTAssertFalse(own.stdoutText.isEmpty, "onions \(command) --help prints nothing")
            helpOptions.formUnion(options(in: own.stdoutText))
        }
        let roff = try manPage()
        let manOptions = options(in: plain(roff))
        XCTAssertEqual(helpOptions.subtracting(manOptions).sorted(), [], "options in --help but not in the man page")
        XCTAssertEqual(manOptions.subtracting(helpOptions).sorted(), [], "options in the man page but not in any --help")
        let inMan = manCommands(roff)
        XCTAssertEqual(Set(commands).subtracting(inMan).sorted(), [], "commands in --help but not in the man page")
        XCTAssertEqual(inMan.subtracting(commands).sorted(), [], "commands in the man page but not in --help")
    }

    /// Every usage line of `onions --help` and `onions COMMAND --help` (made from the command
    /// declarations), in their order, is a line of the man page's SYNOPSIS, and nothing else is.
    func testSynopsisIsWhatTheDeclarationsGenerate() throws {
        let help = try Harness.onions(["--help"])
        var expected = ["onions [options]"]
        for command in Self.helpCommands(help.stdoutText) {
            let own = try Harness.onions([command, "--help"])
            XCTAssertEqual(own.status, 0, "onions \(command) --help: \(own.stderrText)")
            expected += CommandLineTests.usageLines(own.stdoutText)
        }
        var synopsis: [String] = []
        var inside = false
        for line in try manPage().split(separator: "\n").map(String.init) {
            if line.hasPrefix(".SH") { inside = line == ".SH SYNOPSIS"; continue }
            if inside && !line.hasPrefix(".") { synopsis.append(plain(line)) }
        }
        let roff = expected.map { line -> String in
            let words = line.split(separator: " ", maxSplits: 2).map(String.init)
            let rest = words.count > 2 ? " " + words[2].replacingOccurrences(of: "-", with: "\\-") : ""
            return "\\fBonions\\fR [\\fIoptions\\fR]" + rest
        }
        XCTAssertEqual(synopsis, expected, "the SYNOPSIS should read:\n.ad l\n" + roff.joined(separator: "\n.br\n") + "\n.ad")
    }

    func testManPageNamesItsFilesAndEnvironment() throws {
        let text = plain(try manPage())
        for needle in ["$XDG_CONFIG_HOME/onions/config", "~/.config/onions/config", "$XDG_DATA_HOME/onions/onions.db",
                       "ONIONS_USER", "clipboard_seconds", "lock_after", "kdf_cost", ".SH EXIT STATUS"] {
            XCTAssertTrue(text.contains(needle), "the man page does not mention \(needle)")
        }
    }
}
