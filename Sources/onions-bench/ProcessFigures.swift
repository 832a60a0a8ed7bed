import Glibc
import OnionsCore

/// What the bench reports about the machine and the process: cores and peak resident memory.
enum ProcessFigures {
    /// The number of online CPUs.
    static var onlineCores: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// Resets the kernel's peak-RSS mark (VmHWM) to the current RSS, by writing "5" to
    /// /proc/self/clear_refs (Linux 4.0 and later). Heap that was freed but is still resident
    /// (glibc keeps small freed blocks) stays in the new baseline.
    ///
    /// Returns false when the reset is refused; VmHWM then covers the whole process life.
    @discardableResult
    static func resetPeakResident() -> Bool {
        let fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var command: [UInt8] = Array("5".utf8)
        return write(fd, &command, command.count) == command.count
    }

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
}
