import Glibc
import OnionsCore

/// Where the SQLite database lives, and creating it with private permissions.
enum SQLiteDatabaseFile {
    /// `$XDG_DATA_HOME/onions/onions.db`, or `~/.local/share/onions/onions.db` when
    /// `XDG_DATA_HOME` is unset, empty or relative (the XDG spec says to ignore a relative one).
    static func defaultPath(environment: [String: String]) -> String {
        if let dataHome = environment["XDG_DATA_HOME"], dataHome.hasPrefix("/") {
            return withoutTrailingSlashes(dataHome) + "/onions/onions.db"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? passwordFileHome() ?? "/"
        return withoutTrailingSlashes(home) + "/.local/share/onions/onions.db"
    }

    /// Creates the missing parent directories (mode 0700) and the file itself (mode 0600).
    ///
    /// An existing file is narrowed to 0600; existing directories are left as they are.
    /// Throws `StoreError.unavailable` naming the path that could not be made.
    static func prepare(path: String) throws {
        try makeParentDirectories(of: path)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode_t(0o600))
        guard descriptor >= 0 else {
            throw StoreError.unavailable("Cannot create the onions database \(path): \(systemError()).")
        }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else {
            throw StoreError.unavailable("Cannot make the onions database \(path) private: \(systemError()).")
        }
    }

    private static func makeParentDirectories(of path: String) throws {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).dropLast()
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in components {
            prefix += "/" + component
            if mkdir(prefix, 0o700) == 0 { continue }
            let failure = errno
            var status = stat()
            guard failure == EEXIST, stat(prefix, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else {
                throw StoreError.unavailable("Cannot create the folder \(prefix): \(systemError(failure)).")
            }
        }
    }

    private static func withoutTrailingSlashes(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    /// The home directory from the password database, for a process started without `HOME`.
    private static func passwordFileHome() -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getpwuid_r(getuid(), &entry, &buffer, buffer.count, &result) == 0,
              result != nil, let directory = entry.pw_dir
        else { return nil }
        let home = String(cString: directory)
        return home.isEmpty ? nil : home
    }

    private static func systemError(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }
}
