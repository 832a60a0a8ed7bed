import Foundation
import XCTest

/// A primary and a streaming standby on 127.0.0.1, made by the test with PostgreSQL's own tools
/// (docs/SERVER.md, "Standby"), and three machines as three processes of the CLI whose URL
/// lists both servers. The primary dies (`pg_ctl stop -m immediate`), the standby is promoted,
/// and every machine carries on: with asynchronous replication the saves the standby never
/// received are sent again by the machines that hold them; with synchronous replication
/// nothing the server accepted is lost, and nothing says so. Needs ONIONS_BIN.
final class StandbyFailoverTests: XCTestCase {
    private var directory: URL!
    private var url = ""
    private var log: [String] = []

    /// The link to the standby is cut before each machine's last save, so those saves reach the
    /// primary alone: the promoted standby lacks saves the server had accepted.
    func testAfterAnAsynchronousFailoverEverySaveIsSentAgainAndEveryMachineCarriesOn() throws {
        try failover(synchronous: false)
    }

    /// With synchronous replication a save the standby has not received is never accepted: cut
    /// from the standby, the primary holds one machine's save until it dies; after the failover
    /// that machine sends it as an ordinary save, and no machine reports lost saves.
    func testAfterASynchronousFailoverNothingIsLostAndNothingIsReported() throws {
        try failover(synchronous: true)
    }

    private func failover(synchronous: Bool) throws {
        directory = try Harness.temporaryDirectory(for: self)
        try Data("machine password 42\n".utf8).write(to: directory.appendingPathComponent("pw"))
        let primary = try FreshCluster.create(for: self)
        // Installed; not ready (no TLS, no auth_delay), which these machines on 127.0.0.1 need not be.
        let initialised = try Harness.onions(["server", "init", "--url", primary.socketURL(database: "onions")])
        XCTAssertTrue(initialised.stdoutText.contains("onions schema version"), initialised.stdoutText + initialised.stderrText)
        let standby = try primary.makeStandby(for: self)
        if synchronous {
            try primary.sql("ALTER SYSTEM SET synchronous_standby_names = '*'")
            try primary.sql("SELECT pg_reload_conf()")
            try primary.waitUntil("the standby is synchronous", on: primary,
                                  "SELECT sync_state FROM pg_stat_replication", is: "sync")
        }
        url = "postgresql://127.0.0.1:\(primary.port),127.0.0.1:\(standby.port)/onions?target_session_attrs=read-write"

        let machines = ["a", "b", "c"]
        XCTAssertEqual(try onions("a", ["signup"]).status, 0)
        for name in machines { try save(name, "\(name) 1") }
        for name in machines { try save(name, "\(name) 2") }
        let status = try Harness.onions(["server", "status", "--url", primary.socketURL(database: "onions")])
        XCTAssertTrue(status.stdoutText.contains("replication     primary; standby walreceiver"), status.stdoutText)
        XCTAssertTrue(status.stdoutText.contains(synchronous ? ", sync, " : ", async, "), status.stdoutText)
        let json = try Harness.onions(["server", "status", "--json", "--url", primary.socketURL(database: "onions")])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any])
        let replication = try XCTUnwrap(object["replication"] as? [String: Any], json.stdoutText)
        XCTAssertEqual(replication["role"] as? String, "primary")
        let standbys = try XCTUnwrap(replication["standbys"] as? [[String: Any]])
        XCTAssertEqual(standbys.map { $0["sync_state"] as? String }, [synchronous ? "sync" : "async"])
        XCTAssertEqual(standbys.first?["state"] as? String, "streaming")
        try primary.waitUntil("the standby caught up", on: primary,
                              "SELECT count(*) FROM pg_stat_replication WHERE replay_lsn = pg_current_wal_lsn()", is: "1")

        // The standby's link is cut: its WAL receiver stops and nothing more reaches it.
        try standby.sql("ALTER SYSTEM SET primary_conninfo = ''")
        try standby.sql("SELECT pg_reload_conf()")
        try standby.waitUntil("the standby stopped receiving", on: standby, "SELECT count(*) FROM pg_stat_wal_receiver", is: "0")
        try primary.waitUntil("the primary lost its standby", on: primary, "SELECT count(*) FROM pg_stat_replication", is: "0")
        let onStandby = try Harness.onions(["server", "status", "--url", standby.socketURL(database: "onions")])
        XCTAssertTrue(onStandby.stdoutText.contains("replication     standby, not receiving"), onStandby.stdoutText)

        var saved = machines.flatMap { ["\($0) 1", "\($0) 2"] }
        if synchronous {
            // The primary cannot accept a save the standby has not confirmed: it waits.
            let waiting = try startSave("a", "a 3")
            try primary.waitUntil("the save waits for the standby", on: primary,
                                  "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'", is: "1")
            try primary.stopImmediately()
            waiting.waitUntilExit()
            saved.append("a 3")
        } else {
            // Accepted by the primary alone.
            for name in machines {
                let result = try save(name, "\(name) 3")
                XCTAssertFalse(result.stderrText.contains("offline"), result.stderrText)
            }
            saved += machines.map { "\($0) 3" }
            try primary.stopImmediately()
        }
        let died = Date()
        try standby.promote()
        let promoted = Date().timeIntervalSince(died)

        // Every machine saves again at once through the same URL; the first run of each says
        // what the server lost (exit 1), never that the vault is read-only.
        var reports: [String] = []
        var carriedOn: [String: TimeInterval] = [:]
        for name in machines {
            while true {
                let result = try onions(name, ["add", "--title", "\(name) 4", "--info-file", "-"], stdin: Array("4\n".utf8))
                log.append("\(name) add: \(result.status) \(result.stderrText)")
                if !result.stderrText.contains("offline") {
                    XCTAssertTrue([0, 1].contains(result.status), result.stderrText)
                    reports.append(result.stderrText)
                    break
                }
                XCTAssertLessThan(Date().timeIntervalSince(died), 30, "machine \(name) is still offline: \(log)")
                if Date().timeIntervalSince(died) >= 30 { return }
                usleep(100_000)
            }
            carriedOn[name] = Date().timeIntervalSince(died)
            saved.append("\(name) 4")
        }
        print("failover (\(synchronous ? "synchronous" : "asynchronous")): promoted after "
              + String(format: "%.1f", promoted) + " s; saved through it, one machine after the other, "
              + machines.map { "\($0) after \(String(format: "%.1f", carriedOn[$0] ?? 0)) s" }.joined(separator: ", "))
        for name in machines {
            let synced = try onions(name, ["sync"])
            reports.append(synced.stderrText)
            log.append("\(name) sync: \(synced.status) \(synced.stderrText)")
        }
        let said = reports.joined(separator: "\n")
        XCTAssertFalse(said.contains("read-only"), said)
        if synchronous {
            XCTAssertFalse(said.contains("no longer has"), said)
            XCTAssertFalse(said.contains("warning"), said)
        } else {
            XCTAssertTrue(said.contains("the server no longer has"), said)
            XCTAssertTrue(said.contains("(a restored backup, a failover or a fork)"), said)
            XCTAssertTrue(said.contains("sent again"), said)
            // One sentence: not the records the server lost or holds older, nor twice.
            for report in reports where report.contains("no longer has") {
                XCTAssertEqual(report.components(separatedBy: "no longer has").count, 2, report)
                XCTAssertFalse(report.contains("replayed") || report.contains("good copy"), report)
            }
        }

        // Then the next sync of every machine is quiet, and every save is everywhere.
        for name in machines {
            let quiet = try onions(name, ["sync"])
            XCTAssertEqual(quiet.status, 0, "\(name): \(quiet.stderrText)\n\(log.joined(separator: "\n"))")
            XCTAssertFalse(quiet.stderrText.contains("warning"), quiet.stderrText)
        }
        let everything = saved.sorted()
        for name in machines {
            XCTAssertEqual(try titles(name), everything, "on machine \(name)\n\(log.joined(separator: "\n"))")
        }
        // A new machine that reaches the promoted standby alone gets every save.
        let alone = "postgresql://127.0.0.1:\(standby.port)/onions"
        XCTAssertEqual(try titles("d", remote: alone), everything)
        let words = try machines.map { try onions($0, ["verify"]).stdoutText.split(separator: "\n").first.map(String.init) ?? "" }
        XCTAssertEqual(Set(words).count, 1, "\(words)")
        let statusAfter = try Harness.onions(["server", "status", "--url", standby.socketURL(database: "onions")])
        XCTAssertTrue(statusAfter.stdoutText.contains("replication     primary; no standby"), statusAfter.stdoutText)
    }

    /// Runs the CLI as machine `name` (its own store and state folder).
    private func onions(_ name: String, _ args: [String], remote: String? = nil, stdin: [UInt8] = []) throws -> ProcessResult {
        try Harness.run(Harness.onionsBinary(), arguments(name, args, remote: remote), stdin: stdin,
                        environment: environment(name))
    }

    private func arguments(_ name: String, _ args: [String], remote: String? = nil) -> [String] {
        ["--store", directory.appendingPathComponent("\(name).db").path, "--user", "alice",
         "--password-file", directory.appendingPathComponent("pw").path, "--kdf-cost", "15",
         "--remote", remote ?? url] + args
    }

    private func environment(_ name: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = directory.appendingPathComponent("\(name)-state").path
        environment["XDG_CONFIG_HOME"] = directory.appendingPathComponent("\(name)-config").path
        return environment
    }

    /// Machine `name` adds an onion titled `title`; it reached the server.
    @discardableResult
    private func save(_ name: String, _ title: String) throws -> ProcessResult {
        let result = try onions(name, ["add", "--title", title, "--info-file", "-"], stdin: Array("\(title)\n".utf8))
        log.append("\(name) add \(title): \(result.status) \(result.stderrText)")
        XCTAssertEqual(result.status, 0, result.stderrText)
        return result
    }

    /// Starts machine `name` adding an onion and returns without waiting for it.
    private func startSave(_ name: String, _ title: String) throws -> Process {
        let input = directory.appendingPathComponent("\(name)-stdin")
        try Data("\(title)\n".utf8).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Harness.onionsBinary())
        process.arguments = arguments(name, ["add", "--title", title, "--info-file", input.path])
        process.environment = environment(name)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func titles(_ name: String, remote: String? = nil) throws -> [String] {
        let listed = try onions(name, ["list"], remote: remote)
        XCTAssertEqual(listed.status, 0, "\(name): \(listed.stderrText)")
        return listed.stdoutText.split(separator: "\n").map(String.init).sorted()
    }
}
