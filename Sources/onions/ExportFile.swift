import Glibc
import OnionsCrypto

/// A new file for an export, readable by its owner only (mode 0600).
///
/// Creating never follows a symbolic link and never reuses a file: without `force` an existing
/// path is refused; with it the old file is removed first and a new one created in its place.
/// Writes retry short writes; `finish()` flushes to disk and closes. A file that was not
/// finished (an error on the way) is removed when the value is released, so a half-written
/// export never stays behind.
final class ExportFile {
    let path: String
    private var fd: Int32
    private var finished = false

    /// Throws before it owns anything, so a refused path is never touched by `deinit`.
    init(path: String, force: Bool) throws {
        if force {
            var info = stat()
            if lstat(path, &info) == 0 {
                guard (info.st_mode & S_IFMT) != S_IFDIR else { throw CommandFailure("\(path) is a folder") }
                guard unlink(path) == 0 else {
                    throw CommandFailure("cannot replace \(path): \(String(cString: strerror(errno)))")
                }
            }
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST {
                throw CommandFailure("\(path) exists already; nothing written (use --force to replace it)")
            }
            throw CommandFailure("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        _ = fchmod(fd, 0o600)  // whatever the umask said
        self.path = path
        self.fd = fd
    }

    /// Writes all of `bytes`. Throws (naming the file, not the bytes) when the disk refuses.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw CommandFailure("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Flushes the file to disk and closes it; from now on it stays.
    func finish() throws {
        guard fsync(fd) == 0 else { throw CommandFailure("cannot write \(path): \(String(cString: strerror(errno)))") }
        close(fd)
        fd = -1
        finished = true
    }

    deinit {
        if !finished {
            if fd >= 0 { close(fd) }
            unlink(path)
        }
    }
}
