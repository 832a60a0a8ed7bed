import Glibc
import OnionsCrypto

/// What was copied to the clipboard, known well enough to find it again in tmux's paste
/// buffers and nothing more: an HMAC of the text under a random key of this process, so that
/// no plaintext (nor a bare hash one could guess from) waits for the clear.
public struct CopiedText: Equatable, Sendable {
    private let key: [UInt8]
    private let mac: [UInt8]

    public init(_ text: UnsafeRawBufferPointer) {
        let key = SecretBytes(copying: SecureRandom.bytes(32))
        defer { key.wipe() }
        self.key = key.withUnsafeBytes { Array($0) }
        mac = HMAC.code(.sha256, key: key, message: text)
    }

    /// True when `text` is the text that was copied.
    func matches(_ text: UnsafeRawBufferPointer) -> Bool {
        let k = SecretBytes(copying: key)
        defer { k.wipe() }
        return ConstantTime.equals(HMAC.code(.sha256, key: k, message: text), mac)
    }
}

/// tmux keeps every OSC 52 copy it passes on (with `set-clipboard on`) as a paste buffer, and
/// a clear only adds another one. Inside tmux (`$TMUX` set) the clear therefore also deletes
/// the buffers that hold what was copied: `tmux list-buffers` names them, `tmux show-buffer`
/// reads each one through a pipe into secret memory, and `tmux delete-buffer -b NAME` removes
/// those that match. Nothing of the text is put on a command line or in a file.
public enum TmuxBuffers {
    /// Deletes tmux's paste buffers that hold `copied`; returns how many. Nothing outside tmux
    /// or when tmux cannot be run.
    @discardableResult
    public static func delete(_ copied: CopiedText, environment: [String: String]) -> Int {
        guard let names = names(environment: environment) else { return 0 }
        var deleted = 0
        for name in names {
            guard let content = run(["tmux", "show-buffer", "-b", name]) else { continue }
            let same = content.withUnsafeBytes { copied.matches($0) }
            content.wipe()
            if same, let done = run(["tmux", "delete-buffer", "-b", name]) {
                done.wipe()
                deleted += 1
            }
        }
        return deleted
    }

    /// The names of tmux's paste buffers, newest first; nil outside tmux or when tmux cannot
    /// be run.
    public static func names(environment: [String: String]) -> [String]? {
        guard environment["TMUX"].map({ !$0.isEmpty }) == true,
              let list = run(["tmux", "list-buffers", "-F", "#{buffer_name}"]) else { return nil }
        defer { list.wipe() }
        return list.withUnsafeBytes { bytes in
            bytes.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Waits (up to `timeout` seconds) for a paste buffer that is not among `before` (the one a
    /// copy just written to the terminal makes) and returns its text as a `CopiedText`; nil when
    /// none appears.
    public static func newCopy(since before: Set<String>, environment: [String: String],
                               timeout: Double = 3) -> CopiedText? {
        let tries = max(1, Int(timeout / 0.05))
        for _ in 0..<tries {
            if let name = names(environment: environment)?.first(where: { !before.contains($0) }) {
                guard let content = run(["tmux", "show-buffer", "-b", name]) else { return nil }
                defer { content.wipe() }
                return content.withUnsafeBytes { CopiedText($0) }
            }
            usleep(50_000)
        }
        return nil
    }

    /// Runs tmux with standard input from /dev/null; its output, or nil when it failed.
    private static func run(_ arguments: [String]) -> SecretBytes? {
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard null >= 0 else { return nil }
        defer { close(null) }
        guard let (output, status) = try? ChildProcess.run(arguments, inputFD: null) else { return nil }
        guard status == 0 else {
            output.wipe()
            return nil
        }
        return output
    }
}
