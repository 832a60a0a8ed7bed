import Glibc
import OnionsCore
import OnionsStore

/// Top-level dispatch of `onions [global options] [command ...]`.
/// Exit codes: 0 ok, 1 error, 2 usage.
enum OnionsCommand {
    static func main(_ args: [String]) -> Int32 {
        if args.first == "rncryptor" { return RNCryptorCommand.run(Array(args.dropFirst())) }
        if args.first == "--version" || args.first == "version" { return BuildInfo.printVersion(Array(args.dropFirst())) }
        if args.first == "completion" { return completion(Array(args.dropFirst())) }
        do {
            let (commandLine, rest) = try GlobalOptions.extract(from: args)
            let environment = ProcessEnvironment.current
            let config = ConfigFile.load(environment: environment)
            for problem in config.problems { printError("onions: warning: \(problem)") }
            let options = commandLine.filled(from: config)
            if let remote = options.remote, let warning = PostgresTLS.warning(url: remote, environment: environment) {
                printError("onions: warning: \(warning)")
            }
            guard let command = rest.first else { return try InteractiveCommand.run(options) }
            if command == "--help" || command == "-h" || command == "help" {
                print(usage)
                return 0
            }
            if command == "config" {
                return try ConfigCommand.run(Array(rest.dropFirst()), commandLine: commandLine, config: config,
                                             environment: environment)
            }
            if command == "agent" { return try AgentCommand.run(Array(rest.dropFirst()), options) }
            if command == "lock" { return try AgentCommand.lock(Array(rest.dropFirst()), options) }
            if !options.noAgent, let status = AgentClient.run(rest, options) { return status }
            if command == "server" { return try ServerCommand.run(Array(rest.dropFirst())) }
            if command == "sync" { return try SyncCommand.run(Array(rest.dropFirst()), options) }
            if command == "import" { return try ImportCommand.run(Array(rest.dropFirst()), options) }
            if command == "export" { return try ExportCommand.run(Array(rest.dropFirst()), options) }
            guard VaultCommands.names.contains(command) else {
                printError("onions: unknown command '\(command)' (see 'onions --help')")
                return 2
            }
            return try VaultCommands.run(command, Array(rest.dropFirst()), options)
        } catch let e as UsageError {
            printError("onions: \(e.message)")
            return 2
        } catch {
            printError("onions: \(error)")
            return 1
        }
    }

    /// `onions completion bash|zsh|fish`: the completion script for that shell.
    static func completion(_ args: [String]) -> Int32 {
        if args == ["--help"] || args == ["-h"] {
            print(completionUsage)
            return 0
        }
        guard args.count == 1, let script = CompletionScript.script(for: args[0]) else {
            printError("onions: \(completionUsage)")
            return 2
        }
        print(script, terminator: "")
        return 0
    }

    static let completionUsage = """
    usage: onions completion bash|zsh|fish
      prints a completion script for the shell, made from the same table as --help; e.g.
      onions completion bash > ~/.local/share/bash-completion/completions/onions
    """

    static var usage: String { """
    usage: onions [options]             the full-screen interface
           onions [options] COMMAND ...  scripting the same vault

    options (any command):
      --store PATH          the SQLite store (default $XDG_DATA_HOME/onions/onions.db)
      --user NAME           the vault's user (or $ONIONS_USER)
      --password-file FILE  read the password from FILE (one line)
      --password-stdin      read the password from standard input (one line)
      --kdf-cost N          scrypt cost for new keys: N is log2 of scrypt's N (default 17)
      --lock-after SECONDS  the interface locks after this long without a key (default 300)
      --clipboard-seconds SECONDS
                            a copied info is taken off the clipboard after this long (default 45)
      --no-mouse            the interface leaves the mouse to the terminal (or 'mouse = false')
      --remote URL          sync the vault with a PostgreSQL server (or 'remote =' in the config)
      --no-agent            ask for the password even when 'onions agent' holds the vault open
      --from-agent          the interface opens the vault of --user with the keys of its running
                            'onions agent' (else the log-in screen says why); Ctrl-L in the
                            interface locks that agent too, with or without this option
      --version             the version and the commit it was built from

    commands:
    \(CommandTable.commandList)

    Without --password-file or --password-stdin the password is asked on the terminal, unless
    'onions agent' holds the vault open.
    Other users can read a command line: write '-' for a title, text or word to read it from the next
    line of standard input instead (after the password's line with --password-stdin).
    Settings: $XDG_CONFIG_HOME/onions/config (see 'onions config --help'); the command line wins.
    Exit codes: 0 ok, 1 error (or the store was tampered with, or grep found nothing), 2 usage.

    'onions COMMAND --help' tells more about a command.
    """ }
}
