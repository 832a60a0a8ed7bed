import Glibc

/// Dates as the import formats write them, turned into seconds since 1970.
enum ImportDates {
    /// Seconds since 1970 of an ISO 8601 UTC time ("2024-01-15T10:30:00.000Z"); nil otherwise.
    /// Bitwarden, KDBX 3 and KeePassXC's CSV write this form.
    static func isoSeconds(_ text: String) -> Int64? {
        let digits = Array(text.utf8)
        guard digits.count >= 20, digits[4] == 0x2D, digits[7] == 0x2D, digits[10] == 0x54,
              digits[13] == 0x3A, digits[16] == 0x3A, digits.last == 0x5A else { return nil }
        func number(_ range: Range<Int>) -> Int32? { Int32(String(decoding: digits[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19) else { return nil }
        return seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second, utc: true)
    }

    /// Seconds since 1970 of a calendar time (month 1-12), read as UTC or as the local time
    /// zone (summer time decided by the C library).
    static func seconds(year: Int32, month: Int32, day: Int32, hour: Int32, minute: Int32, second: Int32,
                        utc: Bool) -> Int64 {
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        if utc { return Int64(timegm(&parts)) }
        parts.tm_isdst = -1
        return Int64(mktime(&parts))
    }
}
