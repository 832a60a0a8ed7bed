import OnionsCore

extension Scenario {
    /// `sync-first-N`: the first log in on an empty machine (a new SQLite file and state
    /// folder) to a server holding a vault of N onions (infos of 300 characters), until every
    /// title is listed: `Session.logIn(store:remote:...)` pulls the header and every record,
    /// then opens them.
    ///
    /// Setup (not timed): a fresh database (`BenchServer`), and the N-onion fixture pushed
    /// to it from a copy of its SQLite file by one log in. The vault's KDF is the fixtures'
    /// cheap one (N = 2^10), so add `kdf-default` for a vault at the default cost. Runs only
    /// when `ONIONS_BENCH_PG` is set.
    static func syncFirst(onions: Int, runs: Int, quickRuns: Int) -> Scenario {
        Scenario(name: "sync-first-\(onions)", runs: runs, quickRuns: quickRuns) { fixtures in
            let vault = try fixtures.vault(onions: onions, infoLength: 300)
            let server = try BenchServer()
            let pusher = fixtures.scratch + "/sync-first-\(onions)-pusher"
            defer { removeTree(pusher) }
            do {
                try BenchMachine.copy(of: vault, pusher).logIn(server, expecting: onions).lock()
            } catch {
                server.drop()
                throw error
            }
            var serial = 0
            return Trial(run: {
                serial += 1
                let machine = try BenchMachine.empty(fixtures.scratch + "/sync-first-\(onions)-\(serial)")
                defer { removeTree(machine.folder) }
                var session: Session?
                let ms = try Clock.time { session = try machine.logIn(server, expecting: onions) }
                session?.lock()
                return ms
            }, finish: { server.drop() })
        }
    }
}
