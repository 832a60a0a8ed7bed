import Glibc
import OnionsCore
import OnionsCrypto

extension Scenario {
    /// `sync-live-3writers`: `sync-live-one` under load. Three more machines, each a child
    /// process (`SyncWriter`), save new onions through the server as fast as they can the whole
    /// time; machine A saves one onion per run, and the time until machine B lists it is
    /// measured. A and B run the interface's loop: wait up to 50 ms for the server's notice
    /// (B) and sync whenever there is one or a save waits to be pushed (both).
    ///
    /// All five machines hold the 1,000-onion vault (copies of the fixture; B pulled it on an
    /// empty machine). Before each run A and B sync once (not timed). The line adds `p90_ms`
    /// and `max_ms`. Runs only when `ONIONS_BENCH_PG` is set.
    static var syncLive3Writers: Scenario {
        Scenario(name: "sync-live-3writers", runs: 30, quickRuns: 10) { fixtures in
            let vault = try fixtures.vault(onions: 1_000, infoLength: 300)
            let server = try BenchServer()
            var writers: [pid_t] = []
            var sessions: [Session] = []
            func stop() {
                for pid in writers {
                    kill(pid, SIGTERM)
                    _ = try? Spawn.wait(pid)
                }
                for session in sessions { session.lock() }
                server.drop()
            }
            do {
                sessions.append(try BenchMachine.copy(of: vault, fixtures.scratch + "/sync-writers-a").logIn(server, expecting: 1_000))
                sessions.append(try BenchMachine.empty(fixtures.scratch + "/sync-writers-b").logIn(server, expecting: 1_000))
                for i in 0..<3 {
                    let folder = fixtures.scratch + "/sync-writers-w\(i)"
                    _ = try BenchMachine.copy(of: vault, folder)
                    writers.append(try Spawn.start(["/proc/self/exe", SyncWriter.mode, folder],
                                                   environment: Spawn.environment([SyncWriter.urlVariable: server.clientURL]),
                                                   stdout: folder + ".out", stderr: folder + ".err"))
                }
                for i in 0..<3 { try waitForReady(fixtures.scratch + "/sync-writers-w\(i)", writer: writers[i]) }
                for i in 0..<3 { close(open(fixtures.scratch + "/sync-writers-w\(i).go", O_WRONLY | O_CREAT, 0o600)) }
                // The load is on before the first run.
                usleep(500_000)
            } catch {
                stop()
                throw error
            }
            let a = sessions[0], b = sessions[1]
            var text = SampleText(seed: 3)
            var saved = 1_000
            return Trial(run: {
                if a.pollRemote(timeoutMs: 0) { try checked(a.syncNow()) }
                if b.pollRemote(timeoutMs: 0) { try checked(b.syncNow()) }
                defer { saved += 1 }
                return try timeLiveSave(saved, text: &text, from: a, to: b, scenario: "sync-live-3writers",
                                        withinSeconds: 30, checked: checked)
            }, finish: stop)
        }
    }

    /// Waits (up to 120 s) until the writer of machine `folder` printed "ready"; throws when it
    /// ended first, with what it said.
    private static func waitForReady(_ folder: String, writer: pid_t) throws {
        let start = Clock.nowMilliseconds()
        while Clock.nowMilliseconds() - start < 120_000 {
            if fileStarts(folder + ".out", with: "ready") { return }
            var status: Int32 = 0
            if waitpid(writer, &status, WNOHANG) == writer {
                throw BenchFailure("sync-live-3writers: a writer ended before it was ready: \(head(folder + ".err"))")
            }
            usleep(50_000)
        }
        throw BenchFailure("sync-live-3writers: a writer was not ready within 120 s")
    }

    /// The first 500 bytes of a file, as text.
    private static func head(_ path: String) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 500)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return String(decoding: buffer.prefix(max(0, n)), as: UTF8.self)
    }

    /// True when the file at `path` begins with `prefix`.
    private static func fileStarts(_ path: String, with prefix: String) -> Bool {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: prefix.utf8.count)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return n == buffer.count && buffer == Array(prefix.utf8)
    }

    /// Fails on a server that is away or refuses the vault; a round that lost the race with the
    /// writers is tried again on the next pass, as the interface's next tick does.
    private static func checked(_ report: SyncReport) throws {
        if let problem = report.offline ?? (report.refused?.contains("kept changing") == true ? nil : report.refused) {
            throw BenchFailure("sync-live-3writers: a sync failed: \(problem)")
        }
    }
}
