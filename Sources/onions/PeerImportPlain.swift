import OnionsCore
import OnionsCrypto

/// The tasks and cards of onions' own plain export, saved back as tasks and cards.
///
/// Tasks are added in the order of their numbers (so an empty vault gives them the same
/// numbers when the export's were 0, 1, 2, …), marked done as they were, and put in the order
/// the export lists them (the person's order). Cards keep their created time. A card needs a
/// password to be sealed again: `--card-password-file F` seals every card whose description
/// the export holds under F; a card the export kept sealed, or any card without F, is listed
/// as not imported.
enum PeerImportPlain {
    static func save(_ plain: PlainExportReader.Contents, into session: Session,
                     cardPassword: SecretBytes?) throws -> Int32 {
        var status: Int32 = 0
        var tasksSaved = 0
        var newID: [Int64: UInt16] = [:]
        for task in plain.tasks.sorted(by: { $0.id < $1.id }) {
            let id = try session.afterPeers { try session.addTask(task.text) }
            if task.done { try session.afterPeers { try session.setTask(id, done: true) } }
            newID[task.id] = id
            tasksSaved += 1
            writeStdout("imported: task \(id)\n")
        }
        // The tasks the vault had keep their places; the imported ones follow in the export's order.
        let imported = plain.tasks.compactMap { newID[$0.id] }
        let others = session.orderedTasks.map(\.id).filter { !Set(imported).contains($0) }
        if imported.count > 1 { try session.afterPeers { try session.orderTasks(others + imported) } }
        let progress = ImportProgress(verb: "sealed cards:")
        defer { progress.finish() }
        for (n, card) in plain.cards.enumerated() {
            guard let description = card.description, let cardPassword else {
                writeStdout("not imported: card ")
                card.recipient.withUnsafeBytes { writeStdout($0) }
                writeStdout(card.description == nil
                            ? ": its description is sealed in the export (export with --card-password-file)\n"
                            : ": a card needs --card-password-file to be sealed again\n")
                status = 1
                continue
            }
            let id = try session.afterPeers {
                try session.saveCard(id: nil, recipient: card.recipient, description: description,
                                     cardPassword: cardPassword, created: card.created >= 0 ? UInt64(card.created) : nil)
            }
            if card.pinned { try session.afterPeers { try session.setPinned(id, true) } }
            writeStdout("imported: card ")
            card.recipient.withUnsafeBytes { writeStdout($0) }
            writeStdout("\n")
            progress.update(n + 1, of: plain.cards.count)
        }
        printError("imported \(tasksSaved) of \(plain.tasks.count) tasks")
        return status
    }
}
