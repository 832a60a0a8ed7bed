import Glibc
import OnionsCore

/// Top-level dispatch of `onions [global options] [command ...]`.
/// Exit codes: 0 ok, 1 error, 2 usage.
enum OnionsCommand {
    static func main(_ args: [String]) -> Int32 {
        if args.first == "rncryptor" { return RNCryptorCommand.run(Array(args.dropFirst())) }
        do {
            let (commandLine, rest) = try GlobalOptions.extract(from: args)
            let environment = ProcessEnvironment.current
            let config = ConfigFile.load(environment: environment)
            for problem in config.problems { printError("onions: warning: \(problem)") }
            let options = commandLine.filled(from: config)
            guard let command = rest.first else { return try InteractiveCommand.run(options) }
            if command == "--help" || command == "-h" || command == "help" {
                print(usage)
                return 0
            }
            if command == "config" {
                return try ConfigCommand.run(Array(rest.dropFirst()), commandLine: commandLine, config: config,
                                             environment: environment)
            }
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

    static let usage = """
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
      --remote URL          sync the vault with a PostgreSQL server (or 'remote =' in the config)

    commands:
      signup                      create a vault
      list                        titles, one per line, newest change first
      show TITLE                  print an onion's info
      add --title T [--info-file F|-]
      edit TITLE [--title NEW] [--info-file F|-]
      rm TITLE
      grep WORD                   search titles and infos (case-insensitive)
      card add|list|open|rm       cards sealed under their own password
      task add|list|done|rm       the checklist
      passwd                      change the vault password
      delete-account              delete the vault and everything in it
      import --from onions-app|backup FILE
                                  onions from the original app's export, or a sealed backup
      export --encrypted FILE | --plain FILE --i-understand-this-is-plaintext
                                  a sealed backup, or every text as JSON (mode 0600)
      config                      the effective settings and where each came from
      sync                        one sync with the server (--remote), report on stderr
      server init --url URL       install the server schema (administrator)
      rncryptor encrypt|decrypt   RNCryptor v3 files, standard input to standard output

    Without --password-file or --password-stdin the password is asked on the terminal.
    Settings: $XDG_CONFIG_HOME/onions/config (see 'onions config --help'); the command line wins.
    Exit codes: 0 ok, 1 error (or the store was tampered with), 2 usage.

    'onions COMMAND --help' tells more about a command.
    """
}
