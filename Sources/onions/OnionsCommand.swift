import OnionsCore
import OnionsCrypto
import OnionsStore

/// Top-level dispatch of `onions [global options] [command ...]`: the whole line is parsed and
/// checked against the declarations before any password is asked or store opened.
/// Exit codes: 0 ok, 1 error, 2 usage.
enum OnionsCommand {
    /// The words after the program's name, as `main` was given them (for a second start).
    nonisolated(unsafe) static var arguments: [String] = []

    static func main(_ args: [String]) -> Int32 {
        exitCode {
            let line = try CommandLineParser.parse(args)
            arguments = args
            // Before any secret: the allocator setting (a second start), except for help, the
            // version and a command the agent may run (VaultRun restarts if it cannot).
            if !line.help && !line.version && !AgentClient.mayRun(line) {
                ProcessHardening.hardenAllocator(arguments: args)
            }
            if line.help {
                writeStdout(CommandHelp.text(for: line.path) + "\n")
                return 0
            }
            if line.version { return BuildInfo.printVersion() }
            if case .standalone(let run)? = line.command?.action {
                try CommandLineParser.validate(line, GlobalOptions())
                return try run(line.arguments)
            }
            let environment = ProcessEnvironment.current
            let config = ConfigFile.load(environment: environment)
            let options = line.global.filled(from: config)
            try CommandLineParser.validate(line, options)
            // A start after the agent could not run the command said these already.
            if !ProcessHardening.restartedAfterAgent {
                for problem in config.problems { printError("onions: warning: \(problem)") }
                if let remote = options.remote, let warning = PostgresTLS.warning(url: remote, environment: environment) {
                    printError("onions: warning: \(warning)")
                }
            }
            guard let command = line.command else { return try InteractiveCommand.run(options) }
            switch command.action {
            case .plain(let run):
                return try run(line.arguments, Invocation(options: options, commandLine: line.global, config: config,
                                                          environment: environment))
            case .vault(let action):
                return try VaultRun.run(action, line, options)
            case .standalone, .group:
                return 2  // run or refused above
            }
        }
    }

    /// Runs `body` and turns what it throws into an exit code and a line on standard error:
    /// 2 for a usage mistake, 1 for anything else.
    static func exitCode(_ body: () throws -> Int32) -> Int32 {
        do {
            return try body()
        } catch let e as UsageError {
            printError("onions: \(e.message)")
            return 2
        } catch {
            printError("onions: \(error)")
            return 1
        }
    }
}
