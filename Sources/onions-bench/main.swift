import Glibc

// onions-bench: benchmarks that print figures, plus the fixture builder's child mode.
let arguments = Array(CommandLine.arguments.dropFirst())

switch arguments.first {
case VaultFixture.mode:
    exit(VaultFixture.prepareMain(Array(arguments.dropFirst())))
case ScenarioRunner.childMode:
    exit(ScenarioRunner.childMain(Array(arguments.dropFirst())))
case SyncWriter.mode:
    exit(SyncWriter.main(Array(arguments.dropFirst())))
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
