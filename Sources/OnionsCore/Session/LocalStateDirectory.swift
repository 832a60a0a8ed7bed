import Glibc

/// The folder that holds this machine's vault states, opened so that no one else can steer it.
///
/// The folder is made with mode 0700 and refused when it is a symbolic link or not a folder,
/// when another user owns it, or when group or others may write to it. Files in it are opened
/// relative to the open folder with `O_NOFOLLOW` (a planted symbolic link is refused, its target
/// untouched); a file is replaced by a new temporary file (`O_EXCL`) renamed over it. Every
/// failure is a `VaultError.localState` sentence that names the path.
final class LocalStateDirectory {
    let path: String
    private let descriptor: Int32

    /// `$XDG_STATE_HOME/onions`, else `$HOME/.local/state/onions`; a relative or missing value
    /// is not used, and with neither there is no default (no fallback to a shared folder).
    static func defaultPath(environment: [String: String]) throws -> String {
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") { return xdg + "/onions" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.local/state/onions" }
        throw VaultError.localState("neither XDG_STATE_HOME nor HOME names a folder (an absolute path); "
            + "set one of them")
    }

    /// Opens the folder at `path`, making it and its missing parents (mode 0700) when `create`.
    /// Returns nil when the folder does not exist and `create` is false.
    init?(path: String, create: Bool) throws {
        self.path = path
        if create { try Self.makeFolders(path) }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT && !create { return nil }
            if code == ELOOP { throw VaultError.localState("the folder \(path) is a symbolic link") }
            if code == ENOTDIR { throw VaultError.localState("\(path) is not a folder") }
            throw VaultError.localState("cannot open the folder \(path): \(Self.reason(code))")
        }
        descriptor = fd
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw VaultError.localState("cannot inspect the folder \(path): \(Self.reason(errno))")
        }
        guard info.st_uid == geteuid() else {
            throw VaultError.localState("the folder \(path) belongs to another user")
        }
        guard info.st_mode & 0o022 == 0 else {
            throw VaultError.localState("the folder \(path) can be changed by other users; "
                + "make it private with chmod 700")
        }
    }

    deinit { close(descriptor) }

    /// Refuses a folder this process cannot write to (a read-only mount refuses root too).
    func checkWritable() throws {
        guard faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0 else {
            throw VaultError.localState("cannot write to the folder \(path): \(Self.reason(errno))")
        }
    }

    /// The bytes of the file `name` (at most 1 MiB), or nil when there is none.
    func read(_ name: String) throws -> [UInt8]? {
        let fd = openat(descriptor, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT { return nil }
            if code == ELOOP { throw VaultError.localState("\(path)/\(name) is a symbolic link") }
            throw VaultError.localState("cannot read \(path)/\(name): \(Self.reason(code))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw VaultError.localState("\(path)/\(name) is not a regular file")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = Glibc.read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw VaultError.localState("cannot read \(path)/\(name): \(Self.reason(errno))") }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
            if bytes.count > 1 << 20 { throw VaultError.localState("\(path)/\(name) is too large") }
        }
    }

    /// Replaces the file `name` durably: a new temporary file, fsync, rename, fsync of the folder.
    func replace(_ name: String, with bytes: [UInt8]) throws {
        // One temporary name per process: two programs on the same vault (an interface and a
        // script) must not unlink or rename each other's half-written file.
        let temporary = name + ".\(getpid()).tmp"
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        var fd = openat(descriptor, temporary, flags, 0o600)
        if fd < 0 && errno == EEXIST {
            // Left by an interrupted write (or planted): unlinking removes a link, not its target.
            _ = unlinkat(descriptor, temporary, 0)
            fd = openat(descriptor, temporary, flags, 0o600)
        }
        guard fd >= 0 else { throw VaultError.localState("cannot write \(path)/\(temporary): \(Self.reason(errno))") }
        var written = 0
        var failure: Int32 = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
            written += n
        }
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure == 0 && renameat(descriptor, temporary, descriptor, name) != 0 { failure = errno }
        guard failure == 0 else {
            _ = unlinkat(descriptor, temporary, 0)
            throw VaultError.localState("cannot write \(path)/\(name): \(Self.reason(failure))")
        }
        _ = fsync(descriptor)
    }

    /// Removes the file `name` (a symbolic link is removed itself, never its target).
    func remove(_ name: String) {
        _ = unlinkat(descriptor, name, 0)
    }

    private static func makeFolders(_ path: String) throws {
        var current = ""
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
                throw VaultError.localState("cannot create the folder \(current): \(reason(errno))")
            }
        }
    }

    private static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
