import OnionsCrypto

/// Reads onions' own plain export (`onions-plain` version 1, see `PlainExport`) back, losing
/// nothing it holds: each onion's title, info and times, each card's recipient, time and
/// description (or that it was sealed), each task's id, state and text.
///
/// An onion's info comes back whole in `notes` (no fields are split out, so `info()` gives it
/// back byte for byte); an onion written as damaged comes back without notes and is counted.
public enum PlainExportReader {
    /// A card of the export.
    public struct Card {
        public let recipient: SecretBytes
        public let created: Int64
        /// The description, when the export was made with the card password; nil when sealed.
        public let description: SecretBytes?
        /// Pinned to the top of the cards.
        public var pinned = false
    }

    /// A task of the export.
    public struct Task {
        public let id: Int64
        public let done: Bool
        public let text: SecretBytes
    }

    /// Everything an export holds.
    public struct Contents {
        public var onions: [ImportedEntry] = []
        public var cards: [Card] = []
        public var tasks: [Task] = []
        /// Onions whose info the export could not write (`"damaged": true`).
        public var damagedInfos = 0

        /// Wipes every text.
        public func wipe() {
            onions.wipeAll()
            for card in cards { card.recipient.wipe(); card.description?.wipe() }
            for task in tasks { task.text.wipe() }
        }
    }

    /// The contents of the export in `document`. Throws `.damaged` for anything that is not a
    /// whole version-1 export, `.unsupported` for another version.
    public static func read(_ document: SecretBytes) throws(ImportError) -> Contents {
        let json = try SecretJSON.parse(document)
        defer { json.wipe() }
        guard json["format"]?.plainString == "onions-plain" else { throw .damaged("not an onions plain export") }
        guard json["version"]?.number == 1 else { throw .unsupported("a plain export version other than 1") }
        guard let onions = json["onions"]?.array, let cards = json["cards"]?.array, let tasks = json["tasks"]?.array else {
            throw .damaged("the onions, cards or tasks list is missing")
        }
        var contents = Contents()
        do throws(ImportError) {
            for onion in onions {
                guard let title = onion["title"]?.secret, let created = integer(onion["created"]),
                      let modified = integer(onion["modified"]) else { throw .damaged("an onion without its title or times") }
                let entry = ImportedEntry(folder: onion["folder"]?.plainString ?? "", title: title.copy(),
                                          created: created, changed: modified)
                entry.milliseconds = true
                entry.pinned = onion["pinned"]?.bool == true
                contents.onions.append(entry)
                if let info = onion["info"]?.secret {
                    entry.notes = info.copy()
                } else if onion["damaged"]?.bool == true {
                    contents.damagedInfos += 1
                } else {
                    throw .damaged("an onion without its info")
                }
            }
            for card in cards {
                guard let recipient = card["recipient"]?.secret, let created = integer(card["created"]) else {
                    throw .damaged("a card without its recipient or time")
                }
                let description = card["description"]?.secret
                guard description != nil || card["sealed"]?.bool == true else { throw .damaged("a card without its description") }
                var read = Card(recipient: recipient.copy(), created: created, description: description?.copy())
                read.pinned = card["pinned"]?.bool == true
                contents.cards.append(read)
            }
            for task in tasks {
                guard let id = integer(task["id"]), let done = task["done"]?.bool, let text = task["text"]?.secret else {
                    throw .damaged("a task without its id, state or text")
                }
                contents.tasks.append(Task(id: id, done: done, text: text.copy()))
            }
        } catch {
            contents.wipe()
            throw error
        }
        return contents
    }

    private static func integer(_ value: SecretJSON?) -> Int64? {
        guard let n = value?.number, n == n.rounded(), abs(n) < 9e15 else { return nil }
        return Int64(n)
    }
}
