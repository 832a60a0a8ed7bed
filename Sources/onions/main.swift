import Glibc

// The executable: argument parsing and wiring only.
exit(OnionsCommand.main(Array(CommandLine.arguments.dropFirst())))
