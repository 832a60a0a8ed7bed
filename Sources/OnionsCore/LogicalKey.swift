import OnionsCrypto

/// What a record is, before it is named by HMAC (FORMAT.md section 5). The store never sees it.
///
/// The textual form (`text`) is what the record name is computed from and what the manifest
/// lists; it must never change, or existing vaults would no longer open. `init?(text:)` is the
/// only reader of that text and refuses anything `text` would not have written.
enum LogicalKey: Hashable, Sendable {
    case onionTitle(ItemID)
    case onionInfo(ItemID)
    case card(ItemID)
    case task(UInt16)
    case taskCounter
    case draft
    case manifest
    /// One of the manifest's 256 parts (`Manifest.part(of:)` says which keys it lists).
    case manifestPart(UInt8)
    case settings

    /// The textual form: `onion/<32 hex>/title`, `onion/<32 hex>/info`, `card/<32 hex>`,
    /// `task_<n>` (decimal, no leading zeros), `task_max`, `draft`, `manifest`, `manifest/<2 hex>`,
    /// `settings`.
    var text: String {
        switch self {
        case .onionTitle(let id): return "onion/\(id)/title"
        case .onionInfo(let id): return "onion/\(id)/info"
        case .card(let id): return "card/\(id)"
        case .task(let id): return "task_\(id)"
        case .taskCounter: return "task_max"
        case .draft: return "draft"
        case .manifest: return "manifest"
        case .manifestPart(let index): return "manifest/" + String(lowercaseHex: [index])
        case .settings: return "settings"
        }
    }

    /// Parses a textual form strictly: exact lower-case hex of 32 digits for item ids, a task id
    /// in decimal without sign or leading zeros within `UInt16`. Nil for anything else.
    init?(text: String) {
        let utf8 = Array(text.utf8)
        switch text {
        case "task_max": self = .taskCounter
        case "draft": self = .draft
        case "manifest": self = .manifest
        case "settings": self = .settings
        default:
            if let id = Self.itemID(utf8, prefix: "onion/", suffix: "/title") { self = .onionTitle(id) }
            else if let id = Self.itemID(utf8, prefix: "onion/", suffix: "/info") { self = .onionInfo(id) }
            else if let id = Self.itemID(utf8, prefix: "card/", suffix: "") { self = .card(id) }
            else if let id = Self.taskID(utf8) { self = .task(id) }
            else if let index = Self.manifestPart(utf8) { self = .manifestPart(index) }
            else { return nil }
        }
    }

    /// The onion a title or info belongs to.
    var onion: ItemID? {
        switch self {
        case .onionTitle(let id), .onionInfo(let id): return id
        default: return nil
        }
    }

    /// True for the records of one kind, as conflict copies count them ("title (conflict N)").
    func isSameKind(as other: LogicalKey) -> Bool {
        switch (self, other) {
        case (.onionTitle, .onionTitle), (.onionInfo, .onionInfo), (.onionTitle, .onionInfo), (.onionInfo, .onionTitle),
             (.card, .card), (.task, .task), (.taskCounter, .taskCounter), (.draft, .draft),
             (.manifest, .manifest), (.manifestPart, .manifestPart), (.settings, .settings):
            return true
        default:
            return false
        }
    }

    /// How the record is named to a person, given the label its manifest entry holds
    /// ("onion 'Groceries'", "the task counter"). Without a label, the kind alone ("onion").
    func displayName(label: String?) -> String {
        let kind: String
        switch self {
        case .onionTitle: kind = "onion"
        case .onionInfo: kind = "the info of onion"
        case .card: kind = "card for"
        case .task: kind = "task"
        case .taskCounter: return "the task counter"
        case .draft: return "the draft"
        case .manifest: return "the manifest"
        case .manifestPart: return "a part of the manifest"
        case .settings: return "the settings"
        }
        guard let label else { return kind }
        return "\(kind) '\(label)'"
    }

    private static func itemID(_ text: [UInt8], prefix: String, suffix: String) -> ItemID? {
        let head = Array(prefix.utf8), tail = Array(suffix.utf8)
        guard text.count == head.count + 32 + tail.count, text.starts(with: head),
              text.suffix(tail.count).elementsEqual(tail) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var at = head.count
        while at < head.count + 32 {
            guard let high = lowerHexDigit(text[at]), let low = lowerHexDigit(text[at + 1]) else { return nil }
            bytes.append(high << 4 | low)
            at += 2
        }
        return ItemID(bytes: bytes)
    }

    private static func lowerHexDigit(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    private static func manifestPart(_ text: [UInt8]) -> UInt8? {
        let head = Array("manifest/".utf8)
        guard text.count == head.count + 2, text.starts(with: head),
              let high = lowerHexDigit(text[head.count]), let low = lowerHexDigit(text[head.count + 1]) else { return nil }
        return high << 4 | low
    }

    private static func taskID(_ text: [UInt8]) -> UInt16? {
        let head = Array("task_".utf8)
        let digits = text.dropFirst(head.count)
        guard text.starts(with: head), (1...5).contains(digits.count),
              digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              digits.count == 1 || digits.first != UInt8(ascii: "0") else { return nil }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return value <= Int(UInt16.max) ? UInt16(value) : nil
    }
}
