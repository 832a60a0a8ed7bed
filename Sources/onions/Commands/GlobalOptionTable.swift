import OnionsCore

/// A global option: its declaration and what it sets.
struct GlobalOptionDeclaration: Sendable {
    let declaration: OptionDeclaration
    let apply: @Sendable (inout GlobalOptions, String) throws -> Void
}

extension GlobalOptions {
    /// The options every command understands, wherever they stand on the line (before `--`).
    static let declarations: [GlobalOptionDeclaration] = [
        text("--store", .file, "PATH", "the SQLite store (default $XDG_DATA_HOME/onions/onions.db)") { $0.storePath = $1 },
        text("--user", .word, "NAME", "the vault's user (or $ONIONS_USER)") { $0.user = $1 },
        text("--password-file", .file, "FILE", "read the password from FILE (one line)") { $0.passwordFile = $1 },
        flag("--password-stdin", "read the password from standard input (one line)") { $0.passwordStdin = true },
        number(OptionDeclaration("--kdf-cost", .word, "N",
                                 help: "scrypt cost for new keys: N is log2 of scrypt's N (default 17)"),
               Int(VaultParameters.minimumLogN)...Int(VaultParameters.maximumLogN),
               "--kdf-cost takes log2 of scrypt's N, from \(VaultParameters.minimumLogN) to "
                   + "\(VaultParameters.maximumLogN)") { $0.kdfLogN = UInt8($1) },
        number(OptionDeclaration("--lock-after", .word, "SECONDS",
                                 help: "the interface locks after this long without a key (default 300)"),
               1...Int.max, "--lock-after takes a number of seconds") { $0.lockAfter = $1 },
        number(OptionDeclaration("--clipboard-seconds", .word, "SECONDS",
                                 help: "a copied info is taken off the clipboard after this long (default 45)"),
               1...ConfigFile.maximumSeconds,
               "--clipboard-seconds takes a number of seconds from 1 to \(ConfigFile.maximumSeconds)") {
            $0.clipboardSeconds = $1
        },
        flag("--no-mouse", "the interface leaves the mouse to the terminal (or 'mouse = false')") { $0.mouse = false },
        text("--remote", .word, "URL", "sync the vault with a PostgreSQL server (or 'remote =' in the config)") {
            $0.remote = $1
        },
        flag("--no-agent", "ask for the password even when 'onions agent' holds the vault open") { $0.noAgent = true },
        flag("--from-agent", "the interface opens the vault of --user with the keys of its running\n"
                 + "'onions agent' (else the log-in screen says why); Ctrl-L in the\n"
                 + "interface locks that agent too, with or without this option") { $0.fromAgent = true },
        flag("--help", "this help; 'onions COMMAND --help' tells more about a command") { _ in },
        flag("--version", "the version and the commit it was built from") { _ in },
    ]

    /// A global option that takes a word or a file name.
    private static func text(_ name: String, _ kind: ValueKind, _ valueName: String, _ help: String,
                             _ set: @escaping @Sendable (inout GlobalOptions, String) -> Void) -> GlobalOptionDeclaration {
        GlobalOptionDeclaration(declaration: OptionDeclaration(name, kind, valueName, help: help)) { set(&$0, $1) }
    }

    /// A global switch.
    private static func flag(_ name: String, _ help: String,
                             _ set: @escaping @Sendable (inout GlobalOptions) -> Void) -> GlobalOptionDeclaration {
        GlobalOptionDeclaration(declaration: OptionDeclaration(name, help: help)) { options, _ in set(&options) }
    }

    /// A global option whose value is a whole number in `range` (else the usage error `problem`).
    private static func number(_ declaration: OptionDeclaration, _ range: ClosedRange<Int>, _ problem: String,
                               _ set: @escaping @Sendable (inout GlobalOptions, Int) -> Void) -> GlobalOptionDeclaration {
        GlobalOptionDeclaration(declaration: declaration) { options, text in
            guard let n = Int(text), range.contains(n) else { throw UsageError(problem) }
            set(&options, n)
        }
    }

    static func declaration(named name: String) -> GlobalOptionDeclaration? {
        declarations.first { $0.declaration.name == name }
    }
}
