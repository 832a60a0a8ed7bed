extension Scenario {
    /// The scenarios that need a PostgreSQL server: listed only when `ONIONS_BENCH_PG` is set.
    static func needingServer(_ scenarios: [Scenario]) -> [Scenario] {
        BenchServer.adminURL == nil ? [] : scenarios
    }
}
