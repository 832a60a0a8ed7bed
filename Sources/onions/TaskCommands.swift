import OnionsCore
import OnionsCrypto

/// `onions task add|list|done|rm`: the checklist.
enum TaskCommands {
    static let usage = """
    usage: onions --user NAME task add TEXT|-
           onions --user NAME task list [--json] lines of "[ ] ID TEXT" or "[x] ID TEXT";
                                                 --json: {"tasks": [{"id": N, "done": B, "text": ...}]}
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
            let id = try session.afterPeers { try session.addTask(text) }
            writeStdout("\(id)\n")
            return 0
        case "list":
            let json = own.flag("--json")
            guard try own.positionals().isEmpty else { throw UsageError(usage) }
            if json {
                try JSONOutput.write { out in
                    try out.raw("{")
                    try out.key("tasks")
                    try out.array(session.tasks) { task in
                        try out.raw("{\"id\":\(task.id),\"done\":\(task.done),")
                        try out.key("text")
                        try out.string(session.texts, task.text)
                        try out.raw("}")
                    }
                    try out.raw("}")
                }
                return 0
            }
            for task in session.tasks {
                writeStdout(task.done ? "[x] \(task.id) " : "[ ] \(task.id) ")
                printLine(session.texts, task.text)
            }
            return 0
        case "done":
            let undo = own.flag("--undo")
            let id = try taskID(own.positionals())
            let base = try seen(session, id)
            defer { base.wipe() }
            _ = try session.saveTask(text: nil, done: !undo, since: base)
            return 0
        case "rm":
            let id = try taskID(own.positionals())
            let base = try seen(session, id)
            defer { base.wipe() }
            guard try session.deleteTask(since: base) else {
                throw CommandFailure("task \(id) was changed by another program meanwhile; it is kept")
            }
            return 0
        default:
            throw UsageError("unknown task command '\(sub)'\n\(usage)")
        }
    }

    /// Task `id` as the store holds it now: what `done` and `rm` change (merged by the rules of
    /// sync when another program changes it before the save lands).
    private static func seen(_ session: Session, _ id: UInt16) throws -> TaskBase {
        try session.catchUpWithPeers()
        guard let base = session.taskBase(of: id) else { throw VaultError.noSuchItem("task \(id)") }
        return base
    }

    static func taskID(_ args: [String]) throws -> UInt16 {
        guard args.count == 1, let id = UInt16(args[0]) else { throw UsageError("name the task by its number (see 'onions task list')") }
        return id
    }
}
