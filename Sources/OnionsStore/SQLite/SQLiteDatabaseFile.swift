import Glibc
import OnionsCore

/// Where the SQLite database lives, and checking a path before SQLite sees it.
///
/// A path is only ever handed to SQLite once it is known to name a regular file that is empty
/// or an onions database, so a device, FIFO, socket, folder, foreign database or other file is
/// refused unchanged (SQLite would create `-journal` files beside it or rewrite its header).
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

    /// The first bytes of every SQLite 3 database file.
    private static let magic = Array("SQLite format 3".utf8) + [0]

    /// Checks `path` and gets it ready for SQLite with the given access.
    ///
    /// A missing file is created (mode 0600, missing folders 0700). An existing one must be a
    /// regular file, empty or an onions database; for `.readWrite` it must be writable (else
    /// the store is said to be read-only) and, when this user owns it, it is narrowed to 0600.
    /// Nothing is changed for `.readOnly`. Throws `StoreError.unavailable` or `.damaged` with a
    /// sentence naming the path.
    static func prepare(path: String, access: SQLiteStore.Access) throws {
        var status = stat()
        if stat(path, &status) != 0 {
            let failure = errno
            guard failure == ENOENT else {
                throw StoreError.unavailable("Cannot use the onions database \(path): \(systemError(failure)).")
            }
            try create(path)
            return
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw StoreError.unavailable("\(path) is \(kind(status.st_mode)), not a file: "
                + "give the path of an onions database file.")
        }
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StoreError.unavailable("Cannot read the onions database \(path): \(systemError()).")
        }
        defer { close(descriptor) }
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw StoreError.unavailable("\(path) is \(kind(status.st_mode)), not a file: "
                + "give the path of an onions database file.")
        }
        try checkContents(descriptor, path: path)
        guard access == .readWrite else { return }
        if let reason = notWritable(path) {
            throw StoreError.unavailable("The onions database \(path) is read-only (\(reason)); this command "
                + "changes it. Reading commands (list, show, grep, card list, task list, export) still work.")
        }
        if status.st_uid == geteuid() && status.st_mode & 0o7777 != 0o600 {
            guard fchmod(descriptor, 0o600) == 0 else {
                throw StoreError.unavailable("Cannot make the onions database \(path) private: \(systemError()).")
            }
        }
    }

    /// Why this process cannot write the file or create files beside it (SQLite's `-wal` and
    /// `-shm`), or nil. A read-only mount refuses root too; file modes do not.
    static func notWritable(_ path: String) -> String? {
        for target in [path, folder(of: path)] where faccessat(AT_FDCWD, target, W_OK, AT_EACCESS) != 0 {
            return systemError()
        }
        return nil
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Refuses a file that is neither empty nor an onions database, reading only its header.
    private static func checkContents(_ descriptor: Int32, path: String) throws {
        // The 100-byte file header and the first bytes of page 1's b-tree header.
        let wanted = 108
        var header = [UInt8](repeating: 0, count: wanted)
        var count = 0
        while count < wanted {
            let n = header.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress! + count, wanted - count, off_t(count))
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw StoreError.unavailable("Cannot read the onions database \(path): \(systemError()).") }
            if n == 0 { break }
            count += n
        }
        if count == 0 { return }
        guard count == wanted, Array(header[0..<16]) == magic else {
            throw StoreError.damaged("The file \(path) is not an onions database; it was left as it is.")
        }
        func integer(_ range: Range<Int>) -> Int64 { header[range].reduce(Int64(0)) { $0 << 8 | Int64($1) } }
        let applicationID = integer(68..<72)
        // A new database's first transaction may still be in its write-ahead log only, or it
        // may have stopped before any: one page, schema version 0, no table.
        let unfinished = applicationID == 0 && Glibc.access(path + "-wal", F_OK) == 0
        let blank = applicationID == 0 && integer(60..<64) == 0 && integer(28..<32) == 1 && integer(103..<105) == 0
        guard applicationID == SQLiteSchema.applicationID || unfinished || blank else {
            throw StoreError.damaged("The file \(path) is a database of another program, not an onions "
                + "database; it was left as it is.")
        }
    }

    /// Creates the missing parent folders (mode 0700) and the file itself (mode 0600).
    private static func create(_ path: String) throws {
        try makeParentDirectories(of: path)
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(0o600))
        if descriptor < 0 && errno == EEXIST { return try prepare(path: path, access: .readWrite) }
        guard descriptor >= 0 else {
            let failure = errno
            if failure == EROFS || failure == EACCES {
                throw StoreError.unavailable("Cannot create the onions database \(path): its folder is read-only "
                    + "(\(systemError(failure))).")
            }
            throw StoreError.unavailable("Cannot create the onions database \(path): \(systemError(failure)).")
        }
        close(descriptor)
    }

    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a folder"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
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
