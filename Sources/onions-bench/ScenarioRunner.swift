/// Runs scenarios and prints their figures.
enum ScenarioRunner {
    /// Prepares a scenario, times its runs and returns the line to print.
    ///
    /// `peak_rss_mb` is the process's VmHWM read right after the timed runs, with the mark
    /// reset to the current RSS once preparation is done, so it covers the runs alone: the
    /// process's resident baseline (about 28 MB of shared libraries in a fresh process) plus
    /// what the runs needed, never the builders' heap (vaults are built in child processes).
    /// Heap that earlier scenarios freed but glibc kept resident stays in the baseline. Where
    /// the kernel refuses the reset, the figure covers the whole process life.
    static func run(_ scenario: Scenario, quick: Bool, fixtures: Fixtures) throws -> ResultLine {
        let trial = try scenario.prepare(fixtures)
        let runs = quick ? scenario.quickRuns : scenario.runs
        if !ProcessFigures.resetPeakResident() {
            printError("cannot reset the peak-memory mark; peak_rss_mb covers the whole process")
        }
        var times: [Double] = []
        do {
            for _ in 0..<runs { times.append(try trial.run()) }
        } catch {
            trial.finish()
            throw error
        }
        let peak = ProcessFigures.peakResidentMegabytes()
        trial.finish()
        return ResultLine(scenario: scenario.name, medianMilliseconds: median(times),
                          p90Milliseconds: percentile(times, 0.9), maxMilliseconds: times.max() ?? 0, runs: runs,
                          cores: ProcessFigures.onlineCores, peakResidentMegabytes: peak)
    }

    /// Runs every chosen scenario, printing each line as soon as it is known. Returns the exit
    /// status: 0 when all ran, 1 when one failed (the others still run).
    static func runAll(_ options: BenchOptions) -> Int32 {
        let fixtures: Fixtures
        do { fixtures = try Fixtures(kept: options.fixtures) } catch {
            printError("\(error)")
            return 1
        }
        defer { fixtures.removeAll() }
        var status: Int32 = 0
        for scenario in options.scenarios {
            do {
                printLine(try run(scenario, quick: options.quick, fixtures: fixtures).json)
            } catch {
                printError("\(scenario.name) failed: \(error)")
                status = 1
            }
        }
        return status
    }
}
