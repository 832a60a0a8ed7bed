import OnionsCore

extension Scenario {
    /// `search-restart-10000`: one keystroke of a search that starts over, in a logged-in vault
    /// of 10,000 onions: `searchOnions` over every title and info with no earlier results to
    /// narrow (the first character, or an edit in the middle of the query). Runs cycle through
    /// "p", "pin", "a" and "an"; the first search of the session (which builds the index of
    /// infos) is not timed here, see `search-first-10000`.
    static var searchRestart10000: Scenario {
        let queries = ["p", "pin", "a", "an"].map { Array($0.utf8) }
        var next = 0
        return search("search-restart-10000", runs: 200, quickRuns: 40, onions: 10_000, infoLength: 300,
                      warmUp: { _ = $0.searchOnions(queries[0]) }) { session in
            defer { next = (next + 1) % queries.count }
            return session.searchOnions(queries[next]).count
        }
    }

    /// `search-first-10000`: the first search of a session in a vault of 10,000 onions, which
    /// opens every info once (each run logs in afresh, not timed).
    static var searchFirst10000: Scenario {
        Scenario(name: "search-first-10000", runs: 3, quickRuns: 1) { fixtures in
            let vault = try fixtures.vault(onions: 10_000, infoLength: 300)
            return Trial(run: {
                let session = try vault.logIn()
                defer { session.lock() }
                var found = 0
                let ms = Clock.time { found = session.searchOnions(Array("pin".utf8)).count }
                guard found > 0 else { throw BenchFailure("search-first-10000: the query matched nothing") }
                return ms
            })
        }
    }
}
