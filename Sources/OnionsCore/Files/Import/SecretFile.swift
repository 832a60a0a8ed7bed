import Glibc
import OnionsCrypto

/// Reads a whole file that may hold plaintext (an export, a journal) straight into secret
/// memory, never through an ordinary buffer.
public enum SecretFile {
    /// The largest file an importer reads (256 MiB).
    public static let defaultLimit = 256 << 20

    /// The bytes at `path`. Throws `.unreadable` with the system's words, or when the file is
    /// over `limit` bytes or not a regular file.
    public static func read(_ path: String, limit: Int = defaultLimit) throws(ImportError) -> SecretBytes {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable("\(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        return try read(fd: fd, name: path, limit: limit)
    }

    /// The bytes of an open regular file, from its current offset.
    static func read(fd: Int32, name: String, limit: Int) throws(ImportError) -> SecretBytes {
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw .unreadable("\(name): not a regular file")
        }
        guard Int(info.st_size) <= limit else { throw .unreadable("\(name): larger than \(limit >> 20) MiB") }
        // One spare byte tells a file that grew while read.
        let out = SecretBytes(count: Int(info.st_size) + 1)
        var filled = 0
        let failure: Int32? = out.withUnsafeMutableBytes { o in
            while filled < o.count {
                let n = Glibc.read(fd, o.baseAddress! + filled, o.count - filled)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { return errno }
                if n == 0 { break }
                filled += n
            }
            return nil
        }
        if let failure {
            out.wipe()
            throw .unreadable("\(name): \(String(cString: strerror(failure)))")
        }
        guard filled <= Int(info.st_size) else {
            out.wipe()
            throw .unreadable("\(name): changed while it was read")
        }
        out.truncate(to: filled)
        return out
    }
}

/// Secret memory that grows: a bigger owner replaces a full one, which is wiped.
enum SecretGrowth {
    /// Appends `bytes` to `out`, doubling its capacity as needed up to `limit`; false (and
    /// nothing appended) past the limit.
    static func append(_ bytes: UnsafeRawBufferPointer, to out: inout SecretBytes, limit: Int) -> Bool {
        guard out.count + bytes.count <= limit else { return false }
        if out.count + bytes.count > out.capacity {
            var capacity = max(out.capacity, 4096)
            while capacity < out.count + bytes.count { capacity *= 2 }
            let bigger = SecretBytes(count: 0, capacity: min(capacity, limit))
            bigger.append(out)
            out.wipe()
            out = bigger
        }
        return out.append(bytes)
    }
}
