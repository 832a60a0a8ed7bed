import Glibc

/// Top-level dispatch of `onions [global options] [command ...]`.
/// Exit codes: 0 ok, 1 error, 2 usage.
enum OnionsCommand {
    static func main(_ args: [String]) -> Int32 {
        guard let first = args.first else {
            return 0  // the UI arrives with the UI issue
        }
        switch first {
        case "rncryptor":
            return RNCryptorCommand.run(Array(args.dropFirst()))
        case "--help", "-h", "help":
            print(usage)
            return 0
        default:
            printError("onions: unknown command '\(first)' (see 'onions --help')")
            return 2
        }
    }

    static let usage = """
    usage: onions [command] [options]

    commands:
      rncryptor encrypt|decrypt   RNCryptor v3 files, standard input to standard output

    'onions COMMAND --help' tells more about a command.
    """
}
