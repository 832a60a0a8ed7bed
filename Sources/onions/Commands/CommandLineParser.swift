/// A whole command line parsed against the declarations, before anything runs: the global
/// options, the command (and subcommand), its options and positionals.
struct ParsedLine {
    var global = GlobalOptions()
    /// The command and, for a group, its subcommand; empty without a command.
    var path: [CommandDeclaration] = []
    var arguments = Arguments()
    /// The command's words without the global options (`--` kept): what the agent parses again.
    var commandWords: [String] = []
    /// `--help`, `-h` or the word `help` before `--`: print the help of `path` instead.
    var help = false
    /// `--version`.
    var version = false

    /// The command that runs (the subcommand of a group).
    var command: CommandDeclaration? { path.last }

    /// `card add`, `list`: the words that name the command.
    var name: String { path.map(\.name).joined(separator: " ") }
}

/// Parses a command line against `CommandTable`. Options stand anywhere before `--`; after it
/// every word is a positional. `--name=value` is `--name value`. An unknown command, option or
/// bad value is a `UsageError` (exit 2) naming the command's usage.
enum CommandLineParser {
    static func parse(_ args: [String], commands: [CommandDeclaration] = CommandTable.commands) throws -> ParsedLine {
        var line = ParsedLine()
        var endOfOptions = false
        var i = 0
        func usageLine() -> String {
            guard let command = line.command else { return "see 'onions --help'" }
            let prefix = line.path.dropLast().map(\.name).joined(separator: " ")
            return "usage: onions \(command.synopsis(prefix: prefix)) (see 'onions \(line.name) --help')"
        }
        while i < args.count {
            let word = args[i]
            i += 1
            if !endOfOptions && word == "--" {
                endOfOptions = true
                line.commandWords.append(word)
                continue
            }
            if !endOfOptions && (word == "--help" || word == "-h") {
                line.help = true
                continue
            }
            if !endOfOptions && word.hasPrefix("-") && word != "-" {
                var name = word
                var inline: String?
                if word.hasPrefix("--"), let eq = word.firstIndex(of: "=") {
                    name = String(word[..<eq])
                    inline = String(word[word.index(after: eq)...])
                }
                func value() throws -> String {
                    if let inline { return inline }
                    guard i < args.count else { throw UsageError("\(name) needs a value; \(usageLine())") }
                    i += 1
                    return args[i - 1]
                }
                if let own = line.command?.option(named: name) {
                    if own.kind == .none {
                        guard inline == nil else { throw UsageError("\(name) takes no value; \(usageLine())") }
                        line.arguments.switches.insert(name)
                        line.commandWords.append(name)
                    } else {
                        let text = try value()
                        try check(text, for: own)
                        line.arguments.values[name] = text
                        line.commandWords += [name, text]
                    }
                    continue
                }
                // Commands that run on their own (rncryptor, completion, version) take no global options.
                let standalone: Bool
                let first = line.path.first.map { $0.subcommands.first ?? $0 }
                if case .standalone? = first?.action { standalone = true } else { standalone = false }
                if !standalone, let global = GlobalOptions.declaration(named: name) {
                    if name == "--version" {
                        line.version = true
                    } else if global.declaration.kind == .none {
                        guard inline == nil else { throw UsageError("\(name) takes no value") }
                        try global.apply(&line.global, "")
                    } else {
                        try global.apply(&line.global, try value())
                    }
                    continue
                }
                throw UsageError("unknown option \(name)" + (line.command == nil ? " (see 'onions --help')"
                                                              : " for '\(line.name)'; \(usageLine())"))
            }
            guard let current = line.command else {
                if word == "help" && !endOfOptions {
                    line.help = true
                    continue
                }
                guard let command = commands.first(where: { $0.name == word }) else {
                    throw UsageError("unknown command '\(word)' (see 'onions --help')")
                }
                line.path.append(command)
                line.commandWords.append(word)
                continue
            }
            if case .group = current.action {
                guard let sub = current.subcommand(named: word) else {
                    throw UsageError("unknown \(current.name) command '\(word)'; \(usageLine())")
                }
                line.path.append(sub)
                line.commandWords.append(word)
                continue
            }
            line.arguments.positionals.append(word)
            line.commandWords.append(word)
        }
        return line
    }

    /// Checks the line as a whole once parsed: a group names a subcommand, required options
    /// are there, the positionals fit, and the command's own `validate` passes.
    static func validate(_ line: ParsedLine, _ options: GlobalOptions) throws {
        guard let command = line.command else { return }
        let prefix = line.path.dropLast().map(\.name).joined(separator: " ")
        let usage = "usage: onions \(command.synopsis(prefix: prefix))"
        if case .group = command.action {
            throw UsageError("\(line.name) needs one of \(command.subcommands.map(\.name).joined(separator: ", ")); "
                             + "\(usage) (see 'onions \(line.name) --help')")
        }
        for option in command.options where option.required && line.arguments.value(option.name) == nil {
            throw UsageError("\(line.name) needs \(option.usage); \(usage)")
        }
        let given = line.arguments.positionals.count
        let most = command.positionals.count
        let least = command.positionals.filter { !$0.optional }.count
        guard (least...most).contains(given) else {
            if most == 0 { throw UsageError("\(line.name) takes no arguments; \(usage)") }
            throw UsageError(usage)
        }
        try command.validate(line.arguments, options)
    }

    /// A value checked against its option's kind.
    private static func check(_ text: String, for option: OptionDeclaration) throws {
        switch option.kind {
        case .number(let range):
            guard let n = Int(text), range.contains(n) else {
                throw UsageError("\(option.name) takes a whole number from \(range.lowerBound) to \(range.upperBound), "
                                 + "not '\(text)'")
            }
        case .oneOf(let choices):
            guard choices.contains(text) else {
                throw UsageError("\(option.name) takes \(choices.joined(separator: " or ")), not '\(text)'")
            }
        case .none, .file, .word:
            break
        }
    }
}
