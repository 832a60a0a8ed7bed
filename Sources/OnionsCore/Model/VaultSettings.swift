import OnionsCrypto

/// The preferences that follow a vault from machine to machine: the list order, the pinned
/// onions and cards, and the order of the tasks (the `settings` record, FORMAT.md section 7).
///
/// Values under tags this program does not know are kept as they were read and written back,
/// so that a newer program's settings survive; `wipe()` zeroes them.
public struct VaultSettings: Sendable {
    /// The order of the onion list and the card grid.
    public internal(set) var order: ListOrder = .newestChange
    /// When `order` was last chosen (milliseconds since 1970; 0 never): the later choice wins a merge.
    var orderChanged: UInt64 = 0
    /// Onions and cards shown first, in the ids' byte order.
    public internal(set) var pinned: Set<ItemID> = []
    /// Task ids in the order the person put them; tasks not listed follow by id.
    public internal(set) var taskOrder: [UInt16] = []
    /// When `taskOrder` was last changed: the later order wins a merge.
    var taskOrderChanged: UInt64 = 0
    /// How long versions and deleted items are kept (one setting for all the vault's machines).
    public internal(set) var retention: Retention = .standard
    /// When `retention` was last chosen: the later choice wins a merge.
    var retentionChanged: UInt64 = 0
    /// Values under tags this program does not read.
    var unknown: [UInt16: SecretBytes] = [:]

    /// At most this many pinned items and this many ordered tasks, so that the record always
    /// fits its size class with room for a newer program's values.
    public static let maxPinned = 100
    public static let maxOrderedTasks = 3_000

    enum Tag: UInt16 {
        /// `order(u8: 0 newest change, 1 title, 2 created) | changed(u64)`
        case order = 1
        /// `n × id(16)`, ascending
        case pinned = 2
        /// `changed(u64) | n × task id(u16)`, no id twice
        case taskOrder = 3
        /// `versions(u16) | days(u16) | trashDays(u16) | changed(u64)`
        case retention = 4
    }

    public init() {}

    /// `tasks` in the person's order: those listed in `taskOrder` first, the rest by id.
    public func ordered(_ tasks: [TaskSummary]) -> [TaskSummary] {
        var rank: [UInt16: Int] = [:]
        for (i, id) in taskOrder.enumerated() where rank[id] == nil { rank[id] = i }
        return tasks.sorted { a, b in
            switch (rank[a.id], rank[b.id]) {
            case let (x?, y?): return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return a.id < b.id
            }
        }
    }

    /// Reads a settings payload. Refuses (`VaultError.malformed`) a known value of the wrong
    /// shape: an unknown order, pins that are not whole ids or not ascending, a task listed twice.
    static func read(_ payload: SecretBytes) throws -> VaultSettings {
        var raw = try RecordPayload.read(payload) { try RecordPayload.Settings.read(&$0) }
        return try VaultSettings(taking: &raw)
    }

    /// The settings in `raw`, which it empties (unknown values move over; the rest is wiped).
    init(taking raw: inout RecordPayload.Settings) throws {
        defer { raw.wipe() }
        self.init()
        if let value = raw.values.removeValue(forKey: Tag.order.rawValue) {
            defer { value.wipe() }
            try RecordPayload.read(value) { r in
                guard let chosen = ListOrder(rawValue: try r.u8()) else { throw VaultError.malformed }
                order = chosen
                orderChanged = try r.u64()
            }
        }
        if let value = raw.values.removeValue(forKey: Tag.pinned.rawValue) {
            defer { value.wipe() }
            guard value.count % 16 == 0, value.count / 16 <= Self.maxPinned else { throw VaultError.malformed }
            let ids = value.withUnsafeBytes { all in
                stride(from: 0, to: all.count, by: 16).map { ItemID(bytes: Array(all[$0..<($0 + 16)])) }
            }
            guard zip(ids, ids.dropFirst()).allSatisfy({ $0.bytes.lexicographicallyPrecedes($1.bytes) }) else {
                throw VaultError.malformed
            }
            pinned = Set(ids)
        }
        if let value = raw.values.removeValue(forKey: Tag.taskOrder.rawValue) {
            defer { value.wipe() }
            guard value.count >= 8, (value.count - 8) % 2 == 0, (value.count - 8) / 2 <= Self.maxOrderedTasks else {
                throw VaultError.malformed
            }
            try RecordPayload.read(value) { r in
                taskOrderChanged = try r.u64()
                while r.remaining > 0 { taskOrder.append(try r.u16()) }
            }
            guard Set(taskOrder).count == taskOrder.count else { throw VaultError.malformed }
        }
        if let value = raw.values.removeValue(forKey: Tag.retention.rawValue) {
            defer { value.wipe() }
            try RecordPayload.read(value) { r in
                let kept = Retention(versions: Int(try r.u16()), days: Int(try r.u16()), trashDays: Int(try r.u16()))
                guard kept.isWithinLimits else { throw VaultError.malformed }
                retention = kept
                retentionChanged = try r.u64()
            }
        }
        unknown = raw.values
        raw.values = [:]
    }

    /// The payload: every known value that differs from the default, and the unknown ones.
    func encoded() throws -> SecretBytes {
        var raw = RecordPayload.Settings()
        defer { for (tag, value) in raw.values where unknown[tag] == nil { value.wipe() } }
        raw.values = unknown
        if order != .newestChange || orderChanged != 0 {
            let w = PayloadWriter(capacity: 9)
            try w.u8(order.rawValue)
            try w.u64(orderChanged)
            raw.values[Tag.order.rawValue] = w.buffer
        }
        if !pinned.isEmpty {
            let w = PayloadWriter(capacity: 16 * pinned.count)
            for id in pinned.sorted(by: { $0.bytes.lexicographicallyPrecedes($1.bytes) }) { try w.raw(id.bytes) }
            raw.values[Tag.pinned.rawValue] = w.buffer
        }
        if !taskOrder.isEmpty || taskOrderChanged != 0 {
            let w = PayloadWriter(capacity: 8 + 2 * taskOrder.count)
            try w.u64(taskOrderChanged)
            for id in taskOrder { try w.u16(id) }
            raw.values[Tag.taskOrder.rawValue] = w.buffer
        }
        if retention != .standard || retentionChanged != 0 {
            let w = PayloadWriter(capacity: 14)
            try w.u16(UInt16(retention.versions))
            try w.u16(UInt16(retention.days))
            try w.u16(UInt16(retention.trashDays))
            try w.u64(retentionChanged)
            raw.values[Tag.retention.rawValue] = w.buffer
        }
        return try raw.encoded()
    }

    /// The same settings with copies of the values this program does not read (which `wipe()`
    /// zeroes in place).
    func copied() -> VaultSettings {
        var copy = self
        copy.unknown = unknown.mapValues { $0.copy() }
        return copy
    }

    /// Zeroes the values this program does not read.
    public mutating func wipe() {
        for value in unknown.values { value.wipe() }
        unknown = [:]
    }
}
