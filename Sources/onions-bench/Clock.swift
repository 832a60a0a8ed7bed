import Glibc

/// The monotonic clock, in milliseconds.
enum Clock {
    static func nowMilliseconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) * 1_000 + Double(t.tv_nsec) / 1_000_000
    }

    /// Runs `body` and returns how long it took, in milliseconds.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = nowMilliseconds()
        try body()
        return nowMilliseconds() - start
    }
}
