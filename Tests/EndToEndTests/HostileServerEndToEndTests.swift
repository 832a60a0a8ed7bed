import Foundation
import XCTest

/// The command line against a PostgreSQL server whose operator replaced the schema's functions:
/// escape sequences in its errors and notices reach no terminal (the bytes written, a tmux
/// pane's title and its paste buffers), and a log in it refuses ends the command with exit 1
/// naming it. Needs ONIONS_BIN and ONIONS_TEST_PG_URL.
final class HostileServerEndToEndTests: XCTestCase {
    private var adminURL = ""
    private var clientURL = ""
    private var directory: URL!

    /// An OSC 52 clipboard write, a window title, SGR 8 (conceal), a C1 CSI and a bidi override.
    private static let payload = #"E'\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b]2;PWNED\x07\x1b[8mhidden \u009b31mred \u202eesrever\x1b\\'"#

    override func setUpWithError() throws {
        guard let url = ProcessInfo.processInfo.environment["ONIONS_TEST_PG_URL"], !url.isEmpty,
              var server = URLComponents(string: url) else {
            XCTFail("ONIONS_TEST_PG_URL is not set: run the tests through `make test`")
            throw HarnessError(description: "no server")
        }
        directory = try Harness.temporaryDirectory(for: self)
        let database = "onions_e2e_" + (0..<6).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        try psql(url, "CREATE DATABASE \(database)")
        server.path = "/" + database
        adminURL = server.string ?? ""
        _ = try Harness.onions(["server", "init", "--url", adminURL])
        server.user = nil
        server.password = nil
        clientURL = server.string ?? ""
        addTeardownBlock { [adminURL] in
            let roles = try? Harness.run("/usr/bin/psql", ["-Atq", "-d", adminURL, "-c",
                                                           "SELECT role FROM onions.vaults WHERE role IS NOT NULL "
                                                           + "UNION SELECT role FROM onions.retired_roles"])
            try? self.psql(url, "DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
            for role in (roles?.stdoutText ?? "").split(separator: "\n") {
                try? self.psql(url, "DROP ROLE IF EXISTS \(role)")
            }
        }
        try Data("machine password 42\n".utf8).write(to: directory.appendingPathComponent("pw"))
    }

    private func psql(_ url: String, _ sql: String) throws {
        let result = try Harness.run("/usr/bin/psql", ["-v", "ON_ERROR_STOP=1", "-q", "-d", url, "-c", sql])
        XCTAssertEqual(result.status, 0, result.stderrText)
    }

    private var environment: [String: String] {
        ["XDG_STATE_HOME": directory.appendingPathComponent("state").path,
         "XDG_CONFIG_HOME": directory.appendingPathComponent("config").path]
    }

    private var global: [String] {
        ["--store", directory.appendingPathComponent("store.db").path, "--user", "alice",
         "--password-file", directory.appendingPathComponent("pw").path, "--kdf-cost", "15", "--remote", clientURL]
    }

    private func onions(_ args: [String]) throws -> ProcessResult {
        try Harness.run(Harness.onionsBinary(), global + args,
                        environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new })
    }

    /// No byte that steers a terminal: C0 but TAB and LF, DEL, C1 (raw or as UTF-8), bidi overrides.
    private func assertNoControl(_ bytes: [UInt8], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let text = String(decoding: bytes, as: UTF8.self)
        let bad = text.unicodeScalars.filter {
            let v = $0.value
            return (v < 0x20 && v != 9 && v != 10) || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v)
                || (0x2066...0x2069).contains(v)
        }
        XCTAssertEqual(bad.map { String($0.value, radix: 16) }, [], "\(what): \(text.debugDescription)", file: file, line: line)
        // Raw C1 bytes outside UTF-8 are steering too in some terminals: the output is valid UTF-8.
        XCTAssertNotNil(String(validating: bytes, as: UTF8.self), "\(what) is not UTF-8", file: file, line: line)
    }

    private func replacePullWithHostileMessages() throws {
        try psql(adminURL, """
            CREATE OR REPLACE FUNCTION onions.pull(p_since bigint)
            RETURNS TABLE (name bytea, version bigint, blob bytea, deleted boolean, seq bigint)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = onions, pg_temp
            AS $$
            BEGIN
                RAISE NOTICE '%', \(Self.payload);
                RAISE EXCEPTION '%', \(Self.payload) USING DETAIL = \(Self.payload), HINT = \(Self.payload);
            END $$;
            """)
    }

    func testEscapeSequencesInTheServersErrorsAndNoticesReachNoTerminal() throws {
        let signup = try onions(["signup", "--weak-ok"])
        XCTAssertEqual(signup.status, 0, signup.stderrText)
        XCTAssertEqual(try onions(["add", "--title", "Groceries"]).status, 0)
        try replacePullWithHostileMessages()

        for args in [["list"], ["sync"], ["show", "Groceries"], ["grep", "milk"]] {
            let result = try onions(args)
            assertNoControl(result.stderr, "stderr of \(args)")
            assertNoControl(result.stdout, "stdout of \(args)")
        }
        let control = try onions(["sync"])
        XCTAssertTrue(control.stderrText.contains("\\e]52;c;ZWNobyBwd25lZA=="), "the control: the message arrived, visibly: "
                      + control.stderrText)
        XCTAssertEqual(control.status, 1)
        let json = try onions(["sync", "--json"])
        assertNoControl(json.stdout, "sync --json")
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(json.stdout)), json.stdoutText)

        // In a terminal that obeys OSC 52 and titles: neither changes.
        let tmux = try Tmux.start(for: self, width: 200, height: 40, environment: environment)
        try tmux.command(["set-option", "-g", "set-clipboard", "on"])
        try tmux.command(["set-option", "-g", "allow-rename", "on"])
        let before = try tmux.paneFormat("#{pane_title}")
        let line = ([try Harness.onionsBinary()] + global + ["sync"]).map { "'\($0)'" }.joined(separator: " ")
        try tmux.runInShell(line + "; echo done-$?")
        try tmux.waitFor("done-1", timeout: 30)
        XCTAssertEqual(try tmux.paneFormat("#{pane_title}"), before, "the pane's title changed")
        XCTAssertFalse(try tmux.paneFormat("#{pane_title}").contains("PWNED"))
        XCTAssertEqual(try tmux.command(["list-buffers"]), "", "a paste buffer was set")
    }

    func testALogInTheServerRefusesEndsTheCommandWithExitOneNamingTheServer() throws {
        let signup = try onions(["signup", "--weak-ok"])
        XCTAssertEqual(signup.status, 0, signup.stderrText)
        XCTAssertEqual(try onions(["add", "--title", "Groceries"]).status, 0)
        let role = try Harness.run("/usr/bin/psql", ["-Atq", "-d", adminURL, "-c", "SELECT role FROM onions.vaults"])
            .stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(role.hasPrefix("onions_v_"), role)
        try psql(adminURL, "ALTER ROLE \(role) PASSWORD 'chosen-by-the-operator'")

        let list = try onions(["list"])
        XCTAssertEqual(list.status, 1, list.stderrText)
        XCTAssertTrue(list.stderrText.contains("the server \(clientURL) refused the log in"), list.stderrText)
        XCTAssertEqual(list.stdoutText, "Groceries\n", "this machine's copy is still listed")
    }
}
