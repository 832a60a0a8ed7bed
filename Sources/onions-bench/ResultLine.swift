/// One scenario's figures, printed as one JSON line.
struct ResultLine {
    let scenario: String
    let medianMilliseconds: Double
    let p90Milliseconds: Double
    let maxMilliseconds: Double
    let runs: Int
    let cores: Int
    let peakResidentMegabytes: Double?
    /// The median over the floor's median of the same run (nil before any floor ran).
    let floorRatio: Double?
    /// The median of the floor timed in turn with this scenario's runs, in its own process
    /// (`login-N`); nil for the others.
    let pairedFloor: Double?
    /// The median of the bytes a run handed the store, and the store's size after the runs
    /// (`save-one-N`); nil for the others.
    var bytesPerRun: Double? = nil
    var storeBytes: Double? = nil
    /// The one-minute load average when the scenario started and when it ended (nil when
    /// /proc/loadavg could not be read).
    let loadAtStart: Double?
    let loadAtEnd: Double?

    /// `{"scenario": NAME, "median_ms": X, "p90_ms": X, "max_ms": X, "runs": N, "cores": C, "peak_rss_mb": M,
    /// "floor_ratio": R, "load_start": L, "load_end": L}`, and for a scenario with a paired floor
    /// `"paired_floor_ms": F, "paired_ratio": R` before the loads, and for a scenario that counts
    /// what it writes `"bytes_per_save": B, "store_mb": S`; `peak_rss_mb` and the loads
    /// are null when /proc could not be read, `floor_ratio` when no floor ran.
    var json: String {
        let peak = peakResidentMegabytes.map { decimal($0, places: 1) } ?? "null"
        let ratio = floorRatio.map { decimal($0, places: 3) } ?? "null"
        return "{\"scenario\": \"\(scenario)\", \"median_ms\": \(decimal(medianMilliseconds, places: 3)), "
            + "\"p90_ms\": \(decimal(p90Milliseconds, places: 3)), \"max_ms\": \(decimal(maxMilliseconds, places: 3)), "
            + "\"runs\": \(runs), \"cores\": \(cores), \"peak_rss_mb\": \(peak), \"floor_ratio\": \(ratio), "
            + (pairedFloor.map { "\"paired_floor_ms\": \(decimal($0, places: 3)), "
                + "\"paired_ratio\": \(decimal($0 > 0 ? medianMilliseconds / $0 : 0, places: 3)), " } ?? "")
            + (bytesPerRun.map { "\"bytes_per_save\": \(decimal($0, places: 0)), " } ?? "")
            + (storeBytes.map { "\"store_mb\": \(decimal($0 / 1_000_000, places: 1)), " } ?? "")
            + "\"load_start\": \(loadAtStart.map { decimal($0, places: 2) } ?? "null"), "
            + "\"load_end\": \(loadAtEnd.map { decimal($0, places: 2) } ?? "null")}"
    }
}

/// A non-negative number as plain decimal text with a fixed number of places (JSON-safe: no
/// exponent, no "inf").
func decimal(_ value: Double, places: Int) -> String {
    guard value.isFinite, value >= 0 else { return "0" }
    var scale: UInt64 = 1
    for _ in 0..<places { scale *= 10 }
    let scaled = UInt64((value * Double(scale)).rounded())
    let whole = scaled / scale
    guard places > 0 else { return "\(whole)" }
    var fraction = String(scaled % scale)
    while fraction.count < places { fraction = "0" + fraction }
    return "\(whole).\(fraction)"
}
