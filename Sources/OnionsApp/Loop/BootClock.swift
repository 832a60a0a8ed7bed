import Glibc

/// Seconds on a clock that keeps counting while the machine sleeps (`CLOCK_BOOTTIME`), so an
/// idle lock fires after a suspend-to-RAM as well.
public enum BootClock {
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_BOOTTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
