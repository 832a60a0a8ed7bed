import OnionsCore

/// What an option takes after its name; shells complete by it and the parser checks it.
enum ValueKind: Equatable, Sendable {
    /// A switch: no value.
    case none
    /// A file name.
    case file
    /// Any word (a name, a URL, a text or `-`).
    case word
    /// A whole number in the range.
    case number(ClosedRange<Int>)
    /// One of these words.
    case oneOf([String])
}

/// One option of a command, or a global one.
struct OptionDeclaration: Sendable {
    let name: String
    let kind: ValueKind
    /// What the usage shows for the value, e.g. `FILE` or `T|-`; empty for a switch.
    let valueName: String
    /// One line for `--help` (a `\n` continues it on the next line).
    let help: String
    /// A required option stands outside brackets in the synopsis and its absence is a usage error.
    let required: Bool

    init(_ name: String, _ kind: ValueKind = .none, _ valueName: String = "", required: Bool = false,
         help: String) {
        self.name = name
        self.kind = kind
        if valueName.isEmpty, case .oneOf(let choices) = kind {
            self.valueName = choices.joined(separator: "|")
        } else {
            self.valueName = valueName
        }
        self.help = help
        self.required = required
    }

    /// `--name VALUE`, or `--name` for a switch.
    var usage: String { valueName.isEmpty ? name : "\(name) \(valueName)" }
}

/// A word a command takes after its options, e.g. `TITLE|-`.
struct PositionalDeclaration: Sendable {
    let name: String
    var optional = false
}

/// The words of one command after parsing: option values, switches and positionals.
struct Arguments {
    var values: [String: String] = [:]
    var switches: Set<String> = []
    var positionals: [String] = []

    func value(_ name: String) -> String? { values[name] }
    func flag(_ name: String) -> Bool { switches.contains(name) }
    /// The value of a `.number` option (checked by the parser).
    func number(_ name: String) -> Int? { values[name].flatMap { Int($0) } }
}

/// What a command needs to run: the options from the line and the config file.
struct Invocation {
    /// Global options from the command line, completed by the config file.
    let options: GlobalOptions
    /// Global options as the command line gave them.
    let commandLine: GlobalOptions
    let config: ConfigFile
    let environment: [String: String]
}

/// What a vault command gets besides its arguments and the open session.
struct VaultContext {
    let options: GlobalOptions
    /// What the log in that opened the session synced (nil in the agent, whose session is older).
    let atLogIn: SyncReport?
}

/// How a command runs.
enum CommandAction: Sendable {
    /// Without global options or the config file (version, completion, rncryptor).
    case standalone(@Sendable (Arguments) throws -> Int32)
    /// With the global options; opens a vault its own way if at all.
    case plain(@Sendable (Arguments, Invocation) throws -> Int32)
    /// On an open vault: in this process after the password, or in the vault's agent.
    case vault(VaultAction)
    /// A group: the next word names one of its subcommands.
    case group
}

/// A command on an open vault.
struct VaultAction: Sendable {
    /// The store opens read-only (unless a remote is configured).
    var readsOnly = false
    /// Whether the vault's agent runs it with these arguments (it asks nothing on the terminal).
    var agentRuns: @Sendable (Arguments) -> Bool = { _ in false }
    /// The command runs and reports a sync round itself: the log in reports none, and the
    /// finish runs none.
    var syncsItself = false
    /// The command's own result stands even when the vault noticed problems (it deals with them).
    var resultStands = false
    /// Runs in the calling process before the command (here or in the agent), e.g. to note
    /// tmux's paste buffers before a copy.
    var beforehand: (@Sendable (Arguments) -> Void)?
    /// Runs in the calling process after the command went well (here or in the agent), e.g.
    /// to leave the process that clears the clipboard.
    var afterward: (@Sendable (Arguments, GlobalOptions) -> Void)?
    let run: @Sendable (Arguments, Session, VaultContext) throws -> Int32

    init(readsOnly: Bool = false, agentRuns: @escaping @Sendable (Arguments) -> Bool = { _ in false },
         syncsItself: Bool = false, resultStands: Bool = false,
         beforehand: (@Sendable (Arguments) -> Void)? = nil,
         afterward: (@Sendable (Arguments, GlobalOptions) -> Void)? = nil,
         run: @escaping @Sendable (Arguments, Session, VaultContext) throws -> Int32) {
        (self.readsOnly, self.agentRuns, self.syncsItself) = (readsOnly, agentRuns, syncsItself)
        (self.resultStands, self.beforehand, self.afterward, self.run) = (resultStands, beforehand, afterward, run)
    }
}

/// One command: everything the parser, `--help`, the completions and the man page test know
/// about it, and what it runs. `CommandTable.commands` lists them.
struct CommandDeclaration: Sendable {
    let name: String
    /// One line of what it does.
    let summary: String
    /// More help, printed after the options by `--help`.
    let details: String
    let options: [OptionDeclaration]
    let positionals: [PositionalDeclaration]
    let subcommands: [CommandDeclaration]
    /// Checks the arguments together (after parsing, before any password or store).
    let validate: @Sendable (Arguments, GlobalOptions) throws -> Void
    let action: CommandAction

    init(_ name: String, summary: String, details: String = "", options: [OptionDeclaration] = [],
         positionals: [PositionalDeclaration] = [], subcommands: [CommandDeclaration] = [],
         validate: @escaping @Sendable (Arguments, GlobalOptions) throws -> Void = { _, _ in },
         action: CommandAction) {
        (self.name, self.summary, self.details) = (name, summary, details)
        (self.options, self.positionals, self.subcommands) = (options, positionals, subcommands)
        (self.validate, self.action) = (validate, action)
    }

    /// A group of subcommands, each declared on its own.
    static func group(_ name: String, summary: String, details: String = "",
                      _ subcommands: [CommandDeclaration]) -> CommandDeclaration {
        CommandDeclaration(name, summary: summary, details: details, subcommands: subcommands, action: .group)
    }

    /// What follows `onions` for this command (`prefix` names its group): required options,
    /// positionals, then the optional options in brackets.
    func synopsis(prefix: String = "") -> String {
        let head = prefix.isEmpty ? name : "\(prefix) \(name)"
        if !subcommands.isEmpty { return "\(head) " + subcommands.map(\.name).joined(separator: "|") }
        var words = [head]
        words += options.filter(\.required).map(\.usage)
        words += positionals.map { $0.optional ? "[\($0.name)]" : $0.name }
        words += options.filter { !$0.required }.map { "[\($0.usage)]" }
        return words.joined(separator: " ")
    }

    /// Every option of the command and its subcommands, each once.
    var allOptions: [OptionDeclaration] {
        var seen = Set<String>()
        return (options + subcommands.flatMap(\.allOptions)).filter { seen.insert($0.name).inserted }
    }

    func option(named name: String) -> OptionDeclaration? { options.first { $0.name == name } }

    func subcommand(named name: String) -> CommandDeclaration? { subcommands.first { $0.name == name } }
}
