import Glibc

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
        guard let status = readProcFile("/proc/self/status") else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.dropFirst("VmHWM:".count).filter { $0.isNumber }
            guard let kilobytes = Double(String(digits)) else { return nil }
            return kilobytes / 1024
        }
        return nil
    }

    private static func readProcFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
