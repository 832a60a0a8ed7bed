import Glibc
import OnionsCore
import OnionsCrypto
import OnionsStore

extension Scenario {
    /// `server-load` (N = 1,000 vaults; `server-load-10000` under `--large`): how much one
    /// PostgreSQL server carries. Three runs on one fresh database, with 10, 50 and 200 machines
    /// (a person's two machines per vault), each for `ServerLoad.seconds` (env
    /// `ONIONS_BENCH_LOAD_SECONDS`, default 60). Each machine saves an onion about every 5
    /// seconds (exponential gaps; one save in ten starts a burst of five, half a second apart),
    /// sends it, and syncs on the server's change notice, as the interface does; all machines
    /// are threads of this process (each a `Session` with its own SQLite file and its own
    /// connection code). The N vaults besides them are made by SQL (roles with one verifier,
    /// computed once, and 20 records of 640 bytes each).
    ///
    /// Each run prints a JSON line of its own (saves per second, the time from a save's return
    /// to the other machine listing it at p50/p90/p99, errors, the server's client backends and
    /// the memory and CPU of the postmaster and its children from /proc). The scenario's line
    /// gives the median of the three runs' p50 in ms. The server must run on this machine.
    static func serverLoad(vaults: Int) -> Scenario {
        Scenario(name: vaults == 1_000 ? "server-load" : "server-load-\(vaults)", runs: 3, quickRuns: 3) { fixtures in
            let server = try BenchServer()
            let load: ServerLoad
            do {
                load = try ServerLoad(server: server, vaults: vaults, folder: fixtures.scratch + "/server-load")
            } catch {
                server.drop()
                throw error
            }
            var run = 0
            return Trial(run: {
                defer { run += 1 }
                return try load.run(machines: ServerLoad.machineCounts[run % 3])
            }, finish: {
                server.drop()
            })
        }
    }
}

/// The server-load scenario's database and runs.
final class ServerLoad {
    static let machineCounts = [10, 50, 200]
    static var seconds: Double {
        getenv("ONIONS_BENCH_LOAD_SECONDS").flatMap { Double(String(cString: $0)) } ?? 60
    }

    let server: BenchServer
    let vaults: Int
    let folder: String
    let admin: PostgresAdminSession
    let processes: ServerProcesses
    private var runNumber = 0

    init(server: BenchServer, vaults: Int, folder: String) throws {
        self.server = server
        self.vaults = vaults
        self.folder = folder
        guard let adminURL = BenchServer.adminURL else { throw BenchFailure("\(BenchServer.variable) is not set") }
        var url = try ServerURL(adminURL)
        url.database = server.database
        admin = try PostgresAdminSession(adminURL: url.text)
        processes = try ServerProcesses(backend: Int32(try admin.integer("SELECT pg_backend_pid()") ?? 0))
        guard mkdir(folder, 0o700) == 0 else { throw BenchFailure("cannot create \(folder)") }
        try Self.makeVaults(vaults, admin: admin, tag: server.database)
    }

    /// `count` vaults by SQL: a login role each (one SCRAM verifier for all, computed once; no
    /// one logs in as them), a header and 20 records of 640 bytes; then VACUUM ANALYZE.
    static func makeVaults(_ count: Int, admin: PostgresAdminSession, tag: String, records: Int = 20) throws {
        let password = SecureRandom.bytes(32)
        let verifier = try password.withUnsafeBytes { try SCRAM.verifier(password: $0) }
        try admin.run(script: """
            DO $$
            DECLARE r text;
            BEGIN
                FOR i IN 1 .. \(count) LOOP
                    r := 'onions_v_' || md5('\(tag)-' || i);
                    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE onions_client', r, '\(verifier)');
                    INSERT INTO onions.vaults (vault, parameters, wrapped_key, role, channel)
                    VALUES ('filler-\(tag)-' || i, decode(repeat('00', 43), 'hex'), decode(repeat('00', 60), 'hex'),
                            r, onions.new_channel());
                END LOOP;
                INSERT INTO onions.records (vault, name, version, blob, deleted, seq)
                SELECT 'filler-\(tag)-' || i, decode(md5(i || '-' || j), 'hex'), 1,
                       decode(repeat(md5(i || ':' || j), 40), 'hex'), false, nextval('onions.changes')
                FROM generate_series(1, \(count)) i, generate_series(1, \(records)) j;
            END $$
            """)
        // Now, not during the runs: the bulk load's vacuum and statistics, catalogs included
        // (autovacuum would otherwise spend the server's CPU in the middle of a run).
        try admin.run(script: "VACUUM ANALYZE")
    }

    /// One run with `machines` machines; prints its line and returns the p50 in ms.
    func run(machines: Int) throws -> Double {
        runNumber += 1
        let pairs = max(1, machines / 2)
        let threads = min(8, pairs)
        let results = Locked(LoadResults())
        let loadStart = ProcessFigures.loadAverage()
        // Every machine signs up or logs in first (two scrypt derivations per vault, not timed).
        var groups: [[LoadPair]] = Array(repeating: [], count: threads)
        let made = Locked<[Int: LoadPair]>([:])
        let url = server.clientURL
        let base = folder + "/run\(runNumber)"
        guard mkdir(base, 0o700) == 0 else { throw BenchFailure("cannot create \(base)") }
        onThreads(threads) { part in
            for index in stride(from: part, to: pairs, by: threads) {
                do {
                    let pair = try LoadPair(index: index, run: self.runNumber, folder: base, url: url, seed: UInt64(index + 1))
                    made.with { $0[index] = pair }
                } catch {
                    results.with { $0.error("setting up vault \(index): \(error)") }
                }
            }
        }
        let ready = made.with { $0 }
        guard ready.count == pairs else {
            ready.values.forEach { $0.close() }
            throw BenchFailure("server-load: \(pairs - ready.count) of \(pairs) vaults could not be set up: "
                + results.with { $0.errors.joined(separator: "; ") })
        }
        for (index, pair) in ready { groups[index % threads].append(pair) }
        defer { ready.values.forEach { $0.close() } }

        let sampler = ServerSampler(admin: admin, processes: processes, database: server.database)
        let cpuStart = processes.cpuSeconds()
        let started = Clock.nowMilliseconds() / 1000
        let end = started + Self.seconds
        sampler.start()
        onThreads(threads) { part in
            LoadPair.drive(groups[part], until: end, drainFor: 10, results: results)
        }
        let elapsed = Clock.nowMilliseconds() / 1000 - started
        let cpu = processes.cpuSeconds() - cpuStart
        let sample = sampler.stop()
        let figures = results.with { $0 }
        let seen = figures.latencies.sorted()
        func at(_ fraction: Double) -> Double { seen.isEmpty ? 0 : percentile(seen, fraction) }
        let line = "{\"scenario\": \"\(vaults == 1_000 ? "server-load" : "server-load-\(vaults)")\", "
            + "\"vaults\": \(vaults + pairs), \"machines\": \(pairs * 2), \"seconds\": \(Int(Self.seconds)), "
            + "\"saves\": \(figures.saves), \"saves_per_s\": \(decimal(Double(figures.saves) / Self.seconds, places: 1)), "
            + "\"seen_p50_ms\": \(decimal(at(0.5), places: 0)), \"seen_p90_ms\": \(decimal(at(0.9), places: 0)), "
            + "\"seen_p99_ms\": \(decimal(at(0.99), places: 0)), \"seen\": \(seen.count), \"unseen\": \(figures.unseen), "
            + "\"errors\": \(figures.errorCount), \"backends_max\": \(sample.backendsMax), "
            + "\"backends_mean\": \(decimal(sample.backendsMean, places: 1)), "
            + "\"server_rss_mb_max\": \(decimal(sample.rssMax, places: 0)), "
            + "\"server_pss_mb_max\": \(decimal(sample.pssMax, places: 0)), "
            + "\"server_cpu_cores\": \(decimal(cpu / elapsed, places: 2)), "
            + "\"cores\": \(ProcessFigures.onlineCores), "
            + "\"load_start\": \(loadStart.map { decimal($0, places: 2) } ?? "null"), "
            + "\"load_end\": \(ProcessFigures.loadAverage().map { decimal($0, places: 2) } ?? "null")}"
        printLine(line)
        if !figures.errors.isEmpty { printError("server-load: " + figures.errors.joined(separator: "; ")) }
        return at(0.5)
    }
}

/// What the machines of one run counted.
struct LoadResults {
    var saves = 0
    var latencies: [Double] = []
    var unseen = 0
    var errorCount = 0
    var errors: [String] = []

    mutating func error(_ text: String) {
        errorCount += 1
        if errors.count < 5 { errors.append(text) }
    }
}
