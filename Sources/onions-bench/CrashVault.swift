import Glibc
import OnionsCore
import OnionsCrypto
import OnionsStore

/// The hidden modes behind the crash-safety test: a vault "crash" (password "crash", scrypt at
/// N = 2^10) in a given SQLite file, saved to in a loop (`save-loop`, which the test kills) and
/// listed (`list-titles`, the same check as `onions list` without the command line's options).
enum CrashVault {
    static let username = "crash"
    static let kdf = ScryptParameters(logN: 10, r: 8, p: 1)

    static func password() -> SecretBytes { SecretBytes(copying: Array("crash".utf8)) }

    /// `save-loop STORE STATE_DIR`: signs up (or logs in), then saves onions titled "n<i>"
    /// forever, writing "saved <i>\n" to stdout with write(2) after each `saveOnion` returned:
    /// that line acknowledges a durable save. Numbering continues after the highest title found.
    /// Returns only on an error (status 1).
    static func saveLoop(store path: String, stateDirectory: String) -> Int32 {
        do {
            let session = try open(store: path, stateDirectory: stateDirectory, create: true)
            guard reportIssues(session) else { return 1 }
            var next = highestNumber(session).map { $0 + 1 } ?? 0
            let info = SecretBytes(copying: Array("saved by the crash-safety loop".utf8))
            while true {
                let title = SecretBytes(copying: Array("n\(next)".utf8))
                defer { title.wipe() }
                try session.saveOnion(id: nil, title: title, info: info)
                printLine("saved \(next)")
                next += 1
            }
        } catch {
            printError("save-loop: \(error)")
            return 1
        }
    }

    /// `list-titles STORE STATE_DIR`: logs in and prints every title, one per line. Status 1
    /// with a message on standard error when the vault does not open or reports any issue.
    static func listTitles(store path: String, stateDirectory: String) -> Int32 {
        do {
            let session = try open(store: path, stateDirectory: stateDirectory, create: false)
            defer { session.lock() }
            guard reportIssues(session) else { return 1 }
            let newline: [UInt8] = [0x0A]
            for onion in session.onions {
                session.texts.withBytes(onion.title) { writeAll(1, $0) }
                newline.withUnsafeBytes { writeAll(1, $0) }
            }
            return 0
        } catch {
            printError("list-titles: \(error)")
            return 1
        }
    }

    private static func open(store path: String, stateDirectory: String, create: Bool) throws -> Session {
        let store = try SQLiteStore(path: path)
        let password = password()
        defer { password.wipe() }
        do {
            return try Session.logIn(store: store, username: username, password: password,
                                     stateDirectory: stateDirectory)
        } catch VaultError.noSuchVault where create {
            return try Session.signUp(store: store, username: username, password: password, kdf: kdf,
                                      stateDirectory: stateDirectory)
        }
    }

    /// Prints the session's integrity issues to standard error; true when there are none.
    private static func reportIssues(_ session: Session) -> Bool {
        for issue in session.issues { printError("integrity issue: \(issue)") }
        return session.issues.isEmpty
    }

    /// The highest i among titles "n<i>".
    private static func highestNumber(_ session: Session) -> Int? {
        session.onions.compactMap { onion -> Int? in
            session.texts.withBytes(onion.title) { bytes in
                guard bytes.first == UInt8(ascii: "n") else { return nil }
                return Int(String(decoding: bytes.dropFirst(), as: UTF8.self))
            }
        }.max()
    }
}
