import Foundation
import XCTest

/// A PostgreSQL cluster of its own for one test, as an administrator meets a fresh server:
/// `initdb` into a temporary folder, started with `pg_ctl` on a free port, stopped when the
/// test ends.
///
/// The superuser `onions_admin` logs in without a password over the cluster's Unix socket
/// (a private folder) and with `password` over TCP. As root the server runs as `postgres`
/// (PostgreSQL refuses root), as scripts/pg-test-server.sh does.
final class FreshCluster {
    let folder: URL
    let data: URL
    private(set) var port: Int
    let password: String
    private let bin: String

    /// The administrator's URL over the Unix socket, for `database`.
    func socketURL(database: String) -> String {
        "host=\(folder.path) port=\(port) dbname=\(database) user=onions_admin"
    }

    static func create(for test: XCTestCase) throws -> FreshCluster {
        // One slash between folders: server init prints the paths the server reports.
        let made = try Harness.makeTemporaryDirectory().path
        let folder = URL(fileURLWithPath: made.replacingOccurrences(of: "//", with: "/"), isDirectory: true)
        let password = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let cluster = FreshCluster(folder: folder, port: Int.random(in: 20000...59999), password: password,
                                   bin: try serverBinaries())
        test.addTeardownBlock { cluster.destroy() }
        try cluster.giveToServerUser(folder)
        try Data((password + "\n").utf8).write(to: folder.appendingPathComponent("pwfile"))
        try cluster.giveToServerUser(folder.appendingPathComponent("pwfile"))
        let initdb = try cluster.asServerUser(["\(cluster.bin)/initdb", "-D", cluster.data.path, "-U", "onions_admin",
                                               "--pwfile=\(folder.path)/pwfile", "--auth-local=trust",
                                               "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "-N"])
        guard initdb.status == 0 else { throw HarnessError(description: "initdb failed: \(initdb.stderrText)") }
        // This machine's own settings (where to listen, how to log), before the admin's lines.
        try cluster.append([
            "unix_socket_directories = '\(folder.path)'", "fsync = off", "logging_collector = on", "log_directory = 'log'",
        ], to: "postgresql.conf")
        for attempt in 1...5 {
            // Another process may take the port meanwhile: then another one.
            try cluster.append(["port = \(cluster.port)"], to: "postgresql.conf")
            do {
                try cluster.start()
                break
            } catch where attempt < 5 {
                cluster.port = Int.random(in: 20000...59999)
            }
        }
        return cluster
    }

    private init(folder: URL, port: Int, password: String, bin: String) {
        self.folder = folder
        data = folder.appendingPathComponent("data")
        self.port = port
        self.password = password
        self.bin = bin
    }

    /// Appends `lines` to a file of the data folder (postgresql.conf, pg_hba.conf).
    func append(_ lines: [String], to name: String) throws {
        let handle = try FileHandle(forWritingTo: data.appendingPathComponent(name))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(("\n" + lines.joined(separator: "\n") + "\n").utf8))
    }

    /// Copies `file` into the data folder, owned by the server's user, mode 0600.
    func install(_ file: URL) throws {
        let target = data.appendingPathComponent(file.lastPathComponent)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: file, to: target)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target.path)
        try giveToServerUser(target)
    }

    func start() throws {
        let started = try asServerUser(["\(bin)/pg_ctl", "-D", data.path, "-l", folder.appendingPathComponent("start.log").path,
                                        "-w", "-t", "60", "start"])
        guard started.status == 0 else {
            let log = (try? String(contentsOf: folder.appendingPathComponent("start.log"), encoding: .utf8)) ?? ""
            throw HarnessError(description: "pg_ctl start failed: \(started.stderrText) \(log)")
        }
    }

    func restart() throws {
        let stopped = try asServerUser(["\(bin)/pg_ctl", "-D", data.path, "-m", "fast", "-w", "stop"])
        guard stopped.status == 0 else { throw HarnessError(description: "pg_ctl stop failed: \(stopped.stderrText)") }
        try start()
    }

    private func destroy() {
        _ = try? asServerUser(["\(bin)/pg_ctl", "-D", data.path, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(at: folder)
    }

    private var isRoot: Bool { getuid() == 0 }

    /// Runs `words` as the server's user and waits for that process alone: `pg_ctl start`
    /// leaves the server running with its descriptors, which Foundation's `Process` would wait for.
    private func asServerUser(_ words: [String]) throws -> ProcessResult {
        let command = isRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + words : words
        return try Tmux.spawnAndWait(command[0], Array(command.dropFirst()), environment: ProcessInfo.processInfo.environment,
                                     outputFolder: folder)
    }

    private func giveToServerUser(_ url: URL) throws {
        guard isRoot else { return }
        try FileManager.default.setAttributes([.ownerAccountName: "postgres", .groupOwnerAccountName: "postgres"],
                                              ofItemAtPath: url.path)
    }

    /// The newest /usr/lib/postgresql/N/bin (the Makefile installs the server).
    private static func serverBinaries() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        guard let newest = versions.last else {
            XCTFail("no PostgreSQL server under \(root): 'make test' installs it")
            throw HarnessError(description: "no PostgreSQL server")
        }
        return "\(root)/\(newest)/bin"
    }
}

/// A streaming standby and what a failover needs: PostgreSQL's own tools only.
extension FreshCluster {
    /// A streaming standby of this cluster, made as docs/SERVER.md says: `pg_basebackup -R`
    /// into a folder of its own (own port, own socket folder), started, and streaming.
    func makeStandby(for test: XCTestCase) throws -> FreshCluster {
        let made = try Harness.makeTemporaryDirectory().path
        let folder = URL(fileURLWithPath: made.replacingOccurrences(of: "//", with: "/"), isDirectory: true)
        let standby = FreshCluster(folder: folder, port: Int.random(in: 20000...59999), password: password, bin: bin)
        test.addTeardownBlock { standby.destroy() }
        try standby.giveToServerUser(folder)
        let copied = try standby.asServerUser(["\(bin)/pg_basebackup", "-h", self.folder.path, "-p", "\(port)",
                                               "-U", "onions_admin", "-D", standby.data.path, "-R", "-X", "stream",
                                               "-c", "fast"])
        guard copied.status == 0 else { throw HarnessError(description: "pg_basebackup failed: \(copied.stderrText)") }
        try standby.append(["unix_socket_directories = '\(folder.path)'"], to: "postgresql.conf")
        for attempt in 1...5 {
            try standby.append(["port = \(standby.port)"], to: "postgresql.conf")
            do {
                try standby.start()
                break
            } catch where attempt < 5 {
                standby.port = Int.random(in: 20000...59999)
            }
        }
        try standby.waitUntil("the standby streams", on: self,
                              "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'", is: "1")
        return standby
    }

    /// Runs `sql` as the superuser over the socket; its rows as `psql -At` prints them.
    @discardableResult
    func sql(_ sql: String, database: String = "postgres") throws -> String {
        let result = try Harness.run("/usr/bin/psql", ["-v", "ON_ERROR_STOP=1", "-Atq", "-d", socketURL(database: database),
                                                      "-c", sql])
        guard result.status == 0 else { throw HarnessError(description: "psql \(sql): \(result.stderrText)") }
        return result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits (up to 30 s) until `sql` on `cluster` answers `expected`.
    func waitUntil(_ what: String, on cluster: FreshCluster, _ sql: String, is expected: String) throws {
        let deadline = Date().addingTimeInterval(30)
        var last = ""
        while Date() < deadline {
            last = (try? cluster.sql(sql)) ?? ""
            if last == expected { return }
            usleep(20_000)
        }
        throw HarnessError(description: "\(what): '\(sql)' still answers '\(last)' after 30 s")
    }

    /// Stops the server as a crash would (`pg_ctl stop -m immediate`): nothing more is written.
    func stopImmediately() throws {
        let stopped = try asServerUser(["\(bin)/pg_ctl", "-D", data.path, "-m", "immediate", "-w", "stop"])
        guard stopped.status == 0 else { throw HarnessError(description: "pg_ctl stop failed: \(stopped.stderrText)") }
    }

    /// Promotes a standby (`pg_ctl promote`) and waits until it takes writes.
    func promote() throws {
        let promoted = try asServerUser(["\(bin)/pg_ctl", "-D", data.path, "-w", "promote"])
        guard promoted.status == 0 else { throw HarnessError(description: "pg_ctl promote failed: \(promoted.stderrText)") }
    }
}
