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

/// Builds output in secret memory and hands it to a file a chunk at a time.
///
/// For plaintext exports: nothing it holds is ever in an ordinary Swift buffer; the chunk is
/// wiped after each flush and at the end.
final class SecretOutput {
    private let file: ExportFile
    private let chunk = SecretBytes(count: 0, capacity: 64 * 1024)

    init(_ file: ExportFile) { self.file = file }

    deinit { chunk.wipe() }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        var rest = bytes
        while !rest.isEmpty {
            let room = chunk.capacity - chunk.count
            if room == 0 {
                try flush()
                continue
            }
            let n = min(room, rest.count)
            _ = chunk.append(UnsafeRawBufferPointer(rebasing: rest[0..<n]))
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
        }
    }

    /// Appends a non-secret text (punctuation, names of fields, numbers).
    func append(_ text: String) throws {
        var copy = text
        try copy.withUTF8 { try append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends `text` (UTF-8) as a JSON string, quotes included.
    ///
    /// Escapes `"` and `\`, and every control character (as `\n`, `\t`, … or `\u00XX`); all
    /// other bytes pass through, so valid UTF-8 stays valid JSON.
    func appendJSONString(_ text: UnsafeRawBufferPointer) throws {
        try append("\"")
        var start = 0
        for i in 0..<text.count {
            let byte = text[i]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F else { continue }
            try append(UnsafeRawBufferPointer(rebasing: text[start..<i]))
            try append(JSONEscape.sequence(for: byte))
            start = i + 1
        }
        try append(UnsafeRawBufferPointer(rebasing: text[start..<text.count]))
        try append("\"")
    }

    func flush() throws {
        try chunk.withUnsafeBytes { try file.write($0) }
        chunk.wipe()
    }
}

/// JSON's escapes for the bytes that cannot stand for themselves in a string.
enum JSONEscape {
    static func sequence(for byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "\""): return "\\\""
        case UInt8(ascii: "\\"): return "\\\\"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x08: return "\\b"
        case 0x0C: return "\\f"
        default:
            let digits = Array("0123456789abcdef")
            return "\\u00" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0f)])
        }
    }
}
