extension Scenario {
    /// `filter-10000`: one keystroke of the title filter, `filterOnions("ab")` over the titles
    /// of a logged-in vault of 10,000 onions (ASCII letters compared without case).
    static var filter10000: Scenario {
        let query = Array("ab".utf8)
        return search("filter-10000", runs: 200, quickRuns: 40, onions: 10_000, infoLength: 300) { session in
            session.filterOnions(query).count
        }
    }
}
