/// One scenario's figures, printed as one JSON line.
struct ResultLine {
    let scenario: String
    let medianMilliseconds: Double
    /// The 90th percentile and the slowest run.
    var p90Milliseconds: Double = 0
    var maxMilliseconds: Double = 0
    let runs: Int
    let cores: Int
    let peakResidentMegabytes: Double?

    /// `{"scenario": NAME, "median_ms": X, "p90_ms": X, "max_ms": X, "runs": N, "cores": C, "peak_rss_mb": M}`;
    /// `peak_rss_mb` is null when /proc could not be read.
    var json: String {
        let peak = peakResidentMegabytes.map { decimal($0, places: 1) } ?? "null"
        return "{\"scenario\": \"\(scenario)\", \"median_ms\": \(decimal(medianMilliseconds, places: 3)), "
            + "\"p90_ms\": \(decimal(p90Milliseconds, places: 3)), \"max_ms\": \(decimal(maxMilliseconds, places: 3)), "
            + "\"runs\": \(runs), \"cores\": \(cores), \"peak_rss_mb\": \(peak)}"
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
