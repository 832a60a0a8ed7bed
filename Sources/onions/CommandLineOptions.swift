import Glibc
import OnionsCore
import OnionsCrypto
import OnionsStore

/// A usage mistake: printed with a hint, exit code 2.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// The options every vault command understands, wherever they stand on the line.
struct GlobalOptions {
    var storePath: String?
    var user: String?
    var passwordFile: String?
    var passwordStdin = false
    var kdfLogN: UInt8?
    var lockAfter: Int?
    var clipboardSeconds: Int?
    /// False with `--no-mouse` (or `mouse = false`): the interface asks for no mouse reports.
    var mouse: Bool?
    var remote: String?
    /// `--no-agent`: ask for the password even when an agent holds the vault open.
    var noAgent = false
    /// `--from-agent`: the interface opens the vault with the keys of its running agent.
    var fromAgent = false
    /// Set by a command that only reads the vault: the store then opens read-only (unless a
    /// remote is configured, since syncing writes the local copy).
    var readsOnly = false

    /// How the command opens the SQLite store.
    var storeAccess: SQLiteStore.Access { readsOnly && remote == nil ? .readOnly : .readWrite }

    var environment: [String: String] { ProcessEnvironment.current }

    /// The SQLite store at the resolved path, opened with `storeAccess`.
    func openStore() throws -> SQLiteStore {
        try SQLiteStore(path: resolvedStorePath(), access: storeAccess)
    }

    func resolvedStorePath() -> String {
        storePath ?? SQLiteStore.defaultPath(environment: environment)
    }

    var stateDirectory: String { get throws { try LocalState.defaultDirectory(environment: environment) } }

    var kdf: ScryptParameters {
        guard let n = kdfLogN else { return .default }
        return ScryptParameters(logN: n, r: 8, p: 1)
    }

    /// The vault password: from the file, standard input, or the terminal without echo.
    func readPassword(prompt: String = "Password: ") throws -> SecretBytes {
        if let passwordFile { return try readPasswordFile(passwordFile) }
        if passwordStdin { return try readPasswordStdin() }
        return try readPasswordFromTerminal(prompt: prompt)
    }
}

/// The process environment as a dictionary.
enum ProcessEnvironment {
    static var current: [String: String] {
        var result: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                result[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            p += 1
        }
        return result
    }
}
