import Glibc
import OnionsCore
import OnionsCrypto
import OnionsStore

/// A command that failed for a reason the person can act on: one line, exit 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What `--help` says about `-` in place of a private text.
let secretArgumentHint = """
      '-' in place of a title, text or word reads it from the next line of standard input (after the
      password's line with --password-stdin): prefer it, other users can read the command line
    """

/// A secret copy of a command-line text (argv itself is blanked by `ArgumentScrubbing`).
func secret(_ text: String) -> SecretBytes {
    var utf8 = Array(text.utf8)
    defer { for i in utf8.indices { utf8[i] = 0 } }
    return utf8.withUnsafeBytes { SecretBytes(copying: $0) }
}

func equals(_ table: SecretTable, _ handle: Int, _ other: SecretBytes) -> Bool {
    table.withBytes(handle) { a in other.withUnsafeBytes { b in ConstantTime.equals(a, b) } }
}

/// Writes a secret text to standard output, ending it with a line break if it has none.
func writeText(_ text: SecretBytes) {
    text.withUnsafeBytes { bytes in
        writeStdout(bytes)
        if let last = bytes.last, last != 0x0a { writeStdout("\n") }
    }
}

/// Writes one text of the table and a line break to standard output.
func printLine(_ table: SecretTable, _ handle: Int) {
    table.withBytes(handle) { writeStdout($0) }
    writeStdout("\n")
}

/// Reads a file (or standard input for "-") into secret memory, refusing one far over `limit`.
func readSecretFile(_ path: String, limit: FieldLimit) throws -> SecretBytes {
    let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw CommandFailure("cannot read \(path): \(String(cString: strerror(errno)))") }
    defer { if fd != 0 { close(fd) } }
    let capacity = limit.maxBytes + 1
    let buffer = SecretBytes(count: capacity)
    var total = 0
    while total < capacity {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, capacity - total) }
        if n < 0 && errno == EINTR { continue }
        if n < 0 {
            buffer.wipe()
            throw CommandFailure("cannot read \(path): \(String(cString: strerror(errno))); nothing saved")
        }
        if n == 0 { break }
        total += n
    }
    buffer.truncate(to: total)
    if total >= capacity {
        buffer.wipe()
        throw VaultError.limit(.tooManyBytes(field: limit.name, bytes: total, limit: limit.maxBytes))
    }
    return buffer
}
