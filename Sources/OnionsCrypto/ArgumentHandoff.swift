import COpenSSL
import Glibc

/// Carries the command line across the program's re-execution of itself (ProcessHardening)
/// without putting it in the new image's argv, where every local user could read it.
///
/// The parent writes the arguments after the program's name, each ending in a zero byte, to an
/// anonymous memory file that only this user's processes can open, names its descriptor in
/// `ONIONS_ARGUMENTS_FD`, and executes with the program's name alone; the new image takes them
/// back with `received()`.
public enum ArgumentHandoff {
    static let variable = "ONIONS_ARGUMENTS_FD"
    static let fileName = "onions-arguments"
    /// More than the kernel lets a command line hold.
    static let maximumBytes = 4 << 20

    /// The argv to execute with: the program's name alone once the rest is in the memory file,
    /// or `arguments` unchanged when there is nothing to hand over or no memory file can be made.
    static func prepare(_ arguments: [String]) -> [String] {
        guard arguments.count > 1 else { return arguments }
        var bytes: [UInt8] = []
        for argument in arguments.dropFirst() { bytes += Array(argument.utf8) + [0] }
        defer { OpenSSL.cleanse(&bytes) }
        // Not close-on-exec: the new image reads it.
        let fd = onions_memfd_create(fileName)
        guard fd >= 0 else { return arguments }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                close(fd)
                return arguments
            }
            written += n
        }
        guard lseek(fd, 0, SEEK_SET) == 0 else {
            close(fd)
            return arguments
        }
        setenv(variable, String(fd), 1)
        return [arguments[0]]
    }

    /// Undoes `prepare` when the exec failed: closes the memory file and drops the variable.
    static func abandon() {
        if let text = getenv(variable), let fd = Int32(String(cString: text)) { close(fd) }
        unsetenv(variable)
    }

    /// Why handed-over arguments could not be taken back.
    public struct Failure: Error, CustomStringConvertible {
        public let description = "the command line could not be taken over when the program restarted itself; "
            + "nothing was done"
    }

    /// The arguments after the program's name that a re-executing parent handed over, or nil
    /// when there are none. The variable is removed and the descriptor closed either way; only
    /// a descriptor that is this program's memory file is read (the environment may name any),
    /// and a variable naming anything else is a `Failure` (never a run without the arguments).
    public static func received() throws -> [String]? {
        guard let text = getenv(variable) else { return nil }
        let value = String(cString: text)
        unsetenv(variable)
        guard let fd = Int32(value), fd > 2 else { throw Failure() }
        guard isHandoffFile(fd) else { throw Failure() }
        defer { close(fd) }
        let buffer = SecretBytes(count: maximumBytes + 1)
        defer { buffer.wipe() }
        var total = 0
        while total < buffer.count {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, $0.count - total) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            total += n
        }
        guard total <= maximumBytes else { throw Failure() }
        return buffer.withUnsafeBytes { raw in
            var pieces = raw[..<total].split(separator: 0, omittingEmptySubsequences: false)
            if pieces.last?.isEmpty == true { pieces.removeLast() }
            return pieces.map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// True when `fd` is a memory file made by `prepare` (its /proc link reads "/memfd:onions-arguments").
    private static func isHandoffFile(_ fd: Int32) -> Bool {
        var link = [CChar](repeating: 0, count: 256)
        let n = readlink("/proc/self/fd/\(fd)", &link, link.count - 1)
        guard n > 0 else { return false }
        let target = String(decoding: link[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return target.hasPrefix("/memfd:\(fileName)")
    }
}
