import Glibc

// onions-bench: benchmarks that print figures, plus the hidden modes of the crash-safety test
// (`save-loop` and `list-titles`, see CrashVault) and the fixture builder's child mode.
let arguments = Array(CommandLine.arguments.dropFirst())

switch arguments.first {
case "save-loop" where arguments.count == 3:
    exit(CrashVault.saveLoop(store: arguments[1], stateDirectory: arguments[2]))
case "list-titles" where arguments.count == 3:
    exit(CrashVault.listTitles(store: arguments[1], stateDirectory: arguments[2]))
case VaultFixture.mode:
    exit(VaultFixture.prepareMain(Array(arguments.dropFirst())))
case "--help", "-h":
    printLine(BenchOptions.usage)
    exit(0)
default:
    do {
        exit(ScenarioRunner.runAll(try BenchOptions(arguments: arguments)))
    } catch {
        printError("\(error)")
        printError(BenchOptions.usage)
        exit(2)
    }
}
