import Glibc
import OnionsCrypto
import TerminalUI

/// Why a password could not be read; the message never contains the password.
struct PasswordInputError: Error, CustomStringConvertible {
    let description: String
}

/// The longest password accepted from standard input or the terminal, in bytes.
let maximumPasswordLineBytes = 1024
/// The largest password file accepted, in bytes.
let maximumPasswordFileBytes = 64 * 1024

/// Reads a password file into secret memory: its contents minus ONE trailing "\n".
///
/// Throws when the file cannot be opened or read, or is larger than 64 KiB. Any other
/// bytes (a second newline, "\r", spaces) are part of the password.
func readPasswordFile(_ path: String) throws -> SecretBytes {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
        throw PasswordInputError(description: "cannot open password file '\(path)': \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    // One byte more than allowed, to tell "exactly the limit" from "too long".
    let buffer = SecretBytes(count: maximumPasswordFileBytes + 1)
    var total = 0
    let failure: Int32? = buffer.withUnsafeMutableBytes { raw in
        while total < raw.count {
            let n = read(fd, raw.baseAddress! + total, raw.count - total)
            if n == 0 { return nil }
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            total += n
        }
        return nil
    }
    if let failure {
        buffer.wipe()
        throw PasswordInputError(description: "cannot read password file '\(path)': \(String(cString: strerror(failure)))")
    }
    guard total <= maximumPasswordFileBytes else {
        buffer.wipe()
        throw PasswordInputError(description: "password file '\(path)' is larger than \(maximumPasswordFileBytes / 1024) KiB")
    }
    buffer.truncate(to: total)
    if total > 0, buffer.withUnsafeBytes({ $0[total - 1] }) == UInt8(ascii: "\n") {
        buffer.truncate(to: total - 1)
    }
    return buffer
}

/// Reads one line from standard input into secret memory (the newline is not kept).
///
/// Reads byte by byte so nothing after the line is consumed. Throws when the line is
/// longer than 1024 bytes or standard input cannot be read; end of input ends the line.
func readPasswordStdin() throws -> SecretBytes {
    try readPasswordLine(from: 0, cancelOnControlC: false)
}

/// Asks for a password on the controlling terminal (/dev/tty) with echo off.
///
/// Writes `prompt`, reads one line byte by byte into secret memory, then restores the
/// terminal and moves to the next line. Ctrl-C cancels (signals are off while reading, so
/// echo is always restored). Throws when there is no terminal, on cancel, or for a line
/// longer than 1024 bytes.
///
/// `echo`: show what is typed (a yes-or-no answer, not a password).
func readPasswordFromTerminal(prompt: String, echo: Bool = false) throws -> SecretBytes {
    let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
    guard fd >= 0 else {
        throw PasswordInputError(description: "no terminal to ask for the password (use --password-file)")
    }
    defer { close(fd) }
    var saved = termios()
    guard tcgetattr(fd, &saved) == 0 else {
        throw PasswordInputError(description: "cannot read the terminal settings")
    }
    var quiet = saved
    // Byte by byte (not line by line), so that Ctrl-C cancels at once; the editing a line
    // discipline would do (Backspace, Ctrl-U) is done by `readPasswordLine`.
    quiet.c_lflag &= ~tcflag_t((echo ? 0 : ECHO) | ISIG | ICANON)
    withUnsafeMutableBytes(of: &quiet.c_cc) { cc in
        cc[Int(VMIN)] = 1
        cc[Int(VTIME)] = 0
    }
    writeAll(fd, prompt)
    guard tcsetattr(fd, TCSAFLUSH, &quiet) == 0 else {
        throw PasswordInputError(description: "cannot turn off echo on the terminal")
    }
    defer {
        _ = tcsetattr(fd, TCSAFLUSH, &saved)
        writeAll(fd, "\n")
    }
    return try readPasswordLine(from: fd, cancelOnControlC: true)
}

/// Reads bytes up to "\n" (or end of input) into a SecretBytes of `capacity` bytes; errors
/// name the line as `what` ("password").
func readPasswordLine(from fd: Int32, cancelOnControlC: Bool, capacity: Int = maximumPasswordLineBytes,
                      what: String = "password") throws -> SecretBytes {
    let line = SecretBytes(count: 0, capacity: capacity)
    var tooLong = false
    reading: while true {
        var byte: UInt8 = 0
        let n = read(fd, &byte, 1)
        if n < 0 {
            if errno == EINTR { continue }
            let code = errno
            line.wipe()
            throw PasswordInputError(description: "cannot read the \(what): \(String(cString: strerror(code)))")
        }
        if n == 0 || byte == UInt8(ascii: "\n") { break }
        if cancelOnControlC {  // typed on a terminal, one key at a time
            switch byte {
            case 0x03:
                byte = 0
                line.wipe()
                throw PasswordInputError(description: "cancelled")
            case 0x7f, 0x08:  // Backspace: drop the last character (all its UTF-8 bytes)
                var end = line.count
                while end > 0 {
                    end -= 1
                    if line.withUnsafeBytes({ $0[end] }) & 0xC0 != 0x80 { break }
                }
                line.truncate(to: end)
                continue
            case 0x15:  // Ctrl-U: start over
                line.truncate(to: 0)
                continue
            case UInt8(ascii: "\r"):
                break reading
            default:
                break
            }
        }
        if !line.append(byte: byte) { tooLong = true }  // keep reading to the end of the line
        byte = 0
    }
    if tooLong {
        line.wipe()
        throw PasswordInputError(description: "\(what) longer than \(capacity) bytes")
    }
    return line
}

private func writeAll(_ fd: Int32, _ text: String) {
    // A prompt may name a server or a file: it passes the terminal gate like all output.
    var bytes = Array(TerminalText.sanitized(text).utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if n < 0, errno == EINTR { continue }
        if n <= 0 { return }
        offset += n
    }
    bytes.removeAll()
}
