import Foundation
import XCTest

/// Two machines as two processes of the CLI (two store files, two state folders) and one
/// PostgreSQL server set up with `onions server init`. Needs ONIONS_BIN and ONIONS_TEST_PG_URL.
final class SyncEndToEndTests: XCTestCase {
    private var adminURL = ""
    private var clientURL = ""
    private var directory: URL!
    private var database = ""

    override func setUpWithError() throws {
        guard let url = ProcessInfo.processInfo.environment["ONIONS_TEST_PG_URL"], !url.isEmpty,
              var server = URLComponents(string: url) else {
            XCTFail("ONIONS_TEST_PG_URL is not set: run the tests through `make test`")
            throw HarnessError(description: "no server")
        }
        directory = try Harness.temporaryDirectory(for: self)
        let tag = (0..<6).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        database = "onions_e2e_\(tag)"
        try psql(url, "CREATE DATABASE \(database)")
        server.path = "/" + database
        adminURL = server.string ?? ""
        let initialised = try Harness.onions(["server", "init", "--url", adminURL])
        // The test server listens on loopback only, without TLS: installed, but not ready (exit 1).
        XCTAssertTrue(initialised.stdoutText.contains("onions schema version"), initialised.stderrText)
        // No login in the remote URL: onions signs up and logs in as each vault's own role.
        server.user = nil
        server.password = nil
        clientURL = server.string ?? ""
        addTeardownBlock { [database, adminURL] in
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

    /// Runs the CLI as machine `name` (its own store and state folder) against `remote`.
    /// Starts machine `machine`'s interface (its own store, state and config folders, the
    /// server) in `tmux` and logs in as alice.
    private func logInInterface(_ tmux: Tmux, machine: String) throws {
        let variables = ["XDG_STATE_HOME=" + directory.appendingPathComponent("\(machine)-state").path,
                         "XDG_CONFIG_HOME=" + directory.appendingPathComponent("\(machine)-config").path]
        let words = ["env"] + variables + [try Harness.onionsBinary(), "--store",
                                           directory.appendingPathComponent("\(machine).db").path, "--remote", clientURL]
        try tmux.runInShell(words.map { "'\($0)'" }.joined(separator: " "))
        try tmux.waitFor("Unlock your vault")
        try tmux.type("alice")
        try tmux.press("Enter")
        try tmux.type("machine password 42")
        try tmux.press("Enter")
    }

    private func onions(_ name: String, _ args: [String], remote: String? = nil, stdin: [UInt8] = []) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = directory.appendingPathComponent("\(name)-state").path
        environment["XDG_CONFIG_HOME"] = directory.appendingPathComponent("\(name)-config").path
        let global = ["--store", directory.appendingPathComponent("\(name).db").path, "--user", "alice",
                      "--password-file", directory.appendingPathComponent("pw").path, "--kdf-cost", "15",
                      "--remote", remote ?? clientURL]
        return try Harness.run(Harness.onionsBinary(), global + args, stdin: stdin, environment: environment)
    }

    private let deadURL = "postgresql://127.0.0.1:1/none"

    /// A delete on one machine and a restore from the trash on another, through the server:
    /// the item comes back on the first with its text (issue "Nothing deleted is gone").
    func testDeletedOnOneMachineRestoredFromTheTrashOnAnotherComesBackEverywhere() throws {
        XCTAssertEqual(try onions("a", ["signup"]).status, 0)
        try Data("the kept text\n".utf8).write(to: directory.appendingPathComponent("info"))
        let added = try onions("a", ["add", "--title", "Shared", "--info-file", directory.appendingPathComponent("info").path])
        XCTAssertEqual(added.status, 0, added.stderrText)
        XCTAssertEqual(try onions("b", ["list"]).stdoutText, "Shared\n")
        XCTAssertEqual(try onions("a", ["rm", "Shared"]).status, 0)
        XCTAssertEqual(try onions("b", ["list"]).stdoutText, "", "the delete reached machine b")
        let trash = try onions("b", ["trash"])
        XCTAssertTrue(trash.stdoutText.contains("\tShared"), trash.stdoutText + trash.stderrText)
        let restored = try onions("b", ["restore", "--from-trash", "Shared"])
        XCTAssertEqual(restored.status, 0, restored.stderrText)
        XCTAssertEqual(try onions("a", ["show", "Shared"]).stdoutText, "the kept text\n")
        XCTAssertEqual(try onions("a", ["trash"]).stdoutText, "", "back on machine a, not in its trash")
    }


    /// Versions saved on one machine between two syncs of another all reach it through the
    /// server, each naming the machine that saved it; a machine signing in later lists them too.
    func testEveryVersionSavedOnOneMachineReachesAnotherThroughTheServer() throws {
        XCTAssertEqual(try onions("a", ["signup"]).status, 0)
        let info = directory.appendingPathComponent("info")
        try Data("v1".utf8).write(to: info)
        XCTAssertEqual(try onions("a", ["add", "--title", "Shared", "--info-file", info.path]).status, 0)
        XCTAssertEqual(try onions("b", ["list"]).stdoutText, "Shared\n")
        for text in ["v2", "v3", "v4"] {
            try Data(text.utf8).write(to: info)
            let edited = try onions("a", ["edit", "Shared", "--info-file", info.path])
            XCTAssertEqual(edited.status, 0, edited.stderrText)
        }
        func machines(_ name: String) throws -> [String] {
            let result = try onions(name, ["history", "Shared", "--json"])
            XCTAssertEqual(result.status, 0, result.stderrText)
            let object = try JSONSerialization.jsonObject(with: Data(result.stdoutText.utf8)) as? [String: Any]
            return (object?["versions"] as? [[String: Any]] ?? []).map { $0["machine"] as? String ?? "?" }
        }
        let onA = try machines("a")
        XCTAssertEqual(onA.count, 4)
        XCTAssertEqual(try machines("b"), onA, "machine b lists a's four versions, a's machine on each")
        XCTAssertEqual(try onions("b", ["show", "Shared", "--version", "2"]).stdoutText, "v2\n")
        XCTAssertEqual(try machines("c"), onA, "and so does a machine signing in now")
    }

    func testServerInitHasHelp() throws {
        let help = try Harness.onions(["server", "init", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdoutText.contains("pg_hba.conf"))
    }

    /// `onions verify` on two synced machines prints the same six words on its first line; a
    /// save on one changes them, and both agree again once synced; `--at 1` still names the first.
    func testVerifyPrintsTheSameWordsOnTwoSyncedMachines() throws {
        func words(_ result: ProcessResult) -> String {
            XCTAssertEqual(result.status, 0, result.stderrText)
            return result.stdoutText.split(separator: "\n").first.map(String.init) ?? ""
        }
        XCTAssertEqual(try onions("a", ["signup"]).status, 0)
        XCTAssertEqual(try onions("a", ["add", "--title", "One", "--info-file", "-"], stdin: Array("1\n".utf8)).status, 0)
        let firstOnB = try onions("b", ["list"])
        XCTAssertTrue(firstOnB.stderrText.contains("first sync on this machine"), firstOnB.stderrText)
        let onA = try onions("a", ["verify"])
        let first = words(onA)
        XCTAssertEqual(first.split(separator: " ").count, 6, first)
        XCTAssertTrue(first.allSatisfy { $0 == " " || $0.isLowercase }, first)
        XCTAssertTrue(onA.stdoutText.contains("save 1, "), onA.stdoutText)
        XCTAssertTrue(firstOnB.stderrText.contains(first), "the first sync shows the words it was given")
        XCTAssertEqual(words(try onions("b", ["verify"])), first)
        XCTAssertEqual(try onions("b", ["add", "--title", "Two", "--info-file", "-"], stdin: Array("2\n".utf8)).status, 0)
        let second = words(try onions("a", ["verify"]))
        XCTAssertNotEqual(second, first, "a save changes the words")
        XCTAssertEqual(words(try onions("b", ["verify"])), second)
        XCTAssertEqual(words(try onions("a", ["verify", "--at", "1"])), first)
        XCTAssertEqual(try onions("a", ["verify", "--at", "9"]).status, 1)
    }

    /// The interface's account view (`v`) on machine B shows the six words that `onions verify`
    /// prints on machine A after both synced, and the new words after A saves again.
    func testTheAccountViewShowsTheWordsOnionsVerifyPrintsOnAnotherMachine() throws {
        func words(_ result: ProcessResult) -> String {
            XCTAssertEqual(result.status, 0, result.stderrText)
            return result.stdoutText.split(separator: "\n").first.map(String.init) ?? ""
        }
        XCTAssertEqual(try onions("a", ["signup"]).status, 0)
        XCTAssertEqual(try onions("a", ["add", "--title", "One", "--info-file", "-"], stdin: Array("1\n".utf8)).status, 0)
        let environment = ["XDG_STATE_HOME": directory.appendingPathComponent("b-state").path,
                           "XDG_CONFIG_HOME": directory.appendingPathComponent("b-config").path]
        let tmux = try Tmux.start(for: self, width: 80, height: 24, environment: environment)
        let command = [try Harness.onionsBinary(), "--store", directory.appendingPathComponent("b.db").path,
                       "--user", "alice", "--kdf-cost", "15", "--remote", clientURL]
        try tmux.runInShell(command.map { "'\($0)'" }.joined(separator: " "))
        try tmux.waitFor("Unlock your vault")
        try tmux.type("machine password 42")
        try tmux.press("Enter")
        try tmux.waitFor("One", timeout: 30)
        let first = words(try onions("a", ["verify"]))
        XCTAssertEqual(first.split(separator: " ").count, 6, first)
        try tmux.press("v")
        let shown = try tmux.waitFor("Latest save on this machine")
        XCTAssertTrue(shown.contains(first), "the view shows A's words:\n\(Tmux.framed(shown))")
        XCTAssertTrue(shown.contains("save 1, "), Tmux.framed(shown))
        try tmux.press("Escape")
        XCTAssertEqual(try onions("a", ["add", "--title", "Two", "--info-file", "-"], stdin: Array("2\n".utf8)).status, 0)
        try tmux.waitFor("Two", timeout: 30)
        let second = words(try onions("a", ["verify"]))
        XCTAssertNotEqual(second, first)
        try tmux.press("v")
        let again = try tmux.waitFor(second)
        XCTAssertTrue(again.contains("save 2, "), Tmux.framed(again))
        XCTAssertFalse(again.contains(first), Tmux.framed(again))
        try tmux.press("Escape")
        try tmux.press("q")
    }

    /// `sync --reregister`: the server restored to before a password change turns the machine
    /// away; given the older password it moves the server's copy to the newer one and joins the
    /// restored history; a new machine then has every save with the newer password.
    func testSyncReregisterMovesARestoredServerToTheNewerPassword() throws {
        XCTAssertEqual(try onions("a", ["signup"]).status, 0)
        XCTAssertEqual(try onions("a", ["add", "--title", "Before", "--info-file", "-"], stdin: Array("1\n".utf8)).status, 0)
        for table in ["vaults", "records", "commits"] {
            try psql(adminURL, "CREATE TABLE public.dump_\(table) AS SELECT * FROM onions.\(table)")
        }
        let older = directory.appendingPathComponent("older")
        try FileManager.default.copyItem(at: directory.appendingPathComponent("pw"), to: older)
        let newer = directory.appendingPathComponent("newer")
        try Data("a much newer machine password 77\n".utf8).write(to: newer)
        let changed = try onions("a", ["passwd", "--new-password-file", newer.path, "--weak-ok"])
        XCTAssertEqual(changed.status, 0, changed.stderrText)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("pw"))
        try FileManager.default.copyItem(at: newer, to: directory.appendingPathComponent("pw"))
        XCTAssertEqual(try onions("a", ["add", "--title", "After", "--info-file", "-"], stdin: Array("2\n".utf8)).status, 0)

        // The restore: the dump's rows and role; the newer password's role gone.
        let roles = try Harness.run("/usr/bin/psql", ["-Atq", "-d", adminURL, "-c",
                                                      "SELECT v.role || ' ' || d.role FROM onions.vaults v, public.dump_vaults d"])
        let pair = roles.stdoutText.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        XCTAssertEqual(pair.count, 2, roles.stderrText)
        let (newerRole, olderRole) = (pair[0], pair[1])
        try psql(adminURL, "DELETE FROM onions.records; INSERT INTO onions.records SELECT * FROM public.dump_records")
        try psql(adminURL, "DELETE FROM onions.commits; INSERT INTO onions.commits SELECT * FROM public.dump_commits")
        try psql(adminURL, """
            UPDATE onions.vaults v SET parameters = d.parameters, wrapped_key = d.wrapped_key, role = d.role
              FROM public.dump_vaults d WHERE v.vault = d.vault;
            DELETE FROM onions.retired_roles WHERE role = '\(olderRole)';
            ALTER ROLE "\(olderRole)" LOGIN; GRANT onions_client TO "\(olderRole)"; DROP ROLE "\(newerRole)";
            """)
        let turnedAway = try onions("a", ["sync"])
        XCTAssertEqual(turnedAway.status, 1, turnedAway.stderrText)
        let moved = try onions("a", ["sync", "--reregister", "--old-password-file", older.path])
        XCTAssertTrue(moved.stderrText.contains("the server's copy now has this machine's password and role"), "\(moved.status) [\(moved.stdoutText)] \(moved.stderrText)")
        XCTAssertTrue(moved.stderrText.contains("the server no longer has"), moved.stderrText)
        let settled = try onions("a", ["sync"])
        XCTAssertEqual(settled.status, 0, settled.stderrText)
        let onC = try onions("c", ["list"])
        XCTAssertEqual(onC.status, 0, onC.stderrText)
        XCTAssertEqual(onC.stdoutText, "After\nBefore\n")
    }

    func testTwoMachinesSignUpLogInEditBothWaysAndMergeOfflineEdits() throws {
        XCTAssertEqual(try onions("a", ["signup"]).status, 0)
        XCTAssertEqual(try onions("a", ["add", "--title", "Groceries", "--info-file", "-"], stdin: Array("milk\neggs\n".utf8)).status, 0)
        let listed = try onions("b", ["list"])
        XCTAssertEqual(listed.status, 0, listed.stderrText)
        XCTAssertEqual(listed.stdoutText, "Groceries\n")
        XCTAssertEqual(try onions("b", ["task", "add", "from b"]).status, 0)
        XCTAssertEqual(try onions("a", ["task", "list"]).stdoutText, "[ ] 0 from b\n")

        // Both offline: the commands work and say so.
        let offlineA = try onions("a", ["edit", "Groceries", "--info-file", "-"], remote: deadURL,
                                  stdin: Array("cheese\nmilk\neggs\n".utf8))
        XCTAssertEqual(offlineA.status, 0, offlineA.stderrText)
        XCTAssertTrue(offlineA.stderrText.contains("offline"), offlineA.stderrText)
        XCTAssertEqual(try onions("b", ["edit", "Groceries", "--info-file", "-"], remote: deadURL,
                                  stdin: Array("milk\neggs\nbread\n".utf8)).status, 0)
        XCTAssertEqual(try onions("b", ["sync"], remote: deadURL).status, 1, "sync says it could not reach the server")

        let syncA = try onions("a", ["sync"])
        XCTAssertEqual(syncA.status, 0, syncA.stderrText)
        let syncB = try onions("b", ["sync"])
        XCTAssertEqual(syncB.status, 0, syncB.stderrText)
        XCTAssertTrue(syncB.stderrText.contains("merged"), syncB.stderrText)
        for machine in ["a", "b"] {
            let shown = try onions(machine, ["show", "Groceries"])
            XCTAssertEqual(shown.stdoutText, "cheese\nmilk\neggs\nbread\n", "on \(machine): \(shown.stderrText)")
            XCTAssertFalse(shown.stderrText.contains("warning"), shown.stderrText)
        }
    }

    /// The order chosen with `s` in the interface of one machine is saved in the vault: after
    /// quitting, the interface of a second machine (its own store, synced through the server)
    /// opens with the same order.
    func testTheSortOrderSurvivesQuittingAndLoggingInOnASecondMachine() throws {
        XCTAssertEqual(try onions("a", ["signup"]).status, 0)
        for title in ["banana", "Apple", "cherry"] {
            XCTAssertEqual(try onions("a", ["add", "--title", title, "--info-file", "-"]).status, 0)
        }
        let tmux = try Tmux.start(for: self)
        for (machine, press) in [("a", true), ("b", false)] {
            try logInInterface(tmux, machine: machine)
            try tmux.waitFor("3 onions")
            if press { try tmux.press("s") }
            let screen = try tmux.waitFor("3 onions, by title")
            let rows = screen.split(separator: "\n").map(String.init)
            let order = ["Apple", "banana", "cherry"].map { title in rows.firstIndex { $0.contains(title) } ?? -1 }
            XCTAssertEqual(order, order.sorted(), "on \(machine):\n\(Tmux.framed(screen))")
            XCTAssertFalse(order.contains(-1), "on \(machine):\n\(Tmux.framed(screen))")
            try tmux.press("q")
            try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
        }
    }

    /// Issue 29 item 1, with the release binary in tmux: a draft typed on machine B and sealed by
    /// Ctrl-L is not restored on machine A, comes back once on B, and after B saves it there is
    /// one onion on both machines (before, A restored it too and saving it on both made two).
    func testADraftSealedByCtrlLComesBackOnlyOnItsOwnMachine() throws {
        XCTAssertEqual(try onions("a", ["signup"]).status, 0)
        XCTAssertEqual(try onions("b", ["list"]).status, 0, "b logs in once")
        let tmux = try Tmux.start(for: self)
        func launch(_ machine: String) throws -> String {
            try logInInterface(tmux, machine: machine)
            return try tmux.waitFor("onions · alice")
        }
        func quit() throws {
            for _ in 0..<3 where Tmux.lastLine(of: try tmux.screen()) != "e2e$" {
                try tmux.press("q")
                _ = try? tmux.waitUntil("the shell prompt after q", timeout: 2) { Tmux.lastLine(of: $0) == "e2e$" }
            }
            try tmux.waitUntil("the shell prompt") { Tmux.lastLine(of: $0) == "e2e$" }
        }

        _ = try launch("b")
        try tmux.press("n")
        try tmux.waitFor("Title")
        try tmux.type("Letter")
        try tmux.press("Tab")
        try tmux.type("Dear Ann")
        try tmux.waitFor("Dear Ann")
        try tmux.press("C-l")
        try tmux.waitFor("The vault of alice is locked")
        try tmux.press("C-c")
        try tmux.waitUntil("the shell prompt after Ctrl-C") { Tmux.lastLine(of: $0) == "e2e$" }
        let pushed = try onions("b", ["sync"])
        XCTAssertEqual(pushed.status, 0, pushed.stderrText)
        // A takes in B's commits (the draft's among them) before its interface starts.
        let pulled = try onions("a", ["sync"])
        XCTAssertEqual(pulled.status, 0, pulled.stderrText)

        _ = try launch("a")
        usleep(1_500_000)  // a restored draft would show by now
        let onA = try tmux.screen()
        XCTAssertFalse(onA.contains("Restored") || onA.contains("Dear Ann"),
                       "machine A restored machine B's draft:\n\(Tmux.framed(onA))")
        if onA.contains("Dear Ann") { try tmux.press("C-s"); try tmux.waitFor("Saved.") }
        try quit()

        _ = try launch("b")
        let onB = try tmux.waitFor("Dear Ann")
        XCTAssertTrue(onB.contains("Restored an unsaved draft"), Tmux.framed(onB))
        try tmux.press("C-s")
        try tmux.waitFor("Saved.")
        try quit()
        _ = try launch("b")
        usleep(1_500_000)
        let again = try tmux.screen()
        XCTAssertFalse(again.contains("Restored"), "the saved draft came back:\n\(Tmux.framed(again))")
        try quit()

        XCTAssertEqual(try onions("b", ["sync"]).status, 0)
        for machine in ["a", "b"] {
            let listed = try onions(machine, ["list"])
            XCTAssertEqual(listed.stdoutText, "Letter\n", "on \(machine): \(listed.stderrText)")
        }
    }

    /// `onions sync` counts what the log in synced too (it used to say "0 record(s) pulled" after
    /// pulling everything), and `--json` says the same.
    func testSyncReportsWhatMovedAndItsJSONSaysTheSame() throws {
        XCTAssertEqual(try onions("a", ["signup"]).status, 0)
        XCTAssertEqual(try onions("a", ["add", "--title", "Plans", "--info-file", "-"], stdin: Array("one\ntwo\n".utf8)).status, 0)
        XCTAssertEqual(try onions("a", ["add", "--title", "Notes", "--info-file", "-"], stdin: Array("x\n".utf8)).status, 0)

        let first = try onions("b", ["sync", "--json"])
        XCTAssertEqual(first.status, 0, first.stderrText)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(first.stdout)) as? [String: Any], first.stdoutText)
        XCTAssertGreaterThanOrEqual(report["pulled"] as? Int ?? 0, 4, "two onions of two records each came down: \(first.stdoutText)")
        XCTAssertEqual(report["pushed"] as? Int, 0)
        XCTAssertEqual(report["conflicts"] as? [String], [])
        XCTAssertTrue(report["offline"] is NSNull && report["refused"] is NSNull, first.stdoutText)
        XCTAssertEqual(first.stdout.filter { $0 == 0x0a }.count, 1, "one JSON document on one line")

        // Overlapping edits on both machines: the second to sync keeps the other as a copy.
        XCTAssertEqual(try onions("a", ["edit", "Plans", "--info-file", "-"], remote: deadURL,
                                  stdin: Array("one from a\ntwo\n".utf8)).status, 0)
        XCTAssertEqual(try onions("b", ["edit", "Plans", "--info-file", "-"], remote: deadURL,
                                  stdin: Array("one from b\ntwo\n".utf8)).status, 0)
        XCTAssertEqual(try onions("a", ["sync"]).status, 0)
        let text = try onions("b", ["sync"])
        XCTAssertEqual(text.status, 0, text.stderrText)
        XCTAssertTrue(text.stderrText.contains("1 conflict copy"), text.stderrText)
        let pulled = text.stderrText.split(separator: "\n").first { $0.contains("synced:") }
        XCTAssertFalse(pulled?.contains("synced: 0 record(s) pulled, 0 pushed") ?? true,
                       "the report counts what the log in moved: \(text.stderrText)")
        let json = try onions("a", ["sync", "--json"])
        let again = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any], json.stdoutText)
        XCTAssertGreaterThan(again["pulled"] as? Int ?? 0, 0, "a pulls b's copy: \(json.stdoutText)")
    }

    // MARK: Conflict copies (issue 27 item 5)

    /// "Plans" changed on the same line on both machines while apart; a syncs first, so b's
    /// version becomes "Plans (conflict 2)" on both.
    private func makeConflict() throws {
        XCTAssertEqual(try onions("a", ["signup"]).status, 0)
        XCTAssertEqual(try onions("a", ["add", "--title", "Plans", "--info-file", "-"], stdin: Array("one\ntwo\n".utf8)).status, 0)
        XCTAssertEqual(try onions("b", ["list"]).stdoutText, "Plans\n")
        XCTAssertEqual(try onions("a", ["edit", "Plans", "--info-file", "-"], remote: deadURL,
                                  stdin: Array("one from a\ntwo\n".utf8)).status, 0)
        XCTAssertEqual(try onions("b", ["edit", "Plans", "--info-file", "-"], remote: deadURL,
                                  stdin: Array("one from b\ntwo\n".utf8)).status, 0)
        for machine in ["a", "b", "a"] { XCTAssertEqual(try onions(machine, ["sync"]).status, 0) }
        XCTAssertEqual(try onions("a", ["list"]).stdoutText.split(separator: "\n").sorted(), ["Plans", "Plans (conflict 2)"])
    }

    private func versions(_ result: ProcessResult) throws -> [[String: Any]] {
        XCTAssertEqual(result.status, 0, result.stderrText)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any], result.stdoutText)
        return try XCTUnwrap(json["versions"] as? [[String: Any]], result.stdoutText)
    }

    /// The copy's history names the machine and the version it came from (on the machine that
    /// made it, by number; on the other, as machine b's), and `restore --other-side` gives the
    /// original its text in one step, the copy going to the trash.
    func testAConflictCopyNamesItsOriginAndRestoreOtherSideTakesItInOneStep() throws {
        try makeConflict()
        let onB = try XCTUnwrap(try versions(onions("b", ["history", "Plans (conflict 2)", "--json"])).first?["origin"]
                                    as? [String: Any], "no origin on b")
        XCTAssertEqual(onB["kind"] as? String, "onion")
        XCTAssertEqual(onB["name"] as? String, "Plans")
        let number = try XCTUnwrap(onB["version"] as? Int, "b holds the version its copy came from")
        let copied = try XCTUnwrap(try versions(onions("b", ["history", "Plans", "--json"])).first { $0["number"] as? Int == number })
        XCTAssertEqual(copied["machine"] as? String, onB["machine"] as? String)
        XCTAssertEqual(copied["commit"] as? Int, onB["commit"] as? Int)
        XCTAssertEqual(try onions("b", ["show", "Plans", "--version", String(number)]).stdoutText, "one from b\ntwo\n")

        let onA = try XCTUnwrap(try versions(onions("a", ["history", "Plans (conflict 2)", "--json"])).first?["origin"]
                                    as? [String: Any], "no origin on a")
        let machineB = try XCTUnwrap(onB["machine"] as? String)
        XCTAssertEqual(onA["machine"] as? String, machineB, "on a, the copy names machine b")
        XCTAssertEqual(onA["commit"] as? Int, onB["commit"] as? Int)
        XCTAssertTrue(onA["version"] is NSNull, "a never held b's version of Plans")
        let firstOnA = try versions(onions("a", ["history", "Plans", "--json"])).first?["machine"] as? String
        XCTAssertNotEqual(firstOnA, machineB, "a's own version names a")
        let text = try onions("a", ["history", "Plans (conflict 2)"]).stdoutText
        XCTAssertTrue(text.contains("\tcopy of onion “Plans”: machine \(machineB.prefix(8)), commit "), text)
        XCTAssertTrue(try onions("b", ["history", "Plans (conflict 2)"]).stdoutText
            .contains("\tcopy of onion “Plans”: version \(number), this machine, commit "))

        XCTAssertEqual(try onions("a", ["restore", "Plans", "--other-side"]).status, 1, "Plans is no copy")
        XCTAssertEqual(try onions("a", ["restore", "Plans (conflict 2)", "--other-side", "--version", "1"]).status, 2)
        let before = try versions(onions("a", ["history", "Plans", "--json"])).count
        let restored = try onions("a", ["restore", "Plans (conflict 2)", "--other-side"])
        XCTAssertEqual(restored.status, 0, restored.stderrText)
        XCTAssertEqual(try onions("a", ["list"]).stdoutText, "Plans\n")
        XCTAssertEqual(try onions("a", ["show", "Plans"]).stdoutText, "one from b\ntwo\n")
        XCTAssertTrue(try onions("a", ["trash"]).stdoutText.contains("\tPlans (conflict 2)"))
        XCTAssertEqual(try versions(onions("a", ["history", "Plans", "--json"])).count, before + 1, "a's version is kept")
        XCTAssertEqual(try onions("b", ["show", "Plans"]).stdoutText, "one from b\ntwo\n")
        XCTAssertEqual(try onions("b", ["list"]).stdoutText, "Plans\n")
    }

    /// In the interface, `o` in the history of the copy does what `restore --other-side` does.
    func testOInTheHistoryOfAConflictCopyGivesTheOriginalItsText() throws {
        try makeConflict()
        let tmux = try Tmux.start(for: self)
        try logInInterface(tmux, machine: "a")
        // The copy holds b's later change, so it is listed first and selected.
        try tmux.waitFor("2 onions")
        try tmux.press("H")
        let history = try tmux.waitFor("Conflict copy of")
        XCTAssertTrue(history.contains("saved by machine "), Tmux.framed(history))
        XCTAssertTrue(history.contains("o other side"), Tmux.framed(history))
        try tmux.press("o")
        try tmux.waitFor("Moved the copy to the trash and its text into the onion “Plans”.")
        try tmux.press("q")
        try tmux.waitUntil("the shell prompt after q") { Tmux.lastLine(of: $0) == "e2e$" }
        XCTAssertEqual(try onions("a", ["list"]).stdoutText, "Plans\n")
        XCTAssertEqual(try onions("a", ["show", "Plans"]).stdoutText, "one from b\ntwo\n")
    }
}
