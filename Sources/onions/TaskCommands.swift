import OnionsCore
import OnionsCrypto

/// `onions task add|list|done|rm`: the checklist.
enum TaskCommands {
    static let id = PositionalDeclaration(name: "ID")

    static let group = CommandDeclaration.group("task", summary: "the checklist", details: secretArgumentHint,
                                                [add, list, done, remove])

    static let add = CommandDeclaration(
        "add", summary: "a new task; prints its number", positionals: [PositionalDeclaration(name: "TEXT|-")],
        action: .vault(VaultAction(agentRuns: { _ in true }) { arguments, session, _ in
            let text = try SecretArgument.read(arguments.positionals[0], FieldLimit.taskDescription)
            defer { text.wipe() }
            let id = try session.afterPeers { try session.addTask(text) }
            writeStdout("\(id)\n")
            return 0
        }))

    static let list = CommandDeclaration(
        "list", summary: "lines of \"[ ] ID TEXT\" or \"[x] ID TEXT\", in the order set in the interface",
        details: "  ID is the number 'task done' and 'task rm' take;\n"
            + "  --json: {\"tasks\": [{\"id\": N, \"position\": P, \"done\": B, \"text\": ...}]}", options: [OnionCommands.json],
        action: .vault(VaultAction(readsOnly: true, agentRuns: { _ in true }) { arguments, session, _ in
            let tasks = session.orderedTasks
            if arguments.flag("--json") {
                try JSONOutput.writeList("tasks", Array(tasks.enumerated())) { out, item in
                    let (position, task) = item
                    try out.raw("\"id\":\(task.id),\"position\":\(position + 1),\"done\":\(task.done),")
                    try out.key("text")
                    try out.string(session.texts, item.1.text)
                }
                return 0
            }
            for task in tasks {
                writeStdout(task.done ? "[x] \(task.id) " : "[ ] \(task.id) ")
                printLine(session.texts, task.text)
            }
            return 0
        }))

    static let done = CommandDeclaration(
        "done", summary: "mark a task done", options: [OptionDeclaration("--undo", help: "mark it not done")],
        positionals: [id], validate: { arguments, _ in _ = try taskID(arguments) },
        action: .vault(VaultAction(agentRuns: { _ in true }) { arguments, session, _ in
            let base = try seen(session, try taskID(arguments))
            defer { base.wipe() }
            _ = try session.saveTask(text: nil, done: !arguments.flag("--undo"), since: base)
            return 0
        }))

    static let remove = CommandDeclaration(
        "rm", summary: "delete a task", positionals: [id], validate: { arguments, _ in _ = try taskID(arguments) },
        action: .vault(VaultAction(agentRuns: { _ in true }) { arguments, session, _ in
            let id = try taskID(arguments)
            let base = try seen(session, id)
            defer { base.wipe() }
            guard try session.deleteTask(since: base) else {
                throw CommandFailure("task \(id) was changed by another program meanwhile; it is kept")
            }
            return 0
        }))

    /// Task `id` as the store holds it now: what `done` and `rm` change (merged by the rules of
    /// sync when another program changes it before the save lands).
    private static func seen(_ session: Session, _ id: UInt16) throws -> TaskBase {
        try session.catchUpWithPeers()
        guard let base = session.taskBase(of: id) else { throw VaultError.noSuchItem("task \(id)") }
        return base
    }

    /// The task number of `arguments`.
    static func taskID(_ arguments: Arguments) throws -> UInt16 {
        guard let id = UInt16(arguments.positionals[0]) else { throw UsageError("name the task by its number (see 'onions task list')") }
        return id
    }
}
