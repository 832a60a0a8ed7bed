import Glibc
import OnionsCrypto

// The executable: argument parsing and wiring only.
ProcessHardening.apply()
let arguments: [String]
do {
    arguments = try ArgumentHandoff.received() ?? Array(CommandLine.arguments.dropFirst())
} catch {
    printError("onions: \(error)")
    exit(1)
}
ArgumentScrubbing.blankArguments()
var status = OnionsCommand.main(arguments)
if StandardOutput.failed && status == 0 && !StandardOutput.readerGone {
    printError("onions: standard output could not be written; what it shows is incomplete")
    status = 1
}
exit(status)
