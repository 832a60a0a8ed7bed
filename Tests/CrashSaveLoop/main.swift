import Glibc
import OnionsCore
import OnionsCrypto
import OnionsStore

// crash-save-loop STORE STATE_DIR: the process that CrashSafetyTests kills at random moments.
//
// Opens the vault "crash" (password "crash-test-pass-7"; signed up at scrypt N = 2^10 when the store has
// none) in the SQLite file STORE, with its rollback memory in STATE_DIR, then saves onions
// titled "n<i>" forever, one per transaction. "opened\n" goes to standard output once the vault
// is open, before the first save; "saved <i>\n" goes to standard output with one
// write(2) only after `saveOnion` returned: that line acknowledges a durable save. Numbering
// continues after the highest title found. Ends only on an error (status 1, the reason on
// standard error) or a usage mistake (status 2).

/// Writes a whole line to a file descriptor with write(2), retrying short and interrupted writes.
func writeLine(_ fd: Int32, _ text: String) {
    var line = text + "\n"
    line.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}

/// The vault, created on first use.
func openVault(store path: String, stateDirectory: String) throws -> Session {
    let store = try SQLiteStore(path: path)
    let password = SecretBytes(copying: Array("crash-test-pass-7".utf8))
    defer { password.wipe() }
    do {
        return try Session.logIn(store: store, username: "crash", password: password, stateDirectory: stateDirectory)
    } catch VaultError.noSuchVault {
        return try Session.signUp(store: store, username: "crash", password: password,
                                  kdf: ScryptParameters(logN: 15, r: 8, p: 1), stateDirectory: stateDirectory)
    }
}

/// The highest i among titles "n<i>".
func highestNumber(_ session: Session) -> Int? {
    session.onions.compactMap { onion -> Int? in
        session.texts.withBytes(onion.title) { bytes in
            guard bytes.first == UInt8(ascii: "n") else { return nil }
            return Int(String(decoding: bytes.dropFirst(), as: UTF8.self))
        }
    }.max()
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count == 2 else {
    writeLine(2, "usage: crash-save-loop STORE STATE_DIR")
    exit(2)
}
do {
    let session = try openVault(store: arguments[0], stateDirectory: arguments[1])
    for issue in session.issues { writeLine(2, "crash-save-loop: integrity issue: \(issue)") }
    guard session.issues.isEmpty else { exit(1) }
    var next = highestNumber(session).map { $0 + 1 } ?? 0
    writeLine(1, "opened")
    let info = SecretBytes(copying: Array("saved by the crash-safety loop".utf8))
    while true {
        let title = SecretBytes(copying: Array("n\(next)".utf8))
        defer { title.wipe() }
        try session.saveOnion(id: nil, title: title, info: info)
        writeLine(1, "saved \(next)")
        next += 1
    }
} catch {
    writeLine(2, "crash-save-loop: \(error)")
    exit(1)
}
