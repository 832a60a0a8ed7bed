import Glibc

/// Seconds on a clock that keeps counting while the machine sleeps (`CLOCK_BOOTTIME`), so an
/// idle lock fires after a suspend-to-RAM as well.
/// Seconds since 1970 on the wall clock (`CLOCK_REALTIME`): what one-time codes are computed
/// for. It reaches `App.update` in `.tick` messages only.
public enum WallClock {
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

public enum BootClock {
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_BOOTTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
