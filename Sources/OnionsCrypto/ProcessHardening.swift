import COpenSSL
import Glibc

/// Process-wide settings that keep secrets out of places nobody can wipe.
///
/// - No core dumps in normal runs (`RLIMIT_CORE` 0, `PR_SET_DUMPABLE` 0).
/// - Freed heap is overwritten (`mallopt(M_PERTURB)`), with glibc's per-thread cache off, so
///   the transient Strings that grapheme counting and display need do not linger after free.
///   The cache can only be turned off by `GLIBC_TUNABLES` at process start, so the program
///   starts itself once more with it set.
public enum ProcessHardening {
    static let tunable = "glibc.malloc.tcache_count=0"
    /// Re-executes the program with the tunable when it is missing (returns only if it is set
    /// or the re-exec failed), then applies the rest.
    public static func apply() {
        reexecWithTunables()
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        _ = setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &none)
        _ = onions_set_dumpable(0)
        _ = onions_malloc_perturb(0x5a)
    }

    private static func reexecWithTunables() {
        if let current = getenv("GLIBC_TUNABLES"), String(cString: current).contains(tunable) { return }
        if getenv("ONIONS_NO_REEXEC") != nil { return }
        let existing = getenv("GLIBC_TUNABLES").map { String(cString: $0) + ":" } ?? ""
        setenv("GLIBC_TUNABLES", existing + tunable, 1)
        setenv("ONIONS_NO_REEXEC", "1", 1)  // never loop, even if glibc drops the variable
        // The command line goes over in a memory file, not in the new image's argv (ArgumentHandoff).
        var argv: [UnsafeMutablePointer<CChar>?] = ArgumentHandoff.prepare(CommandLine.arguments).map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", argv)
        // execv returned: keep going without the cache setting.
        ArgumentHandoff.abandon()
        unsetenv("ONIONS_NO_REEXEC")
    }
}
