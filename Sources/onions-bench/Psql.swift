import Glibc

/// The `psql` client, for the SQL the stores do not speak (creating databases and roles).
enum Psql {
    static let executable = "/usr/bin/psql"

    /// Runs one SQL command against the database `url` names; throws unless psql succeeded,
    /// naming only `doing` (the SQL may hold a password). psql's own messages go to standard
    /// error.
    static func run(_ url: String, _ sql: String, doing: String) throws {
        let arguments = [executable, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let started = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard started == 0 else { throw BenchFailure("cannot start \(executable) (error \(started))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw BenchFailure("lost the psql process") }
        }
        guard status == 0 else { throw BenchFailure("psql failed \(doing)") }
    }
}
