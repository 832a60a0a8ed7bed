extension Scenario {
    /// `filter-10000`: one keystroke of the title filter, `filterOnions("ab")` over the titles
    /// of a logged-in vault of 10,000 onions (ASCII letters compared without case).
    static var filter10000: Scenario {
        Scenario(name: "filter-10000", runs: 200, quickRuns: 40) { fixtures in
            let vault = try fixtures.vault(onions: 10_000, infoLength: 300)
            let session = try vault.logIn()
            let query = Array("ab".utf8)
            return Trial(run: {
                var found = 0
                let ms = Clock.time { found = session.filterOnions(query).count }
                guard found > 0 else { throw BenchFailure("filter-10000: the query matched no title") }
                return ms
            }, finish: { session.lock() })
        }
    }
}
