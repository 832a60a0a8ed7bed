import Glibc
import OnionsCore

/// What the bench reports about the machine and the process: cores, load and peak resident memory.
enum ProcessFigures {
    /// The number of online CPUs.
    static var onlineCores: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// VmHWM from /proc/self/status, in MiB (nil when unreadable).
    static func peakResidentMegabytes() -> Double? {
        guard let bytes = try? PlainFile.read("/proc/self/status", limit: 1 << 16) else { return nil }
        let status = String(decoding: bytes, as: UTF8.self)
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.dropFirst("VmHWM:".count).filter { $0.isNumber }
            guard let kilobytes = Double(String(digits)) else { return nil }
            return kilobytes / 1024
        }
        return nil
    }

    /// The machine's load average over the last minute, from /proc/loadavg (nil when unreadable):
    /// how busy the machine was, which every figure depends on.
    static func loadAverage() -> Double? {
        guard let bytes = try? PlainFile.read("/proc/loadavg", limit: 256),
              let first = String(decoding: bytes, as: UTF8.self).split(separator: " ").first else { return nil }
        return Double(String(first))
    }
}
