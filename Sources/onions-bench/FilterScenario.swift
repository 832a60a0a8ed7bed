extension Scenario {
    /// `filter-N`: one keystroke of the title filter, `filterOnions("ab")` over the titles of a
    /// logged-in vault of N onions (ASCII letters compared without case).
    static func filter(onions: Int, runs: Int, quickRuns: Int) -> Scenario {
        let query = Array("ab".utf8)
        return search("filter-\(onions)", runs: runs, quickRuns: quickRuns, onions: onions, infoLength: 300) { session in
            session.filterOnions(query).count
        }
    }
}
