import Glibc
import OnionsCore
import OnionsCrypto
import OnionsStore

extension Scenario {
    /// `server-roles`: sign-up, log in and a sync's server calls with 10 vault roles on the
    /// server, then with 10,000 (the 9,990 more made by SQL, one verifier for all), in one run.
    /// Sign-up: a new connection and `createVault` (the server's `signup` and a log in as the
    /// new role). Log in: a new connection and `authorize`. Sync: on that login, the vault's
    /// turn, the changes since 0 and one written record. Each median of 15; the scenario prints
    /// a JSON line with both and their ratios (the target is 1.5 at most), and its own line gives
    /// the log in's median with 10,000 roles. The bench's server should have no other vault roles.
    static var serverRoles: Scenario {
        Scenario(name: "server-roles", runs: 1, quickRuns: 1) { _ in
            let server = try BenchServer()
            return Trial(run: {
                guard let adminURL = BenchServer.adminURL else { throw BenchFailure("\(BenchServer.variable) is not set") }
                var url = try ServerURL(adminURL)
                url.database = server.database
                let admin = try PostgresAdminSession(adminURL: url.text)
                let countRoles = "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'onions\\_v\\_%'"
                let loadStart = ProcessFigures.loadAverage()
                let present = Int(try admin.integer(countRoles) ?? 0)
                if present < 10 { try ServerLoad.makeVaults(10 - present, admin: admin, tag: server.database + "a", records: 0) }
                let few = Int(try admin.integer(countRoles) ?? 0)
                let small = try RoleTimes.measure(url: server.clientURL, times: 15)
                try ServerLoad.makeVaults(max(0, 10_000 - few - 15), admin: admin, tag: server.database + "b", records: 0)
                let many = Int(try admin.integer(countRoles) ?? 0)
                let large = try RoleTimes.measure(url: server.clientURL, times: 15)
                let checks = try IdleChecks.measure(url: server.clientURL, admin: admin, times: 200)
                func pair(_ a: Double, _ b: Double) -> String {
                    "[\(decimal(a, places: 1)), \(decimal(b, places: 1))], \"ratio\": \(decimal(b / a, places: 2))"
                }
                printLine("{\"scenario\": \"server-roles\", \"roles\": [\(few), \(many)], "
                    + "\"signup_ms\": {\"median\": \(pair(small.signup, large.signup))}, "
                    + "\"login_ms\": {\"median\": \(pair(small.logIn, large.logIn))}, "
                    + "\"sync_ms\": {\"median\": \(pair(small.sync, large.sync))}, "
                    + "\"idle_check_ms\": \(decimal(checks.wall, places: 1)), "
                    + "\"idle_check_server_cpu_ms\": \(decimal(checks.serverCPU, places: 2)), "
                    + "\"load_start\": \(loadStart.map { decimal($0, places: 2) } ?? "null"), "
                    + "\"load_end\": \(ProcessFigures.loadAverage().map { decimal($0, places: 2) } ?? "null")}")
                return large.logIn
            }, finish: {
                server.drop()
            })
        }
    }
}

/// What an idle machine's check (`PostgresStore.hasChanges`: a log in as the vault's role, one
/// query, the end of the connection) costs: its median wall time and the server's CPU time per
/// check (the postmaster and its children, from /proc), over `times` checks one after another.
enum IdleChecks {
    static func measure(url: String, admin: PostgresAdminSession, times: Int) throws -> (wall: Double, serverCPU: Double) {
        let processes = try ServerProcesses(backend: Int32(try admin.integer("SELECT pg_backend_pid()") ?? 0))
        let vault = VaultID("checks-" + Hex.encode(SecureRandom.bytes(12)))
        let key = SecretBytes(copying: SecureRandom.bytes(32))
        defer { key.wipe() }
        let header = VaultHeaderBlob(parameters: SecureRandom.bytes(43), wrappedKey: SecureRandom.bytes(60), verifier: [])
        try PostgresStore(url: url).createVault(vault, header: header, authKey: key, records: [])
        var walls: [Double] = []
        let cpuStart = processes.cpuSeconds()
        for _ in 0..<times {
            let start = Clock.nowMilliseconds()
            guard try !PostgresStore.hasChanges(url: url, authKey: key, since: 0) else {
                throw BenchFailure("an empty vault's check found a change")
            }
            walls.append(Clock.nowMilliseconds() - start)
        }
        return (median(walls), (processes.cpuSeconds() - cpuStart) * 1000 / Double(times))
    }
}

/// Medians of sign-up, log in and a sync's calls against the server at `url`, in ms.
struct RoleTimes {
    var signup = 0.0
    var logIn = 0.0
    var sync = 0.0

    static func measure(url: String, times: Int) throws -> RoleTimes {
        var signups: [Double] = [], logIns: [Double] = [], syncs: [Double] = []
        for _ in 0..<times {
            let vault = VaultID("roles-" + Hex.encode(SecureRandom.bytes(12)))
            let key = SecretBytes(copying: SecureRandom.bytes(32))
            defer { key.wipe() }
            let header = VaultHeaderBlob(parameters: SecureRandom.bytes(43), wrappedKey: SecureRandom.bytes(60), verifier: [])
            var start = Clock.nowMilliseconds()
            try PostgresStore(url: url).createVault(vault, header: header, authKey: key, records: [])
            signups.append(Clock.nowMilliseconds() - start)
            start = Clock.nowMilliseconds()
            let store = try PostgresStore(url: url)
            try store.authorize(vault: vault, authKey: key)
            logIns.append(Clock.nowMilliseconds() - start)
            start = Clock.nowMilliseconds()
            _ = try store.takeTurn(vault: vault)
            _ = try store.changes(vault: vault, since: 0)
            try store.apply(vault: vault, writes: [.put(name: RecordName(SecureRandom.bytes(32)),
                                                        blob: SecureRandom.bytes(600), expectedVersion: 0)])
            syncs.append(Clock.nowMilliseconds() - start)
        }
        return RoleTimes(signup: median(signups), logIn: median(logIns), sync: median(syncs))
    }
}
