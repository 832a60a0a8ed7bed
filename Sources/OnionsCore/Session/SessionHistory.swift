import OnionsCrypto

/// An onion, a card or a task: what has versions and goes to the trash.
public enum ItemRef: Hashable, Sendable {
    case onion(ItemID)
    case card(ItemID)
    case task(UInt16)

    /// The record that says what the item is called (and, for a task, all of it).
    var mainKey: LogicalKey {
        switch self {
        case .onion(let id): return .onionTitle(id)
        case .card(let id): return .card(id)
        case .task(let n): return .task(n)
        }
    }

    /// Every record of the item.
    var keys: [LogicalKey] {
        switch self {
        case .onion(let id): return [.onionTitle(id), .onionInfo(id)]
        default: return [mainKey]
        }
    }

    /// "onion", "card" or "task".
    public var kind: String {
        switch self {
        case .onion: return "onion"
        case .card: return "card"
        case .task: return "task"
        }
    }

    init?(_ key: LogicalKey) {
        switch key {
        case .onionTitle(let id): self = .onion(id)
        case .card(let id): self = .card(id)
        case .task(let n): self = .task(n)
        default: return nil
        }
    }
}

/// One kept version of an item (FORMAT.md "Versions and trash").
public struct ItemVersion: Sendable {
    /// From 1, the oldest kept version; the current one is the highest.
    public let number: Int
    /// When it was saved, by the saving machine's clock (ms since 1970); for a version from
    /// before versions were stamped, when this machine first held it.
    public let time: UInt64
    /// The id of the machine that saved it (16 bytes), nil when unknown.
    public let machine: [UInt8]?
    /// The count of the commit it came with, nil when unknown.
    public let commit: UInt64?
    /// Bytes of its texts (title and info, recipient, task text).
    public let size: Int
    public let isCurrent: Bool
    /// Whether a task was done.
    public let done: Bool
    /// Where a conflict copy came from, in the version the sync made it as (nil otherwise).
    public var origin: ConflictOrigin? = nil
    /// The rows it is made of: the main record's, and the info's for an onion.
    let main: HistoryRow
    let info: HistoryRow?
}

/// The texts of one version, in secret memory; `wipe()` when done.
public struct VersionTexts {
    /// The title, the card's recipient or the task's text.
    public let name: SecretBytes
    /// The onion's info; empty for a task and a card (a card's description opens with its password).
    public let info: SecretBytes
    public let folder: SecretBytes?
    public let done: Bool
    let card: RecordPayload.Card<SecretBytes>?

    public func wipe() { name.wipe(); info.wipe(); folder?.wipe(); card?.recipient.wipe() }
}

extension Session {
    /// This machine's id in this vault (what `ItemVersion.machine` names).
    public var thisMachine: [UInt8] { localState.machineID.bytes }

    /// This machine's store of versions, or a failure saying that there is none here.
    func historyStore() throws -> VersionHistoryStore {
        guard let kept = store as? VersionHistoryStore else {
            throw VaultError.unsupported("versions and the trash are kept in this machine's store, and this "
                + "session has none (it reads the server directly)")
        }
        return kept
    }

    /// The versions of `item`, oldest first, numbered from 1 (the current one last). Reads the
    /// store only now (nothing of it is held by a log in). A kept row that does not open (one
    /// sealed before a key rotation, or damaged) is left out.
    public func versions(of item: ItemRef) throws -> [ItemVersion] {
        try checkUnlocked()
        let kept = try historyStore()
        var mainRows = try Self.wrapStore { try kept.history(vault: vault, name: keys.name(item.mainKey)) }
        // A task's number is given out again after a delete: its versions start after the last
        // tombstone before its current row.
        if case .task = item, let current = mainRows.last, !current.deleted,
           let cut = mainRows.lastIndex(where: { $0.deleted }) {
            mainRows = Array(mainRows[(cut + 1)...])
        }
        var infoRows: [HistoryRow] = []
        if case .onion(let id) = item {
            infoRows = try Self.wrapStore { try kept.history(vault: vault, name: keys.name(.onionInfo(id))) }
                .filter { !$0.deleted }
        }
        struct Opened {
            let row: HistoryRow, stamp: VersionStamp?, info: HistoryRow?, size: Int, done: Bool, modified: UInt64
            let origin: ConflictOrigin?
        }
        var opened: [Opened] = []
        var infoStamps: [(row: HistoryRow, stamp: VersionStamp?, size: Int)] = []
        for row in infoRows {
            guard let (payload, stamp) = try? sealer.openStamped(row.record) else { continue }
            infoStamps.append((row, stamp, max(0, payload.count - 19)))
            payload.wipe()
        }
        for row in mainRows where !row.deleted {
            guard let (payload, stamp, origin) = try? sealer.openMarked(row.record) else { continue }
            defer { payload.wipe() }
            guard let fields = try? Self.versionFields(payload, of: item) else { continue }
            var info: (row: HistoryRow, stamp: VersionStamp?, size: Int)?
            if case .onion = item {
                // The info saved with this title (the same stamp), else the one held then.
                info = infoStamps.last { stamp != nil && $0.stamp == stamp }
                    ?? infoStamps.last { $0.row.heldAt <= row.heldAt } ?? infoStamps.first
            }
            opened.append(Opened(row: row, stamp: stamp, info: info?.row, size: fields.size + (info?.size ?? 0),
                                 done: fields.done, modified: fields.modified, origin: origin))
        }
        return opened.enumerated().map { i, v in
            ItemVersion(number: i + 1, time: v.stamp?.time ?? (v.modified > 0 ? v.modified : v.row.heldAt),
                        machine: v.stamp?.machine, commit: v.stamp?.count, size: v.size,
                        isCurrent: v.row.isCurrent, done: v.done, origin: v.origin, main: v.row, info: v.info)
        }
    }

    /// The size, done flag and change time of a main record's payload.
    private static func versionFields(_ payload: SecretBytes, of item: ItemRef) throws
        -> (size: Int, done: Bool, modified: UInt64) {
        switch item {
        case .onion:
            let title = try RecordPayload.read(payload) { try RecordPayload.OnionTitle.read(&$0) { $0.count } }
            return (title.title, false, title.modified)
        case .card:
            let card = try RecordPayload.read(payload) { try RecordPayload.Card.read(&$0) { $0.count } }
            return (card.recipient, false, card.modified)
        case .task:
            let task = try RecordPayload.read(payload) { try RecordPayload.Task.read(&$0) { $0.count } }
            return (task.text, task.done, 0)
        }
    }

    /// The texts of `version` of `item`. Throws `VaultError.damaged` when it no longer opens.
    public func texts(of version: ItemVersion, of item: ItemRef) throws -> VersionTexts {
        try checkUnlocked()
        let label = "version \(version.number) of that \(item.kind)"
        let main: SecretBytes
        do {
            main = try sealer.open(version.main.record)
        } catch { throw VaultError.damaged(label) }
        defer { main.wipe() }
        do {
            switch item {
            case .onion(let id):
                let title = try RecordPayload.read(main) { try RecordPayload.OnionTitle.read(&$0, text: RecordPayload.copy) }
                guard title.id == id else { title.title.wipe(); title.folder?.wipe(); throw VaultError.malformed }
                var info = SecretBytes(count: 0)
                if let row = version.info {
                    let payload = try sealer.open(row.record)
                    defer { payload.wipe() }
                    info = try RecordPayload.read(payload) {
                        try RecordPayload.OnionInfo.read(&$0, capacity: FieldLimit.onionInfo.maxBytes)
                    }.info
                }
                return VersionTexts(name: title.title, info: info, folder: title.folder, done: false, card: nil)
            case .card(let id):
                let card = try RecordPayload.read(main) { try RecordPayload.Card.read(&$0, text: RecordPayload.copy) }
                guard card.id == id else { card.recipient.wipe(); throw VaultError.malformed }
                return VersionTexts(name: card.recipient.copy(), info: SecretBytes(count: 0), folder: nil, done: false,
                                    card: card)
            case .task(let n):
                let task = try RecordPayload.read(main) { try RecordPayload.Task.read(&$0, text: RecordPayload.copy) }
                guard task.id == n else { task.text.wipe(); throw VaultError.malformed }
                return VersionTexts(name: task.text, info: SecretBytes(count: 0), folder: nil, done: task.done, card: nil)
            }
        } catch let error as VaultError where error == .malformed {
            throw VaultError.damaged(label)
        }
    }

    /// Opens a card's `version` with the card's own password (as the card does). Throws
    /// `VaultError.cardWrongPassword` for a wrong one.
    public func openCard(_ version: VersionTexts, id: ItemID, password: SecretBytes) throws -> SecretBytes {
        try checkUnlocked()
        try PasswordText.check(password)
        guard let card = version.card, card.id == id else { throw VaultError.noSuchItem("card version") }
        return try openDescription(of: card, password: password)
    }

    /// Saves `version` of `item` again as its newest version (nothing is overwritten: the
    /// current one becomes a version too). The item must exist (a deleted one comes back with
    /// `restoreFromTrash`).
    public func restore(_ version: ItemVersion, of item: ItemRef) throws {
        let texts = try self.texts(of: version, of: item)
        defer { texts.wipe() }
        try put(texts, as: item)
    }

    /// Writes `texts` as the newest version of `item`, listed or not. Returns the item as it
    /// is listed now (a task whose number was given out again comes back under a new one).
    @discardableResult
    func put(_ version: VersionTexts, as item: ItemRef, fromTrash: Bool = false) throws -> ItemRef {
        switch item {
        case .onion(let id):
            if onions.contains(where: { $0.id == id }) {
                try saveOnion(id: id, title: version.name, info: version.info, folder: version.folder ?? SecretBytes(count: 0))
            } else {
                let now = nowMilliseconds()
                let title = try RecordPayload.OnionTitle(id: id, created: now, modified: now, title: version.name,
                                                         folder: version.folder).encoded()
                defer { title.wipe() }
                let info = try RecordPayload.OnionInfo(id: id, info: version.info).encoded()
                defer { info.wipe() }
                try commit([.put(.onionTitle(id), title, .small, label: version.name),
                            .put(.onionInfo(id), info, .large, label: version.name)])
                var folder: Int?
                if let path = version.folder, path.count > 0 { folder = texts.add(path) }
                let titleHandle: Int = texts.add(version.name)
                let summary = OnionSummary(id: id, title: titleHandle, created: now, modified: now, folder: folder)
                onions.insert(summary, at: 0)
                updateInfoIndex(id, version.info)
            }
        case .card(let id):
            guard var card = version.card else { throw VaultError.noSuchItem("card version") }
            card.modified = nowMilliseconds()
            card.recipient = version.name
            let payload = try card.encoded()
            defer { payload.wipe() }
            try commit([.put(.card(id), payload, .large, label: version.name)])
            let recipient: Int = texts.add(version.name)
            let summary = CardSummary(id: id, recipient: recipient, created: card.created, modified: card.modified)
            if let i = cards.firstIndex(where: { $0.id == id }) {
                texts.remove(cards[i].recipient)
                cards.remove(at: i)
            }
            cards.insert(summary, at: 0)
        case .task(let n):
            // From the trash, a number given out again belongs to another task now.
            if tasks.contains(where: { $0.id == n }) && !fromTrash {
                try putTask(n, text: version.name, done: version.done)
                return item
            }
            let id = try addTask(version.name)
            if version.done { try setTask(id, done: true) }
            return .task(id)
        }
        return item
    }
}
