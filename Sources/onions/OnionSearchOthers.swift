import OnionsCore

extension OnionSearch {
    /// After the onions: the tasks whose text and the cards whose recipient contain `needle`
    /// (folded), in the interface's order, as "task N: TEXT" and "card: RECIPIENT" lines, or
    /// in `json` as `"tasks": [{"id": N, "done": B, "text": ...}]` and
    /// `"cards": [{"recipient": ...}]`. True when anything matched.
    static func searchTasksAndCards(_ session: Session, _ needle: [UInt8], json out: JSONOutput?) throws -> Bool {
        let tasks = session.orderedTasks.filter { task in
            session.texts.withBytes(task.text) { TextSearch.contains($0, needle) }
        }
        let cards = session.orderedCards.filter { card in
            session.texts.withBytes(card.recipient) { TextSearch.contains($0, needle) }
        }
        if let out {
            try out.raw(",")
            try out.key("tasks")
            try out.array(tasks) { task in
                try out.raw("{\"id\":\(task.id),\"done\":\(task.done),")
                try out.key("text")
                try out.string(session.texts, task.text)
                try out.raw("}")
            }
            try out.raw(",")
            try out.key("cards")
            try out.array(cards) { card in
                try out.raw("{")
                try out.key("recipient")
                try out.string(session.texts, card.recipient)
                try out.raw("}")
            }
        } else {
            for task in tasks {
                writeStdout("task \(task.id): ")
                printLine(session.texts, task.text)
            }
            for card in cards {
                writeStdout("card: ")
                printLine(session.texts, card.recipient)
            }
        }
        return !tasks.isEmpty || !cards.isEmpty
    }
}
