import Glibc
import OnionsCrypto

// The executable: argument parsing and wiring only.
ProcessHardening.apply()
var status = OnionsCommand.main(Array(CommandLine.arguments.dropFirst()))
if StandardOutput.failed && status == 0 {
    printError("onions: standard output could not be written; what it shows is incomplete")
    status = 1
}
exit(status)
