import OnionsCrypto

/// The plaintext export, `onions-plain` version 1: JSON of every title, info, task and card
/// recipient of a session.
///
///     {"format": "onions-plain", "version": 1,
///      "onions": [{"title", ["folder",] ["pinned": true,] "created", "modified", "info"}, …],
///      "cards": [{"recipient", ["pinned": true,] "created", "description"}, …],
///      "tasks": [{"id", "done", "text"}, …]}   (tasks in the person's order)
///
/// An info that does not open is written as `null` with `"damaged": true`; a card description
/// is written only when `cardPassword` opens it, otherwise the card has `"sealed": true`.
/// Times are milliseconds since 1970; an onion in no folder has no "folder", one not pinned
/// no "pinned". The text is built in secret memory and reaches `sink` a
/// chunk at a time; nothing of it passes through an ordinary Swift buffer.
public enum PlainExport {
    /// What was written.
    public struct Summary: Equatable, Sendable {
        public var onions = 0
        public var cards = 0
        public var tasks = 0
        /// Cards whose description `cardPassword` opened.
        public var openedCards = 0
        /// Infos that did not open (written as null).
        public var damagedInfos = 0

        public init(onions: Int = 0, cards: Int = 0, tasks: Int = 0, openedCards: Int = 0, damagedInfos: Int = 0) {
            self.onions = onions
            self.cards = cards
            self.tasks = tasks
            self.openedCards = openedCards
            self.damagedInfos = damagedInfos
        }
    }

    /// Writes the export of `session` to `sink`, which throws to stop it.
    public static func write(_ session: Session, cardPassword: SecretBytes?,
                             to sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws -> Summary {
        let out = SecretJSONOutput(sink)
        let texts = session.texts
        var summary = Summary(onions: session.onions.count, cards: session.cards.count, tasks: session.tasks.count)

        try out.append("{\n  \"format\": \"onions-plain\",\n  \"version\": 1,\n  \"onions\": [")
        for (i, onion) in session.onions.enumerated() {
            try out.append(i == 0 ? "\n    {\"title\": " : ",\n    {\"title\": ")
            try texts.withBytes(onion.title) { try out.appendJSONString($0) }
            if let folder = onion.folder {
                try out.append(", \"folder\": ")
                try texts.withBytes(folder) { try out.appendJSONString($0) }
            }
            if session.settings.pinned.contains(onion.id) { try out.append(", \"pinned\": true") }
            try out.append(", \"created\": \(onion.created), \"modified\": \(onion.modified), \"info\": ")
            if let info = try? session.info(of: onion.id) {
                defer { info.wipe() }
                try info.withUnsafeBytes { try out.appendJSONString($0) }
                try out.append("}")
            } else {
                summary.damagedInfos += 1
                try out.append("null, \"damaged\": true}")
            }
        }
        try out.append(session.onions.isEmpty ? "],\n  \"cards\": [" : "\n  ],\n  \"cards\": [")
        for (i, card) in session.cards.enumerated() {
            try out.append(i == 0 ? "\n    {\"recipient\": " : ",\n    {\"recipient\": ")
            try texts.withBytes(card.recipient) { try out.appendJSONString($0) }
            if session.settings.pinned.contains(card.id) { try out.append(", \"pinned\": true") }
            try out.append(", \"created\": \(card.created), ")
            if let cardPassword, let description = try? session.openCard(card.id, password: cardPassword) {
                defer { description.wipe() }
                summary.openedCards += 1
                try out.append("\"description\": ")
                try description.withUnsafeBytes { try out.appendJSONString($0) }
                try out.append("}")
            } else {
                try out.append("\"sealed\": true}")
            }
        }
        try out.append(session.cards.isEmpty ? "],\n  \"tasks\": [" : "\n  ],\n  \"tasks\": [")
        for (i, task) in session.orderedTasks.enumerated() {
            try out.append(i == 0 ? "\n    {\"id\": \(task.id), \"done\": \(task.done), \"text\": "
                                  : ",\n    {\"id\": \(task.id), \"done\": \(task.done), \"text\": ")
            try texts.withBytes(task.text) { try out.appendJSONString($0) }
            try out.append("}")
        }
        try out.append(session.tasks.isEmpty ? "]\n}\n" : "\n  ]\n}\n")
        try out.flush()
        return summary
    }
}
