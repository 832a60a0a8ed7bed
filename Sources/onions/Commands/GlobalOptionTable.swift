import OnionsCore

/// A global option: its declaration and what it sets.
struct GlobalOptionDeclaration: Sendable {
    let declaration: OptionDeclaration
    let apply: @Sendable (inout GlobalOptions, String) throws -> Void
}

extension GlobalOptions {
    /// The options every command understands, wherever they stand on the line (before `--`).
    static let declarations: [GlobalOptionDeclaration] = [
        GlobalOptionDeclaration(declaration: OptionDeclaration(
            "--store", .file, "PATH", help: "the SQLite store (default $XDG_DATA_HOME/onions/onions.db)")) {
            $0.storePath = $1
        },
        GlobalOptionDeclaration(declaration: OptionDeclaration(
            "--user", .word, "NAME", help: "the vault's user (or $ONIONS_USER)")) { $0.user = $1 },
        GlobalOptionDeclaration(declaration: OptionDeclaration(
            "--password-file", .file, "FILE", help: "read the password from FILE (one line)")) {
            $0.passwordFile = $1
        },
        GlobalOptionDeclaration(declaration: OptionDeclaration(
            "--password-stdin", help: "read the password from standard input (one line)")) { o, _ in
            o.passwordStdin = true
        },
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
        GlobalOptionDeclaration(declaration: OptionDeclaration(
            "--no-mouse", help: "the interface leaves the mouse to the terminal (or 'mouse = false')")) { o, _ in
            o.mouse = false
        },
        GlobalOptionDeclaration(declaration: OptionDeclaration(
            "--remote", .word, "URL", help: "sync the vault with a PostgreSQL server (or 'remote =' in the config)")) {
            $0.remote = $1
        },
        GlobalOptionDeclaration(declaration: OptionDeclaration(
            "--no-agent", help: "ask for the password even when 'onions agent' holds the vault open")) { o, _ in
            o.noAgent = true
        },
        GlobalOptionDeclaration(declaration: OptionDeclaration(
            "--from-agent", help: "the interface opens the vault of --user with the keys of its running\n"
                + "'onions agent' (else the log-in screen says why); Ctrl-L in the\n"
                + "interface locks that agent too, with or without this option")) { o, _ in
            o.fromAgent = true
        },
        GlobalOptionDeclaration(declaration: OptionDeclaration(
            "--help", help: "this help; 'onions COMMAND --help' tells more about a command")) { _, _ in },
        GlobalOptionDeclaration(declaration: OptionDeclaration(
            "--version", help: "the version and the commit it was built from")) { _, _ in },
    ]

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
