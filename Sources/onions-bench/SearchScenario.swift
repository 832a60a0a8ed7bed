import OnionsCore

extension Scenario {
    /// A search over a logged-in vault of `onions` onions with infos of `infoLength`
    /// characters: each run times `matches`, and a run that finds nothing fails (it would
    /// measure a search that stops early).
    /// `warmUp` runs once before the timed runs.
    static func search(_ name: String, runs: Int, quickRuns: Int, onions: Int, infoLength: Int,
                       warmUp: @escaping (Session) throws -> Void = { _ in },
                       matches: @escaping (Session) throws -> Int) -> Scenario {
        Scenario(name: name, runs: runs, quickRuns: quickRuns) { fixtures in
            let session = try fixtures.vault(onions: onions, infoLength: infoLength).logIn()
            try warmUp(session)
            return Trial(run: {
                var found = 0
                let ms = try Clock.time { found = try matches(session) }
                guard found > 0 else { throw BenchFailure("\(name): the query matched nothing") }
                return ms
            }, finish: { session.lock() })
        }
    }
}
