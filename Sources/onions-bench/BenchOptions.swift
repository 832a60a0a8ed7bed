/// The command line of a benchmark run:
/// `onions-bench [--quick] [--large] [--only NAME[,NAME...]] [--fixtures DIR]`.
struct BenchOptions {
    var quick = false
    /// Also run `Scenario.large` (1,000 and 100,000 onions).
    var large = false
    /// Scenario names to run; nil runs them all.
    var only: [String]?
    /// A folder to keep built vaults in and reuse on later runs; nil builds them afresh.
    var fixtures: String?

    static let usage = """
        usage: onions-bench [--quick] [--large] [--only NAME[,NAME...]] [--fixtures DIR]
        Prints one JSON line per scenario: {"scenario", "median_ms", "p90_ms", "max_ms", "runs", "cores",
        "peak_rss_mb", "floor_ratio", "load_start", "load_end"}. Each scenario runs in a fresh process;
        peak_rss_mb is that process's peak. floor_ratio is median_ms over the floor-N of the same size
        (else floor-10000) of this run. login-N lines also carry paired_floor_ms, the median of its
        floor timed right after each of its runs in the same process, and paired_ratio, median_ms
        over that. load_start and load_end are the machine's one-minute load
        average when the scenario started and ended: figures depend on it.
        --fixtures DIR keeps the vaults it builds in DIR for later runs.
        Scenarios: \(Scenario.all.map(\.name).joined(separator: ", "))
        --large adds: \(Scenario.large.map(\.name).joined(separator: ", ")) (the 100,000-onion
        vault takes a few minutes to build and about 1 GB of disk).
        sync-first-1000, sync-first-10000, sync-live-one, sync-live-3writers, sync-join-50x50,
        sync-push-after-offline-10000, server-load, server-roles (and sync-first-100000 and
        server-load-10000, which --large adds) need a PostgreSQL server: set ONIONS_BENCH_PG to a superuser's
        postgresql:// URL (each run makes and drops its own database and its vaults' roles, with
        psql). Without it they are not listed and print nothing. server-load and server-roles
        read the server's processes in /proc (the server must run on this machine) and print a
        line of their own figures before their scenario line; server-load's 200 machines need
        max_connections above 200. ONIONS_BENCH_LOAD_SECONDS sets each server-load run's length
        (default 60).
        """

    /// Parses the arguments after the program name; throws a message for usage errors.
    init(arguments: [String]) throws {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--quick":
                quick = true
            case "--large":
                large = true
            case "--only":
                guard let list = rest.popFirst() else { throw BenchFailure("--only needs scenario names") }
                let names = list.split(separator: ",").map(String.init)
                let known = Set(Scenario.everyKnown.map(\.name))
                if let unknown = names.first(where: { !known.contains($0) }) {
                    throw BenchFailure("unknown scenario '\(unknown)'")
                }
                only = (only ?? []) + names
            case "--fixtures":
                guard let folder = rest.popFirst(), folder.hasPrefix("/") else {
                    throw BenchFailure("--fixtures needs an absolute folder path")
                }
                fixtures = folder
            default:
                throw BenchFailure("unknown argument '\(argument)'")
            }
        }
    }

    /// The scenarios to run, in table order.
    var scenarios: [Scenario] {
        let table = Scenario.all + (large ? Scenario.large : [])
        guard let only else { return table }
        return Scenario.everyKnown.filter { only.contains($0.name) }
    }
}
