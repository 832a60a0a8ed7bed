import OnionsCore
import OnionsCrypto

/// A private text a command takes as an argument (a title, a task, a search word, a card's
/// recipient). Written as `-`, it is the next line of standard input instead, so that it never
/// stands in the command line, where every local user can read it (`ps`, /proc/PID/cmdline).
///
/// Standard input is read byte by byte, one line per `-`, in the order the command's synopsis
/// names them, after the password's line when `--password-stdin` is given; an `--info-file -`
/// or `--description-file -` takes what is left. A text typed on the command line is copied
/// into secret memory too, and `ArgumentScrubbing` blanks it out of the process's argv.
enum SecretArgument {
    /// The argument that means "the next line of standard input".
    static let standardInput = "-"

    /// The text of `argument` in secret memory: the next line of standard input for `-`,
    /// otherwise a copy of the argument. A line longer than `maximumBytes` is refused, naming
    /// `what`.
    static func read(_ argument: String, what: String, maximumBytes: Int) throws -> SecretBytes {
        guard argument == standardInput else { return secret(argument) }
        return try readPasswordLine(from: 0, cancelOnControlC: false, capacity: maximumBytes, what: what)
    }

    /// `read` for a text held to a field's limits (the field's byte cap bounds the line).
    static func read(_ argument: String, _ limit: FieldLimit) throws -> SecretBytes {
        try read(argument, what: limit.name, maximumBytes: limit.maxBytes)
    }
}
