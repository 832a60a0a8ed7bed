import OnionsCore
import OnionsCrypto

/// `onions task add|list|done|rm`: the checklist.
enum TaskCommands {
    static let usage = """
    usage: onions --user NAME task add TEXT|-
           onions --user NAME task list          lines of "[ ] ID TEXT" or "[x] ID TEXT"
           onions --user NAME task done ID [--undo]
           onions --user NAME task rm ID
    """ + "\n" + secretArgumentHint

    static func run(_ session: Session, _ list: inout ArgumentList) throws -> Int32 {
        let (sub, arguments) = try list.subcommand(usage: usage)
        var own = arguments
        switch sub {
        case "add":
            let rest = try own.positionals()
            guard rest.count == 1 else { throw UsageError("usage: onions task add TEXT|-") }
            let text = try SecretArgument.read(rest[0], FieldLimit.taskDescription)
            defer { text.wipe() }
            let id = try session.addTask(text)
            writeStdout("\(id)\n")
            return 0
        case "list":
            guard try own.positionals().isEmpty else { throw UsageError(usage) }
            for task in session.tasks {
                writeStdout(task.done ? "[x] \(task.id) " : "[ ] \(task.id) ")
                printLine(session.texts, task.text)
            }
            return 0
        case "done":
            let undo = own.flag("--undo")
            try session.setTask(try taskID(own.positionals()), done: !undo)
            return 0
        case "rm":
            try session.deleteTask(try taskID(own.positionals()))
            return 0
        default:
            throw UsageError("unknown task command '\(sub)'\n\(usage)")
        }
    }

    static func taskID(_ args: [String]) throws -> UInt16 {
        guard args.count == 1, let id = UInt16(args[0]) else { throw UsageError("name the task by its number (see 'onions task list')") }
        return id
    }
}
