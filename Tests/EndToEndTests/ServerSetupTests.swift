import Foundation
import XCTest

/// An administrator follows docs/SERVER.md's "Run your own server" on a fresh cluster: `server
/// init`, that page's own `openssl` commands, the printed lines added to the two files, a
/// restart, `server init` again says ready; TLS is verify-full by default and a refusal says how
/// to set it up; then two people sign up in the interface with no admin step between them.
final class ServerSetupTests: XCTestCase {
    /// The name the server's certificate is made for; the URLs reach it through hostaddr.
    private let host = "onions-server.test"

    func testAnAdminFollowsServerDocAndTwoPeopleSignUpWithNoAdminStepBetween() throws {
        let cluster = try FreshCluster.create(for: self)
        let home = try Harness.temporaryDirectory(for: self)
        let admin = cluster.socketURL(database: "onions")

        // Step 2: the database, the schema, the lines to add; nothing is ready yet.
        let first = try onions(["server", "init", "--url", admin], home: home)
        XCTAssertEqual(first.status, 1, "not ready before the lines are added: \(first.stdoutText)\(first.stderrText)")
        XCTAssertTrue(first.stdoutText.contains("database \"onions\" created"), first.stdoutText)
        XCTAssertTrue(first.stdoutText.contains("missing  ssl = on"), first.stdoutText)
        let config = try printedLines(first.stdoutText, for: "postgresql.conf")
        let hba = try printedLines(first.stdoutText, for: "pg_hba.conf")
        XCTAssertEqual(config.file, cluster.data.appendingPathComponent("postgresql.conf").path)
        XCTAssertEqual(hba.file, cluster.data.appendingPathComponent("pg_hba.conf").path)

        // Step 3: the page's certificate commands, for this test's host name.
        let authority = try Harness.temporaryDirectory(for: self)
        let commands = try serverDocOpenSSLCommands()
        XCTAssertEqual(commands.count, 2, "docs/SERVER.md makes an authority, then the server's certificate")
        for command in commands {
            let named = command.replacingOccurrences(of: "db.example.org", with: host)
            let made = try Harness.run("/bin/sh", ["-c", "cd \"$0\" && " + named, authority.path])
            XCTAssertEqual(made.status, 0, "\(named): \(made.stderrText)")
        }
        try cluster.install(authority.appendingPathComponent("server.key"))
        try cluster.install(authority.appendingPathComponent("server.crt"))

        // Steps 4 and 5: the printed lines, a restart, and the check says ready.
        try cluster.append(config.lines, to: "postgresql.conf")
        try cluster.append(hba.lines, to: "pg_hba.conf")
        try cluster.restart()
        let second = try onions(["server", "init", "--url", admin], home: home)
        XCTAssertEqual(second.status, 0, second.stdoutText + second.stderrText)
        XCTAssertFalse(second.stdoutText.contains("missing"), second.stdoutText)
        XCTAssertFalse(second.stdoutText.contains("Add to"), "nothing to add once every check passes: \(second.stdoutText)")
        XCTAssertTrue(second.stdoutText.contains("database \"onions\" exists"), second.stdoutText)
        XCTAssertTrue(second.stdoutText.contains("The server is ready"), second.stdoutText)

        // TLS by default: verify-full with the right authority works; a wrong name or no
        // authority is refused with the sentence that says how to set it up.
        let ca = authority.appendingPathComponent("ca.crt").path
        func tcp(_ name: String, password: String? = nil) -> String {
            "host=\(name) hostaddr=127.0.0.1 port=\(cluster.port) dbname=onions user=onions_admin "
                + "password=\(password ?? cluster.password)"
        }
        let verified = try onions(["server", "status", "--url", tcp(host) + " sslrootcert=\(ca)"], home: home)
        XCTAssertEqual(verified.status, 0, verified.stderrText)
        XCTAssertEqual(verified.stderr, [], "verify-full is the default, so no warning")
        for (what, url) in [("a wrong host name", tcp("elsewhere.test") + " sslrootcert=\(ca)"), ("no authority", tcp(host))] {
            let refused = try onions(["server", "status", "--url", url], home: home)
            XCTAssertEqual(refused.status, 1, what)
            XCTAssertTrue(refused.stderrText.contains("TLS certificate could not be verified"), "\(what): \(refused.stderrText)")
            XCTAssertTrue(refused.stderrText.contains("~/.postgresql/root.crt") && refused.stderrText.contains("sslrootcert=FILE"),
                          "\(what): \(refused.stderrText)")
        }
        let spelled = try onions(["server", "status", "--url", tcp(host) + " sslmode=require"], home: home)
        XCTAssertEqual(spelled.status, 0, spelled.stderrText)
        XCTAssertTrue(spelled.stderrText.contains("warning: the server URL says sslmode=require"), spelled.stderrText)

        let client = try onions(["--remote", "host=\(host) sslmode=prefer", "config"], home: home)
        XCTAssertTrue(client.stderrText.contains("warning: the server URL says sslmode=prefer"), client.stderrText)
        XCTAssertEqual(client.stderrText.split(separator: "\n").count, 1, "one line: \(client.stderrText)")

        // A wrong password is delayed by auth_delay and counted by status.
        let started = Date()
        let wrong = try onions(["server", "status", "--url", tcp(host, password: "wrong") + " sslrootcert=\(ca)"], home: home)
        XCTAssertEqual(wrong.status, 1)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 1.0, "auth_delay holds a failed log in a second")
        let counted = try statusJSON(admin, home: home)
        XCTAssertEqual(counted["failed_logins"] as? Int, 1, "\(counted)")
        XCTAssertNotNil(counted["schema_version"] as? Int, "\(counted)")
        XCTAssertEqual(counted["vaults"] as? Int, 0)

        // Two people sign up in the interface, one after the other, with no admin step between.
        let remote = "postgresql://\(host):\(cluster.port)/onions?hostaddr=127.0.0.1&sslrootcert=\(ca)"
        for (user, password) in [("ada", "first person's password"), ("grace", "second person's password")] {
            let person = try TestVault(for: self, user: user, password: password)
            let tmux = try person.tmux(for: self)
            try person.launch(in: tmux, extra: ["--remote", remote])
            try tmux.waitFor("Unlock your vault")
            try tmux.type(user)
            try tmux.press("Enter")
            try tmux.type(password)
            // The server answers an unknown username like a known one: Ctrl-N asks for a new vault.
            try tmux.press("C-n")
            try tmux.waitFor("A new vault")
            try tmux.type(password)
            try tmux.press("Enter")
            try tmux.waitUntil("\(user)'s vault to open, synced with the server") {
                $0.contains(" onions · \(user)") && $0.contains("synced")
            }
        }
        let after = try statusJSON(admin, home: home)
        XCTAssertEqual(after["vaults"] as? Int, 2, "\(after)")
    }

    /// Runs the binary with a HOME of the test's own (no ~/.postgresql of this machine).
    private func onions(_ arguments: [String], home: URL) throws -> ProcessResult {
        let environment = ["HOME": home.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                           "LANG": "C.UTF-8"]
        return try Harness.run(Harness.onionsBinary(), arguments, environment: environment)
    }

    private func statusJSON(_ url: String, home: URL) throws -> [String: Any] {
        let status = try onions(["server", "status", "--json", "--url", url], home: home)
        XCTAssertEqual(status.status, 0, status.stderrText)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(status.stdout)) as? [String: Any], status.stdoutText)
    }

    /// The file an "Add to FILE..." paragraph of `server init` names for `name`, and its lines.
    private func printedLines(_ output: String, for name: String) throws -> (file: String, lines: [String]) {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("Add to ") && $0.contains(name) }) else {
            XCTFail("server init printed no lines for \(name): \(output)")
            throw HarnessError(description: "no lines for \(name)")
        }
        let heading = lines[start].dropFirst("Add to ".count)
        let file = String(heading.prefix { $0 != ":" && $0 != "," })
        let body = lines[(start + 1)...].prefix { $0.hasPrefix("  ") }.map { String($0.dropFirst(2)) }
        return (file, body)
    }

    /// The `openssl` lines of docs/SERVER.md's "Run your own server".
    private func serverDocOpenSSLCommands() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let page = try String(contentsOf: root.appendingPathComponent("docs/SERVER.md"), encoding: .utf8)
        guard let start = page.range(of: "## Run your own server\n") else {
            XCTFail("docs/SERVER.md has no section 'Run your own server'")
            throw HarnessError(description: "no section")
        }
        let section = page[start.upperBound...].components(separatedBy: "\n## ")[0]
        return section.split(separator: "\n").map(String.init).filter { $0.hasPrefix("openssl ") }
    }
}
