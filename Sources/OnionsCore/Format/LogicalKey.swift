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
    /// The large record every task has beside its small one (`task_<n>/body`), so that records
    /// per size class count items, not kinds; it holds the filler payload (FORMAT.md section 5).
    case taskBody(UInt16)
    /// The small record every card has beside its large one (`card/<32 hex>/head`).
    case cardHead(ItemID)
    case taskCounter
    /// The unsaved draft of one machine (`draft/<32 hex>`, its `LocalState.machineID`); nil is
    /// the one `draft` of vaults from before drafts belonged to a machine.
    case draft(MachineID?)
    /// The small record beside a draft (`draft/<32 hex>/head`, `draft/head`), so that a draft
    /// counts as one more item in the records per size class, not as a kind of its own.
    case draftHead(MachineID?)
    case manifest
    /// One of the manifest's parts, 16 to 256 (`Manifest.part(of:)` says which keys it lists).
    case manifestPart(UInt8)
    case settings
    /// The small record beside the settings (`settings/head`), for the same reason.
    case settingsHead
    /// A filler record that pads a save to the shape every save has (`SaveShape`): `slot` of
    /// `kind`, below that kind's count there.
    case filler(Filler, UInt8)

    /// What a filler record is written as: a small or large record, or a tombstone.
    enum Filler: Hashable, Sendable, CaseIterable {
        case small, large, gone
    }

    /// One number per key for the hasher (a log in hashes every key of the manifest several
    /// times): an item's two id words folded into one, and the case in the low bits, so that a
    /// title and the info of one onion differ. Ids are random (a store never sees them), so the
    /// fold spreads them as well as hashing both words would.
    func hash(into hasher: inout Hasher) {
        switch self {
        case .onionTitle(let id): hasher.combine(id.folded ^ 1)
        case .onionInfo(let id): hasher.combine(id.folded ^ 2)
        case .card(let id): hasher.combine(id.folded ^ 3)
        case .cardHead(let id): hasher.combine(id.folded ^ 4)
        case .task(let n): hasher.combine(UInt64(n) << 8 | 5)
        case .taskBody(let n): hasher.combine(UInt64(n) << 8 | 6)
        case .taskCounter: hasher.combine(UInt64(7))
        case .draft(let machine):
            hasher.combine(UInt64(8))
            hasher.combine(machine)
        case .manifest: hasher.combine(UInt64(9))
        case .manifestPart(let index): hasher.combine(UInt64(index) << 8 | 10)
        case .settings: hasher.combine(UInt64(11))
        case .draftHead(let machine):
            hasher.combine(UInt64(13))
            hasher.combine(machine)
        case .settingsHead: hasher.combine(UInt64(14))
        case .filler(let kind, let slot):
            hasher.combine(UInt64(12))
            hasher.combine(kind)
            hasher.combine(slot)
        }
    }

    /// The textual form: `onion/<32 hex>/title`, `onion/<32 hex>/info`, `card/<32 hex>`,
    /// `card/<32 hex>/head`, `task_<n>` (decimal, no leading zeros), `task_<n>/body`, `task_max`, `draft/<32 hex>`, `draft`,
    /// `draft/<32 hex>/head`, `draft/head`, `manifest`, `manifest/<2 hex>`, `settings`, `settings/head`, `noise/small/<n>`, `noise/large/<n>`, `noise/gone/<n>` (one decimal digit).
    var text: String {
        switch self {
        case .onionTitle(let id): return "onion/\(id)/title"
        case .onionInfo(let id): return "onion/\(id)/info"
        case .card(let id): return "card/\(id)"
        case .task(let id): return "task_\(id)"
        case .taskBody(let id): return "task_\(id)/body"
        case .cardHead(let id): return "card/\(id)/head"
        case .taskCounter: return "task_max"
        case .draft(let machine?): return "draft/" + String(lowercaseHex: machine.bytes)
        case .draft(nil): return "draft"
        case .draftHead(let machine?): return "draft/" + String(lowercaseHex: machine.bytes) + "/head"
        case .draftHead(nil): return "draft/head"
        case .settingsHead: return "settings/head"
        case .manifest: return "manifest"
        case .manifestPart(let index): return "manifest/" + String(lowercaseHex: [index])
        case .settings: return "settings"
        case .filler(let kind, let slot): return "noise/\(kind.word)/\(slot)"
        }
    }

    /// Calls `body` with the UTF-8 bytes of `text`, written into a buffer on the stack (a log
    /// in names tens of thousands of keys).
    func withText<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer in
            var n = 0
            func put(_ literal: StaticString) {
                for i in 0..<literal.utf8CodeUnitCount { buffer[n] = literal.utf8Start[i]; n += 1 }
            }
            func putHex<C: Collection>(_ bytes: C) where C.Element == UInt8 {
                let digits: StaticString = "0123456789abcdef"
                for byte in bytes {
                    buffer[n] = digits.utf8Start[Int(byte >> 4)]
                    buffer[n + 1] = digits.utf8Start[Int(byte & 0x0f)]
                    n += 2
                }
            }
            func putHex(_ id: ItemID) { putHex((0..<16).lazy.map(id.byte)) }
            switch self {
            case .onionTitle(let id): put("onion/"); putHex(id); put("/title")
            case .onionInfo(let id): put("onion/"); putHex(id); put("/info")
            case .card(let id): put("card/"); putHex(id)
            case .task(let id), .taskBody(let id):
                put("task_")
                for digit in String(id).utf8 { buffer[n] = digit; n += 1 }
                if case .taskBody = self { put("/body") }
            case .cardHead(let id): put("card/"); putHex(id); put("/head")
            case .taskCounter: put("task_max")
            case .draft(let machine), .draftHead(let machine):
                put("draft")
                if let machine { put("/"); putHex(machine.bytes) }
                if case .draftHead = self { put("/head") }
            case .manifest: put("manifest")
            case .manifestPart(let index): put("manifest/"); putHex(CollectionOfOne(index))
            case .settings: put("settings")
            case .settingsHead: put("settings/head")
            case .filler(let kind, let slot):
                put("noise/")
                for byte in kind.word.utf8 { buffer[n] = byte; n += 1 }
                put("/")
                buffer[n] = UInt8(ascii: "0") + slot; n += 1
            }
            return body(UnsafeRawBufferPointer(start: buffer.baseAddress, count: n))
        }
    }

    /// Parses a textual form strictly: exact lower-case hex of 32 digits for item ids, a task id
    /// in decimal without sign or leading zeros within `UInt16`. Nil for anything else.
    init?(text: String) {
        var text = text
        guard let key = text.withUTF8({ Self(utf8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = key
    }

    /// `init?(text:)` for the text's UTF-8 bytes, read in place (a manifest part lists thousands).
    init?(utf8 t: UnsafeRawBufferPointer) {
        if Self.equals(t, "task_max") { self = .taskCounter }
        else if Self.equals(t, "draft") { self = .draft(nil) }
        else if let id = Self.itemID(t, prefix: "draft/", suffix: "") { self = .draft(MachineID(id.bytes)) }
        else if Self.equals(t, "draft/head") { self = .draftHead(nil) }
        else if let id = Self.itemID(t, prefix: "draft/", suffix: "/head") { self = .draftHead(MachineID(id.bytes)) }
        else if Self.equals(t, "settings/head") { self = .settingsHead }
        else if Self.equals(t, "manifest") { self = .manifest }
        else if Self.equals(t, "settings") { self = .settings }
        else if let id = Self.itemID(t, prefix: "onion/", suffix: "/title") { self = .onionTitle(id) }
        else if let id = Self.itemID(t, prefix: "onion/", suffix: "/info") { self = .onionInfo(id) }
        else if let id = Self.itemID(t, prefix: "card/", suffix: "") { self = .card(id) }
        else if let id = Self.itemID(t, prefix: "card/", suffix: "/head") { self = .cardHead(id) }
        else if let id = Self.taskID(t) { self = .task(id) }
        else if t.count > 5, Self.starts(t, at: t.count - 5, with: "/body"),
                let id = Self.taskID(UnsafeRawBufferPointer(rebasing: t.prefix(t.count - 5))) { self = .taskBody(id) }
        else if let index = Self.manifestPart(t) { self = .manifestPart(index) }
        else if let filler = Self.filler(t) { self = filler }
        else { return nil }
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
             (.taskBody, .taskBody), (.cardHead, .cardHead), (.draftHead, .draftHead), (.settingsHead, .settingsHead),
             (.manifest, .manifest), (.manifestPart, .manifestPart), (.settings, .settings), (.filler, .filler):
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
        case .taskBody: kind = "the body of task"
        case .cardHead: kind = "the head of card for"
        case .taskCounter: return "the task counter"
        case .draft: return "the draft"
        case .manifest: return "the manifest"
        case .manifestPart: return "a part of the manifest"
        case .settings: return "the settings"
        case .draftHead: return "the head of the draft"
        case .settingsHead: return "the head of the settings"
        case .filler: return "a filler record"
        }
        guard let label else { return kind }
        return "\(kind) '\(label)'"
    }

    /// The record that pairs with an item's main one so that every item is one small and one
    /// large record: a task's body, the head of a card, a draft or the settings. It holds
    /// nothing (the filler payload).
    var isCompanion: Bool {
        switch self {
        case .taskBody, .cardHead, .draftHead, .settingsHead: return true
        default: return false
        }
    }

    /// True for a companion of the small class (a head); a task's body is large.
    var isSmallCompanion: Bool {
        switch self {
        case .cardHead, .draftHead, .settingsHead: return true
        default: return false
        }
    }

    /// The companion of an item's main record (a task's body, the head of a card, a draft or
    /// the settings), nil for others.
    var companion: LogicalKey? {
        switch self {
        case .task(let id): return .taskBody(id)
        case .card(let id): return .cardHead(id)
        case .draft(let machine): return .draftHead(machine)
        case .settings: return .settingsHead
        default: return nil
        }
    }

    private static func equals(_ text: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        text.count == literal.utf8CodeUnitCount && starts(text, at: 0, with: literal)
    }

    private static func starts(_ text: UnsafeRawBufferPointer, at offset: Int, with literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard offset >= 0, offset + n <= text.count else { return false }
        for i in 0..<n where text[offset + i] != literal.utf8Start[i] { return false }
        return true
    }

    private static func itemID(_ text: UnsafeRawBufferPointer, prefix: StaticString, suffix: StaticString) -> ItemID? {
        let head = prefix.utf8CodeUnitCount, tail = suffix.utf8CodeUnitCount
        guard text.count == head + 32 + tail, starts(text, at: 0, with: prefix),
              starts(text, at: head + 32, with: suffix) else { return nil }
        // Every digit is read (a manifest part lists thousands of ids); any that is not one
        // leaves a high bit in `bad`.
        var high: UInt64 = 0, low: UInt64 = 0, bad: UInt8 = 0
        for i in 0..<16 {
            let n = nibble(text[head + i])
            bad |= n
            high = high << 4 | UInt64(n & 0x0f)
        }
        for i in 16..<32 {
            let n = nibble(text[head + i])
            bad |= n
            low = low << 4 | UInt64(n & 0x0f)
        }
        guard bad & 0xf0 == 0 else { return nil }
        return ItemID(high: high, low: low)
    }

    /// The value of a lower-case hex digit, or 0xff for any other byte.
    @inline(__always)
    private static func nibble(_ c: UInt8) -> UInt8 {
        let digit = c &- UInt8(ascii: "0")
        if digit < 10 { return digit }
        let letter = c &- UInt8(ascii: "a")
        return letter < 6 ? letter + 10 : 0xff
    }

    private static func lowerHexDigit(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    private static func manifestPart(_ text: UnsafeRawBufferPointer) -> UInt8? {
        let head = "manifest/".utf8.count
        guard text.count == head + 2, starts(text, at: 0, with: "manifest/"),
              let high = lowerHexDigit(text[head]), let low = lowerHexDigit(text[head + 1]) else { return nil }
        return high << 4 | low
    }

    /// `noise/<kind>/<slot>` with a slot below the count `SaveShape` gives that kind.
    private static func filler(_ text: UnsafeRawBufferPointer) -> LogicalKey? {
        guard starts(text, at: 0, with: "noise/") else { return nil }
        return SaveShape.fillers.first { key in key.withText { $0.elementsEqual(text) } }
    }

    private static func taskID(_ text: UnsafeRawBufferPointer) -> UInt16? {
        let digits = text.dropFirst("task_".utf8.count)
        guard starts(text, at: 0, with: "task_"), (1...5).contains(digits.count),
              digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              digits.count == 1 || digits.first != UInt8(ascii: "0") else { return nil }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return value <= Int(UInt16.max) ? UInt16(value) : nil
    }
}

extension LogicalKey.Filler {
    /// The word of the textual form: `small`, `large`, `gone`.
    var word: String {
        switch self {
        case .small: return "small"
        case .large: return "large"
        case .gone: return "gone"
        }
    }
}
