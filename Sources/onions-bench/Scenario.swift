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
    /// A reference timed right after each run, in the same process (`login-N`'s floor): the
    /// two take turns, so that a machine that slows down or speeds up between scenarios moves
    /// both figures alike. Returns its milliseconds.
    var reference: (() throws -> Double)? = nil
    /// What the last run handed the store, in bytes (read after the run, not timed): a save's
    /// records (name, version and sealed blob each) and its commit.
    var bytesWritten: (() throws -> Double)? = nil
    /// The store's size on disk after the runs (the database and its log), in bytes.
    var storeBytes: (() -> Double)? = nil
}

/// A scenario found something wrong with what it measured (the figure would be meaningless).
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
