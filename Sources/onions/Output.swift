import Glibc
import TerminalUI

/// Writes a line to standard error (fd 2) through the terminal gate (`TerminalText`): a
/// server's message or a file name with escape sequences arrives as visible text. Never pass
/// plaintext to it.
func printError(_ line: String) {
    var text = line
    if !text.hasSuffix("\n") { text += "\n" }
    text.withUTF8 { utf8 in
        TerminalText.write(UnsafeRawBufferPointer(utf8)) { writeAll(2, $0) }
    }
}

/// Writes text to standard output (fd 1) through the terminal gate (`TerminalText`): every
/// text of the vault, which is checked again here whoever sealed it. No copy is made; the
/// bytes go from the caller's (secret) memory to the output.
func writeStdout(_ bytes: UnsafeRawBufferPointer) {
    TerminalText.write(bytes) { piece in
        if !writeAll(1, piece) { StandardOutput.failed = true }
    }
}

/// Writes a (non-secret) text to standard output through the terminal gate.
func writeStdout(_ text: String) {
    var copy = text
    copy.withUTF8 { writeStdout(UnsafeRawBufferPointer($0)) }
}

/// Writes one of the program's own control sequences to standard output, rendered by the
/// gate (`TerminalControl`).
func writeStdout(_ control: TerminalControl) {
    TerminalText.write(control) { if !writeAll(1, $0) { StandardOutput.failed = true } }
}

/// Puts `payload` on the clipboard by the gate's OSC 52 sequence on standard output, built in
/// `buffer` (secret memory of `OSC52.sequenceLength` bytes or more). False when it is too short.
@discardableResult
func writeClipboardStdout(_ payload: UnsafeRawBufferPointer, using buffer: UnsafeMutableRawBufferPointer) -> Bool {
    TerminalText.writeClipboard(payload, using: buffer) { if !writeAll(1, $0) { StandardOutput.failed = true } }
}

/// Writes bytes to standard output as they are: only for output that is not text (a file
/// `rncryptor` decrypted or encrypted) or that is escaped already (`--json`, where JSON's own
/// escapes keep every control out).
func writeRawStdout(_ bytes: UnsafeRawBufferPointer) {
    if !writeAll(1, bytes) { StandardOutput.failed = true }
}

/// Writes all of `bytes` to `fd`, retrying short writes; false when a write failed.
@discardableResult
private func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            return false
        }
        offset += n
    }
    return true
}

/// Whether a write to standard output failed (a full disk, a closed pipe): the command then
/// ends with exit 1 instead of claiming success for cut-off output.
enum StandardOutput {
    nonisolated(unsafe) static var failed = false
}
