import Glibc
import OnionsCore

/// Runs scenarios and prints their figures.
///
/// Each scenario runs in a fresh child process of its own, so that no scenario's heap, mapped
/// libraries or caches count in another's figures: `peak_rss_mb` is the child's whole peak
/// resident memory (VmHWM), from its start to the end of the timed runs, preparation included
/// (vaults are built in grandchildren and never count).
enum ScenarioRunner {
    /// The hidden mode a child runs: `run-scenario NAME FIXTURES QUICK RESULT_FILE`.
    static let childMode = "run-scenario"

    /// The figures of one scenario's runs in one process.
    struct Figures {
        var median: Double
        var p90: Double
        var max: Double
        var runs: Int
        var peak: Double?
        /// The median of the trial's reference, timed in turn with the runs (nil: it has none).
        var reference: Double?
        /// The median of the bytes each run handed the store, and the store's size after the
        /// runs (nil: the trial does not count them).
        var bytesPerRun: Double? = nil
        var storeBytes: Double? = nil
    }

    /// Prepares a scenario, times its runs and returns the median, p90 and max and the process's peak.
    static func measure(_ scenario: Scenario, quick: Bool, fixtures: Fixtures) throws -> Figures {
        let trial = try scenario.prepare(fixtures)
        let runs = quick ? scenario.quickRuns : scenario.runs
        var times: [Double] = []
        var references: [Double] = []
        var written: [Double] = []
        var storeBytes: Double?
        do {
            for _ in 0..<runs {
                times.append(try trial.run())
                if let reference = trial.reference { references.append(try reference()) }
                if let bytes = trial.bytesWritten { written.append(try bytes()) }
            }
            storeBytes = trial.storeBytes?()
        } catch {
            trial.finish()
            throw error
        }
        let peak = ProcessFigures.peakResidentMegabytes()
        trial.finish()
        return Figures(median: median(times), p90: percentile(times, 0.9), max: times.max() ?? 0, runs: runs, peak: peak,
                       reference: references.isEmpty ? nil : median(references),
                       bytesPerRun: written.isEmpty ? nil : median(written), storeBytes: storeBytes)
    }

    /// Runs every chosen scenario, each in its own child, printing each line as soon as it is
    /// known, with its ratio to the floor measured in this run. Returns the exit status: 0 when
    /// all ran, 1 when one failed (the others still run).
    static func runAll(_ options: BenchOptions) -> Int32 {
        let fixtures: Fixtures
        do { fixtures = try Fixtures(kept: options.fixtures) } catch {
            printError("\(error)")
            return 1
        }
        defer { fixtures.removeAll() }
        var status: Int32 = 0
        var floors: [String: Double] = [:]
        for scenario in options.scenarios {
            do {
                let result = fixtures.scratch + "/result"
                let loadAtStart = ProcessFigures.loadAverage()
                let code = try ChildProcess.runSelf([childMode, scenario.name, fixtures.root,
                                                     options.quick ? "1" : "0", result])
                guard code == 0, let figures = readFigures(result) else {
                    throw BenchFailure("its process exited with \(code)")
                }
                unlink(result)
                if scenario.name.hasPrefix("floor-") { floors[size(of: scenario.name)] = figures.median }
                let floor = floors[size(of: scenario.name)] ?? floors["10000"]
                let line = ResultLine(scenario: scenario.name, medianMilliseconds: figures.median,
                                      p90Milliseconds: figures.p90, maxMilliseconds: figures.max, runs: figures.runs,
                                      cores: ProcessFigures.onlineCores, peakResidentMegabytes: figures.peak,
                                      floorRatio: floor.map { figures.median / $0 },
                                      pairedFloor: figures.reference,
                                      bytesPerRun: figures.bytesPerRun, storeBytes: figures.storeBytes,
                                      loadAtStart: loadAtStart, loadAtEnd: ProcessFigures.loadAverage())
                printLine(line.json)
            } catch {
                printError("\(scenario.name) failed: \(error)")
                status = 1
            }
        }
        return status
    }

    /// The child's side: runs one scenario with the parent's shared fixtures and writes
    /// `median p90 max runs peak reference bytes store` to the result file (-1 for a figure it
    /// does not have). Returns the exit status.
    static func childMain(_ arguments: [String]) -> Int32 {
        guard arguments.count == 4, let scenario = Scenario.everyKnown.first(where: { $0.name == arguments[0] }) else {
            printError("usage: \(childMode) NAME FIXTURES QUICK RESULT_FILE")
            return 2
        }
        do {
            let fixtures = try Fixtures(kept: arguments[1])
            defer { fixtures.removeAll() }
            let figures = try measure(scenario, quick: arguments[2] == "1", fixtures: fixtures)
            let text = "\(figures.median) \(figures.p90) \(figures.max) \(figures.runs) \(figures.peak ?? -1) \(figures.reference ?? -1) "
                + "\(figures.bytesPerRun ?? -1) \(figures.storeBytes ?? -1)\n"
            let fd = open(arguments[3], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw BenchFailure("cannot write \(arguments[3])") }
            defer { close(fd) }
            var bytes = Array(text.utf8)
            bytes.withUnsafeMutableBytes { writeAll(fd, UnsafeRawBufferPointer($0)) }
            return 0
        } catch {
            printError("\(arguments[0]): \(error)")
            return 1
        }
    }

    private static func readFigures(_ path: String) -> Figures? {
        guard let bytes = try? PlainFile.read(path, limit: 4096) else { return nil }
        let fields = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count == 8, let median = Double(fields[0]), let p90 = Double(fields[1]),
              let max = Double(fields[2]), let runs = Int(fields[3]), let peak = Double(fields[4]),
              let reference = Double(fields[5]), let bytes = Double(fields[6]), let store = Double(fields[7]) else { return nil }
        return Figures(median: median, p90: p90, max: max, runs: runs, peak: peak < 0 ? nil : peak,
                       reference: reference < 0 ? nil : reference, bytesPerRun: bytes < 0 ? nil : bytes,
                       storeBytes: store < 0 ? nil : store)
    }

    /// The size a scenario's name ends with ("10000" for "login-10000"), or "" when none.
    private static func size(of name: String) -> String {
        guard let last = name.split(separator: "-").last, last.allSatisfy(\.isNumber) else { return "" }
        return String(last)
    }
}
