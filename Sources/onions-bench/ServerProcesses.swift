import Glibc
import OnionsCore

/// The PostgreSQL server's own processes, read from /proc: the postmaster and its children
/// (each connection's backend and the server's helpers). The server must run on this machine.
struct ServerProcesses {
    let postmaster: Int32

    /// The parent of backend `backend` (a server process's pid, from `pg_backend_pid()`).
    init(backend: Int32) throws {
        guard let parent = Self.field("/proc/\(backend)/status", "PPid:").flatMap({ Int32($0) }), parent > 1 else {
            throw BenchFailure("cannot read the server's processes in /proc (is the server on this machine?)")
        }
        postmaster = parent
    }

    /// The postmaster's children now.
    func children() -> [Int32] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var found: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = Int32(name),
                  Self.field("/proc/\(pid)/status", "PPid:").flatMap({ Int32($0) }) == postmaster else { continue }
            found.append(pid)
        }
        return found
    }

    /// CPU seconds the server used so far: the postmaster's own, its children's that ended
    /// (cutime, cstime) and those of its children still running.
    func cpuSeconds() -> Double {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        var total = Self.times(postmaster, withChildren: true)
        for child in children() { total += Self.times(child, withChildren: false) }
        return Double(total) / ticks
    }

    /// Resident memory of the postmaster and its children: RSS summed (shared pages counted in
    /// each) and PSS summed (shared pages divided among their users), in MiB.
    func memory() -> (rss: Double, pss: Double) {
        var rss = 0.0, pss = 0.0
        for pid in [postmaster] + children() {
            rss += Double(Self.field("/proc/\(pid)/status", "VmRSS:") ?? "0") ?? 0
            pss += Double(Self.field("/proc/\(pid)/smaps_rollup", "Pss:") ?? "0") ?? 0
        }
        return (rss / 1024, pss / 1024)
    }

    /// utime + stime (and cutime + cstime) of `pid` in clock ticks, from /proc/PID/stat.
    private static func times(_ pid: Int32, withChildren: Bool) -> Int {
        guard let bytes = try? PlainFile.read("/proc/\(pid)/stat", limit: 4096) else { return 0 }
        let text = String(decoding: bytes, as: UTF8.self)
        // The command name may hold spaces: the fields start after its closing parenthesis.
        guard let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the name: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
        func value(_ number: Int) -> Int { fields.count > number - 3 ? Int(fields[number - 3]) ?? 0 : 0 }
        return value(14) + value(15) + (withChildren ? value(16) + value(17) : 0)
    }

    /// The first number after `key` in a /proc file of `key: value` lines (kB for memory).
    private static func field(_ path: String, _ key: String) -> String? {
        guard let bytes = try? PlainFile.read(path, limit: 1 << 16) else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix(key) {
            return line.dropFirst(key.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init)
        }
        return nil
    }
}
