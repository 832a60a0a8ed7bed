/// One benchmark: a name, how many timed runs, and how to prepare them.
///
/// `prepare` builds everything the runs need (not timed) and returns a `Trial`. To add a
/// scenario, write a `static func` that returns one and list it in `Scenario.all`.
struct Scenario {
    let name: String
    let runs: Int
    /// Runs under `--quick`.
    let quickRuns: Int
    let prepare: (Fixtures) throws -> Trial
}

/// A prepared scenario.
struct Trial {
    /// One timed run; returns its milliseconds (it times only its own measured part).
    let run: () throws -> Double
    /// Releases what `prepare` built (called after the peak memory was read).
    var finish: () -> Void = {}
}

/// A scenario found something wrong with what it measured (the figure would be meaningless).
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
