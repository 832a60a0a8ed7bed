import Glibc

/// Writes raw bytes to a file descriptor with write(2), retrying short and interrupted writes.
func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) {
    var offset = 0
    while offset < bytes.count {
        let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            return
        }
        offset += n
    }
}

/// Writes a line (non-secret text) to standard output, unbuffered.
func printLine(_ text: String) {
    var line = text + "\n"
    line.withUTF8 { writeAll(1, UnsafeRawBufferPointer($0)) }
}

/// Writes a line to standard error, unbuffered. Never pass plaintext to it.
func printError(_ text: String) {
    var line = "onions-bench: " + text + "\n"
    line.withUTF8 { writeAll(2, UnsafeRawBufferPointer($0)) }
}
