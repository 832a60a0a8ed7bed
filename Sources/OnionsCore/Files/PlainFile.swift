import Glibc

/// Reads whole files that hold no secret (an export to import, the config file, /proc).
public enum PlainFile {
    /// Why a file could not be read.
    public struct Failure: Error, CustomStringConvertible {
        /// True when there is no file at the path.
        public let missing: Bool
        /// The system's words (`strerror`).
        public let reason: String

        init(errno code: Int32) {
            missing = code == ENOENT
            reason = String(cString: strerror(code))
        }

        public var description: String { reason }
    }

    /// The bytes at `path`, at most `limit + 1` of them: a caller tells a file over `limit` by
    /// the count.
    public static func read(_ path: String, limit: Int) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(errno: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count <= limit {
            let want = min(chunk.count, limit + 1 - bytes.count)
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, want) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw Failure(errno: errno) }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        return bytes
    }
}
