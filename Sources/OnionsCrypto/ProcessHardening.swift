import COpenSSL
import Glibc

/// Process-wide settings that keep secrets out of places nobody can wipe.
///
/// - No core dumps in normal runs (`RLIMIT_CORE` 0, `PR_SET_DUMPABLE` 0).
/// - Freed heap is overwritten (`mallopt(M_PERTURB)`), with glibc's per-thread cache off, so
///   the transient Strings that grapheme counting and display need do not linger after free.
///   The cache can only be turned off by `GLIBC_TUNABLES` at process start, so the program
///   starts itself once more with it set (`hardenAllocator`), before it touches any secret: at
///   once for most commands, and only when the agent cannot run it for a command the agent
///   serves (the process that hands a command to the agent holds no secret, and so does not
///   pay a second start).
///
/// The second start leaves no trace a child could inherit: it is told apart from the first by
/// a pipe on a fixed descriptor that holds a known message (closed as soon as it is read), the
/// tunable is taken back out of the environment once glibc has read it, and the program runs
/// under its own name (`ps`, `top` and `pgrep` show the executable's name, never `exe`).
public enum ProcessHardening {
    static let tunable = "glibc.malloc.tcache_count=0"
    /// The descriptor the first start leaves open across its exec for the second.
    static let markerDescriptor: Int32 = 219
    static let markerMessage: [UInt8] = Array("onions re-exec".utf8)
    /// The marker of a start after the agent could not run the command (`afterAgent`).
    static let afterAgentMessage: [UInt8] = Array("onions re-exec after agent".utf8)

    /// True when the allocator runs without its per-thread cache (this is the second start,
    /// the setting was there already, or no restart can set it).
    public nonisolated(unsafe) private(set) static var allocatorHardened = false
    /// True when this start followed one that asked the agent first: what that one said on
    /// standard error is not said again.
    public nonisolated(unsafe) private(set) static var restartedAfterAgent = false

    /// Applies what needs no restart, and notes whether this is the second start.
    public static func apply() {
        if let marker = takeMarker() {
            removeOwnTunable()
            allocatorHardened = true
            restartedAfterAgent = marker == afterAgentMessage
        } else if let current = getenv("GLIBC_TUNABLES"), String(cString: current).contains(tunable) {
            allocatorHardened = true
        } else if onions_is_secure_exec() != 0 {
            // glibc ignores GLIBC_TUNABLES for set-user-ID programs: a restart would change nothing.
            allocatorHardened = true
        }
        nameProcess()
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        _ = setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &none)
        _ = onions_set_dumpable(0)
        _ = onions_malloc_perturb(0x5a)
    }

    /// Starts the program once more with the tunable, handing it `arguments` (the words after
    /// the program's name), unless the allocator runs with it already. Returns only when it
    /// does, or when the restart failed (then the program goes on as it is). Call before
    /// touching any secret. `afterAgent`: the agent was asked first and could not run it.
    public static func hardenAllocator(arguments: [String], afterAgent: Bool = false) {
        guard !allocatorHardened else { return }
        allocatorHardened = true  // one try
        reexecWithTunables(arguments: arguments, marker: afterAgent ? afterAgentMessage : markerMessage)
    }

    private static func reexecWithTunables(arguments: [String], marker: [UInt8]) {
        guard fcntl(markerDescriptor, F_GETFD) == -1, let path = executablePath() else { return }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return }
        let written = marker.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }
        close(ends[1])
        guard written == marker.count, dup2(ends[0], markerDescriptor) == markerDescriptor else {
            close(ends[0])
            return
        }
        close(ends[0])
        let previous = getenv("GLIBC_TUNABLES").map { String(cString: $0) }
        setenv("GLIBC_TUNABLES", previous.map { $0 + ":" + tunable } ?? tunable, 1)
        // The command line goes over in a memory file, not in the new image's argv (ArgumentHandoff).
        var argv: [UnsafeMutablePointer<CChar>?] = ArgumentHandoff.prepare([CommandLine.arguments.first ?? path] + arguments).map { strdup($0) }
        argv.append(nil)
        execv(path, argv)
        // execv returned: keep going without the cache setting, as if nothing happened.
        close(markerDescriptor)
        ArgumentHandoff.abandon()
        if let previous { setenv("GLIBC_TUNABLES", previous, 1) } else { unsetenv("GLIBC_TUNABLES") }
        for pointer in argv { free(pointer) }
    }

    /// The marker's message when this is the second start (the marker pipe is there with one
    /// of the two messages), else nil. The descriptor is closed either way once looked at.
    private static func takeMarker() -> [UInt8]? {
        guard fcntl(markerDescriptor, F_GETFD) != -1 else { return nil }
        var status = stat()
        guard fstat(markerDescriptor, &status) == 0, status.st_mode & S_IFMT == S_IFIFO else { return nil }
        _ = fcntl(markerDescriptor, F_SETFL, fcntl(markerDescriptor, F_GETFL) | O_NONBLOCK)
        var buffer = [UInt8](repeating: 0, count: afterAgentMessage.count + 1)
        let count = read(markerDescriptor, &buffer, buffer.count)
        close(markerDescriptor)
        guard count > 0 else { return nil }
        let message = Array(buffer[0..<count])
        return message == markerMessage || message == afterAgentMessage ? message : nil
    }

    /// Takes the tunable the first start added back out of the environment (glibc read it at
    /// start), so that programs this one starts get the environment it was given.
    private static func removeOwnTunable() {
        guard let current = getenv("GLIBC_TUNABLES").map({ String(cString: $0) }) else { return }
        if current == tunable {
            unsetenv("GLIBC_TUNABLES")
        } else if current.hasSuffix(":" + tunable) {
            setenv("GLIBC_TUNABLES", String(current.dropLast(tunable.count + 1)), 1)
        }
    }

    /// The executable's real path, so that the kernel names the process after it.
    private static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0, count < buffer.count - 1 else { return nil }
        let path = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // A replaced or deleted binary reads "... (deleted)": exec it through /proc instead.
        guard access(path, X_OK) == 0 else { return "/proc/self/exe" }
        return path
    }

    /// Names the process after its executable (the kernel calls it `exe` when it was started
    /// through /proc/self/exe).
    private static func nameProcess() {
        let file = open("/proc/self/comm", O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 17)
        let count = read(file, &buffer, buffer.count)
        close(file)
        guard count > 0 else { return }
        let comm = String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        guard comm == "exe", let path = executablePath(), path != "/proc/self/exe",
              let name = path.split(separator: "/").last else { return }
        _ = onions_set_process_name(String(name.prefix(15)))
    }
}
