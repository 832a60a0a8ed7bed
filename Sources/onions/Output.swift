import Glibc

/// Writes a line to standard error (fd 2). Never pass plaintext to it.
func printError(_ line: String) {
    var text = line
    if !text.hasSuffix("\n") { text += "\n" }
    text.utf8CString.withUnsafeBufferPointer { buf in
        _ = write(2, buf.baseAddress, buf.count - 1)
    }
}

/// Writes raw bytes to standard output (fd 1), retrying short writes.
func writeStdout(_ bytes: UnsafeRawBufferPointer) {
    var offset = 0
    while offset < bytes.count {
        let n = write(1, bytes.baseAddress! + offset, bytes.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            StandardOutput.failed = true
            return
        }
        offset += n
    }
}

/// Writes a (non-secret) text to standard output.
func writeStdout(_ text: String) {
    var copy = text
    copy.withUTF8 { writeStdout(UnsafeRawBufferPointer($0)) }
}

/// Whether a write to standard output failed (a full disk, a closed pipe): the command then
/// ends with exit 1 instead of claiming success for cut-off output.
enum StandardOutput {
    nonisolated(unsafe) static var failed = false
}
