import OnionsCrypto

/// The first byte of every record payload: what the rest is (FORMAT.md section 7).
enum RecordKind: UInt8 {
    case onionTitle = 1, onionInfo = 2, card = 3, task = 4, taskCounter = 5, draft = 6, manifest = 7, settings = 8,
         manifestRoot = 9, manifestPart = 10, filler = 11, commit = 12,
         manifestJournal = 13
}

/// Every record payload's layout, written into and read out of secret memory (FORMAT.md
/// section 7). The session and sync both use these and nothing else.
///
/// Readers refuse a wrong kind, a short payload and leftover bytes (`VaultError.malformed`); the
/// only optional field is a card's trailing sealed-under id. Readers that take a `text` closure
/// hand each text over in place (to a `SecretTable`, say) instead of copying it into a new owner.
enum RecordPayload {
    /// Reads a whole payload with `body`, which must consume all of it.
    static func read<T>(_ payload: SecretBytes, _ body: (inout PayloadReader) throws -> T) throws -> T {
        var r = PayloadReader(payload)
        let value = try body(&r)
        try r.expectEnd()
        return value
    }

    /// A text copied into a new secret owner (a reader's `text` closure).
    static func copy(_ raw: UnsafeRawBufferPointer) -> SecretBytes { SecretBytes(copying: raw) }

    /// `1 | id(16) | created(u64) | modified(u64) | title bytes16 [| folder bytes16]`
    ///
    /// The folder is written only when there is one (a payload without it reads as no folder);
    /// a folder field that is present but empty is damaged.
    struct OnionTitle<Text> {
        var id: ItemID, created: UInt64, modified: UInt64, title: Text
        var folder: Text? = nil

        static func read(_ r: inout PayloadReader, text: (UnsafeRawBufferPointer) throws -> Text) throws -> Self {
            try r.expect(.onionTitle)
            let id = try r.itemID()
            let created = try r.u64(), modified = try r.u64()
            let title = try r.withBytes(text)
            guard r.remaining > 0 else { return Self(id: id, created: created, modified: modified, title: title) }
            let folder = try r.withBytes { raw -> Text? in raw.isEmpty ? nil : try text(raw) }
            guard let folder else { throw VaultError.malformed }
            return Self(id: id, created: created, modified: modified, title: title, folder: folder)
        }
    }

    /// `2 | id(16) | info bytes16`
    struct OnionInfo {
        var id: ItemID, info: SecretBytes

        /// `capacity`: room for the info to grow in place (an editor's buffer).
        static func read(_ r: inout PayloadReader, capacity: Int? = nil) throws -> Self {
            try r.expect(.onionInfo)
            return Self(id: try r.itemID(), info: try r.secret(capacity: capacity))
        }

        func encoded() throws -> SecretBytes {
            let w = PayloadWriter(capacity: 1 + 16 + 2 + info.count)
            try w.u8(RecordKind.onionInfo.rawValue)
            try w.raw(id.bytes)
            try w.bytes(info)
            return w.buffer
        }
    }

    /// `3 | id(16) | created(u64) | modified(u64) | recipient bytes16 | cardSalt(16) | logN(u8) |
    /// r(u32) | p(u32) | sealedDescription bytes16 [| sealedUnderID(16)]`
    ///
    /// The trailing id is written only when it differs from `id` (a conflict copy keeps the id
    /// its description was sealed under); read back, `sealedUnder` is `id` when it is absent.
    struct Card<Text> {
        var id: ItemID, created: UInt64, modified: UInt64, recipient: Text
        var salt: [UInt8], kdf: ScryptParameters, sealedDescription: [UInt8], sealedUnder: ItemID

        static func read(_ r: inout PayloadReader, text: (UnsafeRawBufferPointer) throws -> Text) throws -> Self {
            try r.expect(.card)
            let id = try r.itemID()
            let created = try r.u64(), modified = try r.u64()
            let recipient = try r.withBytes(text)
            let salt = try r.raw(16)
            let kdf = ScryptParameters(logN: try r.u8(), r: try r.u32(), p: try r.u32())
            let sealed = try r.publicBytes()
            let sealedUnder = r.remaining == 16 ? try r.itemID() : id
            return Self(id: id, created: created, modified: modified, recipient: recipient, salt: salt, kdf: kdf,
                        sealedDescription: sealed, sealedUnder: sealedUnder)
        }
    }

    /// `4 | id(u16) | done(u8: 0 or 1) | text bytes16`
    struct Task<Text> {
        var id: UInt16, done: Bool, text: Text

        static func read(_ r: inout PayloadReader, text: (UnsafeRawBufferPointer) throws -> Text) throws -> Self {
            try r.expect(.task)
            let id = try r.u16()
            let done = try r.u8()
            guard done <= 1 else { throw VaultError.malformed }
            return Self(id: id, done: done == 1, text: try r.withBytes(text))
        }
    }

    /// `5 | taskMax(u16)`: one more than the highest task id in use.
    static func readTaskCounter(_ r: inout PayloadReader) throws -> UInt16 {
        try r.expect(.taskCounter)
        return try r.u16()
    }

    static func taskCounter(_ value: UInt16) throws -> SecretBytes {
        let w = PayloadWriter(capacity: 3)
        try w.u8(RecordKind.taskCounter.rawValue)
        try w.u16(value)
        return w.buffer
    }

    /// `11`: a filler record (`SaveShape`), its kind and nothing else; sealing pads it to its class.
    static func filler() throws -> SecretBytes {
        let w = PayloadWriter(capacity: 1)
        try w.u8(RecordKind.filler.rawValue)
        return w.buffer
    }

    /// `6 | form(u8) | target(16, zero when none) | title bytes16 | info bytes16`; `form` is
    /// 0 or 1 for an onion (new or with a target), 2 or 3 for a card (title: its recipient,
    /// info: its description).
    struct Draft {
        var kind: OnionsCore.Draft.Kind = .onion
        /// The onion or card being edited, nil for a new one.
        var target: ItemID?
        var title: SecretBytes
        var info: SecretBytes

        /// The capacities leave room for an editor to grow the texts in place.
        static func read(_ r: inout PayloadReader, titleCapacity: Int? = nil, infoCapacity: Int? = nil) throws -> Self {
            try r.expect(.draft)
            let form = try r.u8()
            guard form <= 3 else { throw VaultError.malformed }
            let target = try r.raw(16)
            let title = try r.secret(capacity: titleCapacity)
            do {
                return Self(kind: form >= 2 ? .card : .onion, target: form & 1 == 1 ? ItemID(bytes: target) : nil,
                            title: title, info: try r.secret(capacity: infoCapacity))
            } catch {
                title.wipe()
                throw error
            }
        }

        func encoded() throws -> SecretBytes {
            let w = PayloadWriter(capacity: 1 + 1 + 16 + 2 + title.count + 2 + info.count)
            try w.u8(RecordKind.draft.rawValue)
            try w.u8((kind == .card ? 2 : 0) + (target == nil ? 0 : 1))
            try w.raw(target?.bytes ?? [UInt8](repeating: 0, count: 16))
            try w.bytes(title)
            try w.bytes(info)
            return w.buffer
        }

        func wipe() { title.wipe(); info.wipe() }
    }

    /// `8 | n(u16) | n × (tag(u16) | value bytes16)`, tags strictly ascending: vault-wide
    /// preferences. A reader keeps tags it does not know, so a newer program's settings survive.
    struct Settings {
        var values: [UInt16: SecretBytes] = [:]

        static func read(_ r: inout PayloadReader) throws -> Self {
            try r.expect(.settings)
            var settings = Settings()
            let n = Int(try r.u16())
            var previous: Int = -1
            do {
                for _ in 0..<n {
                    let tag = try r.u16()
                    guard Int(tag) > previous else { throw VaultError.malformed }
                    previous = Int(tag)
                    settings.values[tag] = try r.secret()
                }
            } catch {
                settings.wipe()
                throw error
            }
            return settings
        }

        func encoded() throws -> SecretBytes {
            let size = values.values.reduce(1 + 2) { $0 + 2 + 2 + $1.count }
            let w = PayloadWriter(capacity: size)
            try w.u8(RecordKind.settings.rawValue)
            try w.u16(UInt16(values.count))
            for tag in values.keys.sorted() {
                try w.u16(tag)
                try w.bytes(values[tag]!)
            }
            return w.buffer
        }

        func wipe() { for value in values.values { value.wipe() } }
    }
}

extension RecordPayload.OnionTitle where Text == SecretBytes {
    func encoded() throws -> SecretBytes {
        let w = PayloadWriter(capacity: 1 + 16 + 16 + 2 + title.count + 2 + (folder?.count ?? 0))
        try w.u8(RecordKind.onionTitle.rawValue)
        try w.raw(id.bytes)
        try w.u64(created)
        try w.u64(modified)
        try w.bytes(title)
        if let folder, folder.count > 0 { try w.bytes(folder) }
        return w.buffer
    }
}

extension RecordPayload.Card where Text == SecretBytes {
    func encoded() throws -> SecretBytes {
        let w = PayloadWriter(capacity: 1 + 16 + 16 + 2 + recipient.count + 16 + 9 + 2 + sealedDescription.count + 16)
        try w.u8(RecordKind.card.rawValue)
        try w.raw(id.bytes)
        try w.u64(created)
        try w.u64(modified)
        try w.bytes(recipient)
        try w.raw(salt)
        try w.u8(kdf.logN)
        try w.u32(kdf.r)
        try w.u32(kdf.p)
        try w.bytes(sealedDescription)
        if sealedUnder != id { try w.raw(sealedUnder.bytes) }
        return w.buffer
    }
}

extension RecordPayload.Task where Text == SecretBytes {
    func encoded() throws -> SecretBytes {
        let w = PayloadWriter(capacity: 1 + 2 + 1 + 2 + text.count)
        try w.u8(RecordKind.task.rawValue)
        try w.u16(id)
        try w.u8(done ? 1 : 0)
        try w.bytes(text)
        return w.buffer
    }
}
