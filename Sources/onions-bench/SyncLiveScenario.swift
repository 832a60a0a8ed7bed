import OnionsCore
import OnionsCrypto

extension Scenario {
    /// `sync-live-one`: how long after machine A's `saveOnion` returned machine B lists the new
    /// onion. B waits on the server's change notice (`pollRemote(timeoutMs:)` in a loop of 50 ms
    /// waits), then `syncNow()` pulls and reloads, as the interface's loop does.
    ///
    /// Both machines hold the same 1,000-onion vault on a fresh database (A pushed it from a
    /// copy of the fixture, B pulled it on an empty machine; not timed), in this one process.
    /// Each run saves one new onion (a title and 300 characters) on A; before it, both machines
    /// settle any notice left from the last run (not timed). Runs only when `ONIONS_BENCH_PG`
    /// is set.
    static var syncLiveOne: Scenario {
        Scenario(name: "sync-live-one", runs: 15, quickRuns: 5) { fixtures in
            let vault = try fixtures.vault(onions: 1_000, infoLength: 300)
            let server = try BenchServer()
            let a: Session
            let b: Session
            do {
                a = try BenchMachine.copy(of: vault, fixtures.scratch + "/sync-live-a").logIn(server, expecting: 1_000)
                do {
                    b = try BenchMachine.empty(fixtures.scratch + "/sync-live-b").logIn(server, expecting: 1_000)
                } catch {
                    a.lock()
                    throw error
                }
            } catch {
                server.drop()
                throw error
            }
            var text = SampleText(seed: 1)
            var saved = 1_000
            return Trial(run: {
                try settle(a)
                try settle(b)
                defer { saved += 1 }
                return try timeLiveSave(saved, text: &text, from: a, to: b, scenario: "sync-live-one",
                                        withinSeconds: 10, checked: checked)
            }, finish: {
                a.lock()
                b.lock()
                server.drop()
            })
        }
    }

    /// Saves onion number `number` (a title and 300 characters) on machine A and returns the
    /// milliseconds from the save's return until machine B lists it. Meanwhile both run the
    /// interface's loop: A syncs whenever a save waits to be pushed or the server announced a
    /// change, B waits up to 50 ms for the server's notice and syncs on one. Every report goes
    /// through `checked`; throws after `withinSeconds`.
    static func timeLiveSave(_ number: Int, text: inout SampleText, from a: Session, to b: Session, scenario: String,
                             withinSeconds: Double, checked: (SyncReport) throws -> Void) throws -> Double {
        let title = SecretBytes(copying: text.title(number))
        let info = SecretBytes(copying: text.info(length: 300))
        defer { title.wipe(); info.wipe() }
        let id = try a.saveOnion(id: nil, title: title, info: info)
        let start = Clock.nowMilliseconds()
        while !b.onions.contains(where: { $0.id == id }) {
            guard Clock.nowMilliseconds() - start < withinSeconds * 1000 else {
                throw BenchFailure("\(scenario): machine B did not list the new onion within \(Int(withinSeconds)) s")
            }
            if a.pollRemote(timeoutMs: 0) { try checked(a.syncNow()) }
            if b.pollRemote(timeoutMs: 50) { try checked(b.syncNow()) }
        }
        return Clock.nowMilliseconds() - start
    }

    /// Syncs a machine that has a notice or a save waiting, so the next run starts clean.
    private static func settle(_ session: Session) throws {
        while session.pollRemote(timeoutMs: 0) { try checked(session.syncNow()) }
    }

    private static func checked(_ report: SyncReport) throws {
        if let problem = report.offline ?? report.refused {
            throw BenchFailure("sync-live-one: a sync failed: \(problem)")
        }
    }
}
