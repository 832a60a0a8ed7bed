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

    /// Removes the global options from `args` and returns them with what is left.
    static func extract(from args: [String]) throws -> (GlobalOptions, [String]) {
        var options = GlobalOptions()
        var rest: [String] = []
        var i = 0
        func value(_ name: String) throws -> String {
            guard i + 1 < args.count else { throw UsageError("\(name) needs a value") }
            i += 1
            return args[i]
        }
        while i < args.count {
            let arg = args[i]
            switch arg {
            case "--": rest += args[i...]; i = args.count; continue
            case "--store": options.storePath = try value(arg)
            case "--user": options.user = try value(arg)
            case "--password-file": options.passwordFile = try value(arg)
            case "--password-stdin": options.passwordStdin = true
            case "--no-agent": options.noAgent = true
            case "--from-agent": options.fromAgent = true
            case "--no-mouse": options.mouse = false
            case "--remote": options.remote = try value(arg)
            case "--kdf-cost":
                let text = try value(arg)
                guard let n = UInt8(text), (VaultParameters.minimumLogN...VaultParameters.maximumLogN).contains(n) else {
                    throw UsageError("--kdf-cost takes log2 of scrypt's N, from \(VaultParameters.minimumLogN) to \(VaultParameters.maximumLogN)")
                }
                options.kdfLogN = n
            case "--lock-after":
                let text = try value(arg)
                guard let n = Int(text), n > 0 else { throw UsageError("--lock-after takes a number of seconds") }
                options.lockAfter = n
            case "--clipboard-seconds":
                let text = try value(arg)
                guard let n = Int(text), (1...ConfigFile.maximumSeconds).contains(n) else {
                    throw UsageError("--clipboard-seconds takes a number of seconds from 1 to \(ConfigFile.maximumSeconds)")
                }
                options.clipboardSeconds = n
            default: rest.append(arg)
            }
            i += 1
        }
        return (options, rest)
    }

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

/// Pulls `--name value` pairs and flags out of a command's own arguments.
struct ArgumentList {
    private(set) var rest: [String]

    init(_ args: [String]) { rest = args }

    /// The arguments of a command, or nil after printing `usage` when they ask for help
    /// (`--help` or `-h` anywhere).
    static func unlessHelp(_ args: [String], usage: @autoclosure () -> String) -> ArgumentList? {
        var list = ArgumentList(args)
        guard !list.flag("--help") && !list.flag("-h") else {
            print(usage())
            return nil
        }
        return list
    }

    /// The first remaining argument as a subcommand's name, and the arguments after it; a
    /// usage error showing `usage` when nothing remains.
    func subcommand(usage: String) throws -> (name: String, arguments: ArgumentList) {
        guard let name = rest.first else { throw UsageError(usage) }
        return (name, ArgumentList(Array(rest.dropFirst())))
    }

    mutating func value(_ name: String) throws -> String? {
        guard let i = rest.firstIndex(of: name) else { return nil }
        guard i + 1 < rest.count else { throw UsageError("\(name) needs a value") }
        let v = rest[i + 1]
        rest.removeSubrange(i...(i + 1))
        return v
    }

    mutating func flag(_ name: String) -> Bool {
        guard let i = rest.firstIndex(of: name) else { return false }
        rest.remove(at: i)
        return true
    }

    /// The remaining positional arguments, refusing unknown options.
    func positionals() throws -> [String] {
        if let unknown = rest.first(where: { $0.hasPrefix("--") }) { throw UsageError("unknown option \(unknown)") }
        return rest
    }
}
