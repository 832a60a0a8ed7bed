import Glibc
import OnionsCrypto

// The executable: argument parsing and wiring only.
ProcessHardening.apply()
exit(OnionsCommand.main(Array(CommandLine.arguments.dropFirst())))
