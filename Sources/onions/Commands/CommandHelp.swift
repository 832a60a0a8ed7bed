/// The help texts, all made from the declarations: `onions --help`, `onions COMMAND --help`
/// and the one-line usage of each command.
enum CommandHelp {
    /// The help of the command `path` names (the main help when it is empty).
    static func text(for path: [CommandDeclaration]) -> String {
        guard let command = path.last else { return main }
        let prefix = path.dropLast().map(\.name).joined(separator: " ")
        var lines = [text(for: command, prefix: prefix)]
        // A subcommand's help ends with what its group says of them all.
        if path.count > 1, let group = path.first, !group.details.isEmpty { lines.append(group.details) }
        // Commands that run without global options (rncryptor, completion, version) do not say so.
        if case .standalone = (command.subcommands.first ?? command).action {} else {
            lines.append("Global options (see 'onions --help') may stand anywhere before '--'; after '--' every word\n"
                         + "is an argument, even one that starts with '-'.")
        }
        return lines.joined(separator: "\n\n")
    }

    /// `usage: onions [options] SYNOPSIS` lines of a command (one per subcommand of a group).
    static func usageLines(for command: CommandDeclaration, prefix: String = "") -> [String] {
        let full = prefix.isEmpty ? command.name : "\(prefix) \(command.name)"
        if command.subcommands.isEmpty { return ["onions [options] " + command.synopsis(prefix: prefix)] }
        return command.subcommands.flatMap { usageLines(for: $0, prefix: full) }
    }

    /// Every synopsis line, in the order of the table: what the man page's SYNOPSIS shows.
    static var synopsisLines: [String] {
        ["onions [options]"] + CommandTable.commands.flatMap { usageLines(for: $0) }
    }

    private static func text(for command: CommandDeclaration, prefix: String) -> String {
        let full = prefix.isEmpty ? command.name : "\(prefix) \(command.name)"
        let usage = usageLines(for: command, prefix: prefix)
        var lines = ["usage: " + usage[0]] + usage.dropFirst().map { "       " + $0 }
        lines.append("  " + command.summary)
        if command.subcommands.isEmpty {
            if !command.options.isEmpty { lines += [""] + optionLines(command.options) }
        } else {
            for sub in command.subcommands {
                lines += ["", "\(full) \(sub.name): \(sub.summary)"]
                lines += optionLines(sub.options)
                if !sub.details.isEmpty { lines.append(sub.details) }
            }
        }
        if !command.details.isEmpty { lines += ["", command.details] }
        return lines.joined(separator: "\n")
    }

    /// `  --name VALUE   help`, the help in a column (on the next line when the name is long).
    static func optionLines(_ options: [OptionDeclaration]) -> [String] {
        let column = 24
        var lines: [String] = []
        for option in options {
            let head = "  " + option.usage
            let help = option.help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if head.count < column - 1 {
                lines.append(head + String(repeating: " ", count: column - head.count) + help[0])
            } else {
                lines.append(head)
                lines.append(String(repeating: " ", count: column) + help[0])
            }
            lines += help.dropFirst().map { String(repeating: " ", count: column) + $0 }
        }
        return lines
    }

    /// The "commands:" part of `onions --help`: the synopsis, and the summary beside it when it
    /// fits or on the next line when it does not.
    static var commandList: String {
        let column = 30
        var lines: [String] = []
        for command in CommandTable.commands {
            let head = "  " + command.synopsis()
            if head.count < column - 1 {
                lines.append(head + String(repeating: " ", count: column - head.count) + command.summary)
            } else {
                lines.append(head)
                lines.append(String(repeating: " ", count: column) + command.summary)
            }
        }
        return lines.joined(separator: "\n")
    }

    static var main: String { """
    usage: onions [options]             the full-screen interface
           onions [options] COMMAND ...  scripting the same vault

    options (any command):
    \(optionLines(GlobalOptions.declarations.map(\.declaration)).joined(separator: "\n"))

    commands:
    \(commandList)

    Without --password-file or --password-stdin the password is asked on the terminal, unless
    'onions agent' holds the vault open.
    Other users can read a command line: write '-' for a title, text or word to read it from the next
    line of standard input instead (after the password's line with --password-stdin).
    '--' ends the options: every word after it is an argument (a title that starts with '-').
    Settings: $XDG_CONFIG_HOME/onions/config (see 'onions config --help'); the command line wins.
    Exit codes: 0 ok, 1 error (or the store was tampered with, or grep found nothing), 2 usage.

    'onions COMMAND --help' tells more about a command.
    """ }
}
