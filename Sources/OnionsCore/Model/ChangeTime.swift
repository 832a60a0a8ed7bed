/// How the time of a vault's last change reads to a person: `2026-11-20 14:02 UTC`.
public enum ChangeTime {
    /// The text for `milliseconds` since 1970 (UTC), or nil for 0 (a vault whose manifest does
    /// not say: written before the manifest carried the time).
    public static func text(_ milliseconds: UInt64) -> String? {
        guard milliseconds > 0 else { return nil }
        let seconds = Int64(milliseconds / 1_000)
        let days = seconds / 86_400, inDay = seconds % 86_400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(inDay / 3_600)):\(two(inDay % 3_600 / 60)) UTC"
    }
}
