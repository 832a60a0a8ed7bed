/// Every command and option of `onions` in one table: `--help` lists the commands from it,
/// `onions completion bash|zsh|fish` turns it into shell completions, and a test holds the man
/// page to it. A new command or option goes here first.
enum CommandTable {
    /// What a shell should offer after an option.
    enum Value: Equatable {
        /// The option is a switch.
        case none
        /// A file name.
        case file
        /// Any word (a name, a number, a URL).
        case word
        /// One of these words.
        case oneOf([String])
    }

    struct Option {
        let name: String
        let value: Value
    }

    struct Command {
        let name: String
        /// What follows the name in the command list, e.g. `TITLE`.
        let synopsis: String
        /// One line of what it does; empty when the synopsis says it.
        let summary: String
        let subcommands: [String]
        let options: [Option]

        init(_ name: String, _ synopsis: String = "", _ summary: String, subcommands: [String] = [],
             options: [Option] = []) {
            self.name = name
            self.synopsis = synopsis
            self.summary = summary
            self.subcommands = subcommands
            self.options = options
        }
    }

    /// Options every command understands, wherever they stand on the line.
    static let globalOptions: [Option] = [
        Option(name: "--store", value: .file),
        Option(name: "--user", value: .word),
        Option(name: "--password-file", value: .file),
        Option(name: "--password-stdin", value: .none),
        Option(name: "--kdf-cost", value: .word),
        Option(name: "--lock-after", value: .word),
        Option(name: "--clipboard-seconds", value: .word),
        Option(name: "--no-mouse", value: .none),
        Option(name: "--remote", value: .word),
        Option(name: "--no-agent", value: .none),
        Option(name: "--from-agent", value: .none),
        Option(name: "--help", value: .none),
        Option(name: "--version", value: .none),
    ]

    /// `--weak-ok`: use a new password zxcvbn calls weak without asking.
    static let weakOK = Option(name: "--weak-ok", value: .none)

    /// `--json`: one JSON document instead of text.
    static let json = Option(name: "--json", value: .none)

    static let commands: [Command] = [
        Command("signup", "", "create a vault", options: [weakOK]),
        Command("list", "", "titles, one per line, newest change first", options: [json]),
        Command("show", "TITLE|-", "print an onion's info", options: [json]),
        Command("add", "--title T|- [--info-file F|-]", "",
                options: [Option(name: "--title", value: .word), Option(name: "--info-file", value: .file)]),
        Command("edit", "TITLE|- [--title NEW|-] [--info-file F|-]", "",
                options: [Option(name: "--title", value: .word), Option(name: "--info-file", value: .file)]),
        Command("rm", "TITLE|-", ""),
        Command("grep", "WORD|-", "search titles and infos (case-insensitive)", options: [json]),
        Command("card", "add|list|open|rm", "cards sealed under their own password",
                subcommands: ["add", "list", "open", "rm"],
                options: [Option(name: "--to", value: .word), Option(name: "--description-file", value: .file),
                          Option(name: "--card-password-file", value: .file), weakOK, json]),
        Command("task", "add|list|done|rm", "the checklist", subcommands: ["add", "list", "done", "rm"],
                options: [Option(name: "--undo", value: .none), json]),
        Command("passwd", "", "change the vault password",
                options: [Option(name: "--new-password-file", value: .file), weakOK, Option(name: "--rotate", value: .none)]),
        Command("delete-account", "", "delete the vault and everything in it",
                options: [Option(name: "--yes", value: .none)]),
        Command("accept-rollback", "", "go on from a store that lost or rolled back records"),
        Command("import", "--from onions-app|backup FILE",
                "onions from the original app's export, or a sealed backup",
                options: [Option(name: "--from", value: .oneOf(["onions-app", "backup"])),
                          Option(name: "--old-password-file", value: .file)]),
        Command("export", "--encrypted FILE | --plain FILE --i-understand-this-is-plaintext",
                "a sealed backup, or every text as JSON (mode 0600)",
                options: [Option(name: "--encrypted", value: .file), Option(name: "--plain", value: .file),
                          Option(name: "--i-understand-this-is-plaintext", value: .none),
                          Option(name: "--card-password-file", value: .file), Option(name: "--force", value: .none)]),
        Command("config", "", "the effective settings and where each came from", options: [json]),
        Command("sync", "", "one sync with the server (--remote), report on stderr", options: [json]),
        Command("agent", "", "unlock once and serve the commands until it locks",
                options: [Option(name: "--foreground", value: .none)]),
        Command("lock", "", "lock the running agent"),
        Command("server", "init|status --url ADMIN_URL", "set up a server for many people, or see how it does",
                subcommands: ["init", "status"], options: [Option(name: "--url", value: .word), json]),
        Command("rncryptor", "encrypt|decrypt", "RNCryptor v3 files, standard input to standard output",
                subcommands: ["encrypt", "decrypt"],
                options: [Option(name: "--password-file", value: .file), Option(name: "--enc-key-file", value: .file),
                          Option(name: "--hmac-key-file", value: .file), Option(name: "--enc-key", value: .word),
                          Option(name: "--hmac-key", value: .word), Option(name: "--iterations", value: .word),
                          Option(name: "--prf", value: .oneOf(["sha1", "sha512"])),
                          Option(name: "--base64", value: .none)]),
        Command("completion", "bash|zsh|fish", "a shell completion script, to standard output",
                subcommands: ["bash", "zsh", "fish"]),
        Command("version", "", "the version and the commit it was built from"),
    ]

    /// The "commands:" part of `onions --help`: the synopsis, and the summary beside it when it
    /// fits or on the next line when it does not.
    static var commandList: String {
        let column = 30
        var lines: [String] = []
        for command in commands {
            let head = "  " + ([command.name, command.synopsis].filter { !$0.isEmpty }.joined(separator: " "))
            if command.summary.isEmpty {
                lines.append(head)
            } else if head.count < column - 1 {
                lines.append(head + String(repeating: " ", count: column - head.count) + command.summary)
            } else {
                lines.append(head)
                lines.append(String(repeating: " ", count: column + 2) + command.summary)
            }
        }
        return lines.joined(separator: "\n")
    }
}
