import Foundation
import XCTest

/// The config file `$XDG_CONFIG_HOME/onions/config` and `onions config`.
final class ConfigFileTests: XCTestCase {
    /// Runs `onions ARGS` with a config file holding `config` (none when nil).
    func run(_ args: [String], config: String?, environment extra: [String: String] = [:]) throws -> (ProcessResult, ScratchVault) {
        let vault = try ScratchVault(for: self, signUp: false)
        if let config {
            try FileManager.default.createDirectory(atPath: vault.path("config/onions"), withIntermediateDirectories: true)
            try vault.write("config/onions/config", config)
        }
        var environment = vault.environment
        environment.merge(extra) { _, new in new }
        let result = try Harness.run(try Harness.onionsBinary(), args, environment: environment)
        return (result, vault)
    }

    /// The `onions config` rows as name -> (value, source).
    func rows(_ output: String) -> [String: (value: String, source: String)] {
        var found: [String: (String, String)] = [:]
        for line in output.split(separator: "\n") {
            guard let open = line.lastIndex(of: "("), line.hasSuffix(")") else { continue }
            let source = String(line[line.index(after: open)..<line.index(before: line.endIndex)])
            let fields = line[..<open].split(separator: " ", maxSplits: 1)
            guard fields.count == 2 else { continue }
            found[String(fields[0])] = (fields[1].trimmingCharacters(in: .whitespaces), source)
        }
        return found
    }

    func testEverySettingSaysItComesFromTheDefaultWithoutAFile() throws {
        let (result, vault) = try run(["config"], config: nil)
        XCTAssertEqual(result.status, 0, result.stderrText)
        XCTAssertEqual(result.stderrText, "")
        let r = rows(result.stdoutText)
        XCTAssertTrue(result.stdoutText.contains(vault.path("config/onions/config") + " (not present)"), result.stdoutText)
        XCTAssertEqual(r["lock_after"]?.value, "300")
        XCTAssertEqual(r["lock_after"]?.source, "default")
        XCTAssertEqual(r["clipboard_seconds"]?.value, "45")
        XCTAssertEqual(r["kdf_cost"]?.value, "17")
        XCTAssertEqual(r["kdf_cost"]?.source, "default")
        XCTAssertEqual(r["remote"]?.source, "default")
        XCTAssertEqual(r["store"]?.value, vault.path("data") + "/onions/onions.db")
        XCTAssertEqual(r["store"]?.source, "environment XDG_DATA_HOME")
    }

    func testFileLinesAndTheCommandLineEachNamedAsTheSource() throws {
        let config = """
        # my settings
        store = ~/vaults/mine.db
        lock_after = 600   # ten minutes
        clipboard_seconds = "12"

        kdf_cost = 16
        remote = postgresql://onions@db.example/onions
        """
        let (result, vault) = try run(["--kdf-cost", "18", "--user", "ann", "config"], config: config)
        XCTAssertEqual(result.status, 0, result.stderrText)
        let r = rows(result.stdoutText)
        XCTAssertEqual(r["store"]?.value, vault.folder.path + "/vaults/mine.db")
        XCTAssertEqual(r["store"]?.source, "config file line 2")
        XCTAssertEqual(r["lock_after"]?.value, "600")
        XCTAssertEqual(r["lock_after"]?.source, "config file line 3")
        XCTAssertEqual(r["clipboard_seconds"]?.value, "12")
        XCTAssertEqual(r["clipboard_seconds"]?.source, "config file line 4")
        XCTAssertEqual(r["kdf_cost"]?.value, "18")
        XCTAssertEqual(r["kdf_cost"]?.source, "command line")
        XCTAssertEqual(r["remote"]?.value, "postgresql://onions@db.example/onions")
        XCTAssertEqual(r["remote"]?.source, "config file line 7")
        XCTAssertEqual(r["user"]?.value, "ann")
        XCTAssertEqual(r["user"]?.source, "command line")
    }

    func testAPasswordInTheRemoteSettingIsNotPrinted() throws {
        for (remote, shown) in [
            ("postgresql://ann:s3cret-pw@db.example/onions", "postgresql://ann:***@db.example/onions"),
            ("host=db.example user=ann password=s3cret-pw dbname=onions", "host=db.example user=ann password=*** dbname=onions"),
            ("postgresql://ann@db.example/onions?sslmode=require&password=s3cret-pw", "postgresql://ann@db.example/onions?sslmode=require&password=***"),
        ] {
            let (result, _) = try run(["--remote", remote, "config"], config: nil)
            XCTAssertEqual(result.status, 0, result.stderrText)
            XCTAssertFalse(result.stdoutText.contains("s3cret-pw"), result.stdoutText)
            XCTAssertEqual(rows(result.stdoutText)["remote"]?.value, shown)
        }
    }

    func testUnknownKeysAndBadValuesAreNamedByFileAndLineAndKeepTheirDefaults() throws {
        let config = """
        lock_after = soon
        colour = green
        kdf_cost = 40
        clipboard_seconds = 20
        just some words
        """
        let (result, vault) = try run(["config"], config: config)
        let file = vault.path("config/onions/config")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderrText.contains("\(file) line 1: lock_after takes a whole number of seconds"), result.stderrText)
        XCTAssertTrue(result.stderrText.contains("\(file) line 2: unknown key 'colour'"), result.stderrText)
        XCTAssertTrue(result.stderrText.contains("\(file) line 3: kdf_cost takes log2"), result.stderrText)
        XCTAssertTrue(result.stderrText.contains("\(file) line 5: expected 'key = value'"), result.stderrText)
        let r = rows(result.stdoutText)
        XCTAssertEqual(r["lock_after"]?.value, "300")
        XCTAssertEqual(r["lock_after"]?.source, "default")
        XCTAssertEqual(r["kdf_cost"]?.value, "17")
        XCTAssertEqual(r["clipboard_seconds"]?.value, "20")
        XCTAssertEqual(r["clipboard_seconds"]?.source, "config file line 4")
    }

    func testABadFileStillLetsTheProgramRunWithTheGoodSettings() throws {
        let vault = try ScratchVault(for: self, signUp: false)
        try FileManager.default.createDirectory(atPath: vault.path("config/onions"), withIntermediateDirectories: true)
        try vault.write("config/onions/config", "store = \(vault.path("from-config.db"))\nnonsense = 1\n")
        let global = ["--user", "cfg", "--password-file", vault.path("password"), "--kdf-cost", "15"]
        let signup = try Harness.run(try Harness.onionsBinary(), global + ["signup"], environment: vault.environment)
        XCTAssertEqual(signup.status, 0, signup.stderrText)
        XCTAssertTrue(signup.stderrText.contains("line 2: unknown key 'nonsense'"), signup.stderrText)
        XCTAssertTrue(FileManager.default.fileExists(atPath: vault.path("from-config.db")), "the store named in the file is used")
        // The command line wins over the file.
        let other = try Harness.run(try Harness.onionsBinary(), global + ["--store", vault.path("other.db"), "list"],
                                    environment: vault.environment)
        XCTAssertEqual(other.status, 1)
        XCTAssertTrue(other.stderrText.contains("no vault"), other.stderrText)
    }

    func testBadCommandLineValueIsAUsageError() throws {
        let (result, _) = try run(["--clipboard-seconds", "0", "config"], config: nil)
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderrText.contains("--clipboard-seconds"), result.stderrText)
    }
}
