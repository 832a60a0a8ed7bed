import Glibc
import OnionsCrypto

// The executable: argument parsing and wiring only.
ProcessHardening.apply()
let arguments = Array(CommandLine.arguments.dropFirst())
ArgumentScrubbing.blankArguments()
var status = OnionsCommand.main(arguments)
if StandardOutput.failed && status == 0 {
    printError("onions: standard output could not be written; what it shows is incomplete")
    status = 1
}
exit(status)
