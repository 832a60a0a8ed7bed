import OnionsCore

extension Scenario {
    /// `sync-push-after-offline-N`: the first push of N onions saved while offline. A copy of
    /// the N-onion fixture (every onion saved on this machine, never synced) logs in with a
    /// server that has no copy yet: `Session.logIn(store:remote:...)` creates the vault there and
    /// sends every record once at its last version (the manifest's root and parts went through
    /// many saves; one write skips them all), until every title is listed.
    ///
    /// Each run gets a fresh server database and a fresh copy (not timed). Runs only when
    /// `ONIONS_BENCH_PG` is set; compare with `sync-first-N`, which pulls the same vault.
    static func syncPushAfterOffline(onions: Int, runs: Int, quickRuns: Int) -> Scenario {
        Scenario(name: "sync-push-after-offline-\(onions)", runs: runs, quickRuns: quickRuns) { fixtures in
            let vault = try fixtures.vault(onions: onions, infoLength: 300)
            var serial = 0
            return Trial(run: {
                serial += 1
                let server = try BenchServer()
                defer { server.drop() }
                let machine = try BenchMachine.copy(of: vault, fixtures.scratch + "/sync-push-\(onions)-\(serial)")
                defer { removeTree(machine.folder) }
                var session: Session?
                let ms = try Clock.time { session = try machine.logIn(server, expecting: onions) }
                session?.lock()
                return ms
            })
        }
    }
}
