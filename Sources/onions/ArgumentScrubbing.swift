import Glibc

/// Blanks the command line the kernel shows for this process.
///
/// Every local user can read a process's arguments (`ps`, /proc/PID/cmdline), and a title, a
/// task or a key may stand among them. Once the arguments are copied into the program's own
/// memory, the original argument strings are overwritten with zero bytes, so that the process
/// shows only its name from then on. This does not close the moment before (the arguments are
/// readable from the start of the process until this runs): the `-` form of `SecretArgument`
/// and the key and password files keep a secret out of argv altogether.
enum ArgumentScrubbing {
    /// Overwrites every argument after the program's name with zero bytes. Call once, after
    /// `CommandLine.arguments` has been read.
    static func blankArguments() {
        let argv = CommandLine.unsafeArgv
        for index in 1..<max(1, Int(CommandLine.argc)) {
            guard let argument = argv[index] else { continue }
            memset(argument, 0, strlen(argument))
        }
    }
}
