import Glibc

extension Scenario {
    /// `start-to-login`: from exec of `onions` (the one next to this bench) in a fresh
    /// pseudo-terminal to its log-in screen on that terminal ("Username" written).
    static var startToLogIn: Scenario {
        Scenario(name: "start-to-login", runs: 21, quickRuns: 5) { fixtures in
            let onions = try siblingExecutable("onions")
            let store = fixtures.scratch + "/start-to-login.db"
            return Trial(run: { try PseudoTerminalStart.time([onions, "--store", store], until: "Username") })
        }
    }

    /// `start-floor`: the same start and read for `/bin/echo Username`, the floor that
    /// `start-to-login` is compared with (process creation, the terminal, the read).
    static var startFloor: Scenario {
        Scenario(name: "start-floor", runs: 21, quickRuns: 5) { _ in
            Trial(run: { try PseudoTerminalStart.time(["/bin/echo", "Username"], until: "Username") })
        }
    }

    /// `start-floor-swift`: from spawn to exit of `start-floor-swift` (next to this bench), a Swift
    /// program that prints an empty line, built with the same release flags as `onions`, started
    /// without a terminal as the command-line scenarios start `onions`: the floor of a Swift
    /// command's own start, which `cli-floor-agent` is compared with.
    static var startFloorSwift: Scenario {
        Scenario(name: "start-floor-swift", runs: 21, quickRuns: 5) { fixtures in
            let program = try siblingExecutable("start-floor-swift")
            let environment = Spawn.environment(["HOME": fixtures.scratch])
            return Trial(run: { try Clock.time { try Spawn.run([program], environment: environment) } })
        }
    }

    /// The absolute path of `name` in this bench's own folder.
    static func siblingExecutable(_ name: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { throw BenchFailure("cannot find this program's own path") }
        let path = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let sibling = folder + "/" + name
        guard access(sibling, X_OK) == 0 else { throw BenchFailure("no \(name) next to onions-bench (\(sibling))") }
        return sibling
    }
}

// The pseudo-terminal calls of <stdlib.h> that Swift's Glibc module leaves out (they need
// _XOPEN_SOURCE); plain C functions of glibc, declared here by their C names.
@_silgen_name("posix_openpt") private func c_posix_openpt(_ flags: Int32) -> Int32
@_silgen_name("grantpt") private func c_grantpt(_ fd: Int32) -> Int32
@_silgen_name("unlockpt") private func c_unlockpt(_ fd: Int32) -> Int32
@_silgen_name("ptsname_r") private func c_ptsname_r(_ fd: Int32, _ buffer: UnsafeMutablePointer<CChar>, _ size: Int) -> Int32
/// glibc's POSIX_SPAWN_SETSID (<spawn.h>, also left out): the child starts a new session, so
/// the terminal it opens first becomes its controlling terminal.
private let spawnSetSID: Int16 = 0x80

/// Starts a program on a new pseudo-terminal and times it until a text appears there.
enum PseudoTerminalStart {
    /// Milliseconds from spawn until `needle` was read from the terminal; the program is then
    /// killed. An 80x24 xterm is announced through TERM, COLUMNS and LINES.
    static func time(_ argv: [String], until needle: String, timeoutMs: Int32 = 10_000) throws -> Double {
        let master = c_posix_openpt(O_RDWR | O_NOCTTY)
        var name = [CChar](repeating: 0, count: 128)
        guard master >= 0, c_grantpt(master) == 0, c_unlockpt(master) == 0,
              c_ptsname_r(master, &name, name.count) == 0 else {
            throw BenchFailure("cannot open a pseudo-terminal")
        }
        defer { close(master) }
        let slave = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, slave, O_RDWR, 0) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, spawnSetSID)
        let home = getenv("HOME").map { String(cString: $0) } ?? "/tmp"
        let environment = ["TERM=xterm-256color", "COLUMNS=80", "LINES=24", "LANG=C.UTF-8", "HOME=" + home]
        let cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let cEnvironment: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { for p in cArguments + cEnvironment { free(p) } }

        var pid: pid_t = 0
        let started = Clock.nowMilliseconds()
        guard posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment) == 0 else {
            throw BenchFailure("cannot start \(argv[0])")
        }
        defer {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        let wanted = Array(needle.utf8)
        var seen: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, timeoutMs) > 0 else { throw BenchFailure("\(argv[0]) never showed '\(needle)'") }
            let count = read(master, &chunk, chunk.count)
            guard count > 0 else { throw BenchFailure("\(argv[0]) closed its terminal before '\(needle)'") }
            seen += chunk[..<count]
            if seen.count >= wanted.count, contains(seen, wanted) { return Clock.nowMilliseconds() - started }
        }
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return true }
        }
        return false
    }
}
