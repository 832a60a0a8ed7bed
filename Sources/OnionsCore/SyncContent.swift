import OnionsCrypto

/// Record payloads as the merge sees them: decoded into secret memory, encoded back.
///
/// Layouts are those of FORMAT.md section 7; a card conflict copy appends the id its
/// description was sealed under (section 11).
enum SyncContent {
    struct OnionTitle {
        var id: ItemID, created: UInt64, modified: UInt64, title: SecretBytes
    }

    struct Task {
        var id: UInt16, done: Bool, text: SecretBytes
    }

    struct Card {
        var id: ItemID, created: UInt64, modified: UInt64, recipient: SecretBytes
        /// salt(16) | logN | r | p | sealed description (bytes16), kept as they are.
        var sealedPart: SecretBytes
        var sealedUnder: ItemID
    }

    struct Draft {
        var title: SecretBytes, info: SecretBytes
    }

    static func onionTitle(_ p: SecretBytes) throws -> OnionTitle {
        var r = PayloadReader(p)
        guard try r.u8() == RecordKind.onionTitle.rawValue else { throw VaultError.malformed }
        return OnionTitle(id: ItemID(bytes: try r.raw(16)), created: try r.u64(), modified: try r.u64(),
                          title: try r.secret())
    }

    static func onionInfo(_ p: SecretBytes) throws -> SecretBytes {
        var r = PayloadReader(p)
        guard try r.u8() == RecordKind.onionInfo.rawValue else { throw VaultError.malformed }
        _ = try r.raw(16)
        return try r.secret()
    }

    static func task(_ p: SecretBytes) throws -> Task {
        var r = PayloadReader(p)
        guard try r.u8() == RecordKind.task.rawValue else { throw VaultError.malformed }
        return Task(id: try r.u16(), done: try r.u8() != 0, text: try r.secret())
    }

    static func card(_ p: SecretBytes) throws -> Card {
        var r = PayloadReader(p)
        guard try r.u8() == RecordKind.card.rawValue else { throw VaultError.malformed }
        let id = ItemID(bytes: try r.raw(16))
        let created = try r.u64(), modified = try r.u64()
        let recipient = try r.secret()
        let start = r.offset
        _ = try r.raw(16 + 9)
        _ = try r.publicBytes()
        let end = r.offset
        let sealedUnder = r.remaining >= 16 ? ItemID(bytes: try r.raw(16)) : id
        let sealedPart = p.withUnsafeBytes { SecretBytes(copying: UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
        return Card(id: id, created: created, modified: modified, recipient: recipient, sealedPart: sealedPart,
                    sealedUnder: sealedUnder)
    }

    static func draft(_ p: SecretBytes) throws -> Draft {
        var r = PayloadReader(p)
        guard try r.u8() == RecordKind.draft.rawValue else { throw VaultError.malformed }
        _ = try r.u8()
        _ = try r.raw(16)
        return Draft(title: try r.secret(), info: try r.secret())
    }

    static func encodeOnion(id: ItemID, created: UInt64, modified: UInt64, title: SecretBytes,
                            info: SecretBytes) throws -> (title: SecretBytes, info: SecretBytes) {
        let t = PayloadWriter(capacity: 1 + 16 + 16 + 2 + title.count)
        try t.u8(RecordKind.onionTitle.rawValue)
        try t.raw(id.bytes)
        try t.u64(created)
        try t.u64(modified)
        try t.bytes(title)
        let i = PayloadWriter(capacity: 1 + 16 + 2 + info.count)
        try i.u8(RecordKind.onionInfo.rawValue)
        try i.raw(id.bytes)
        try i.bytes(info)
        return (t.buffer, i.buffer)
    }

    static func encodeTask(id: UInt16, done: Bool, text: SecretBytes) throws -> SecretBytes {
        let w = PayloadWriter(capacity: 1 + 2 + 1 + 2 + text.count)
        try w.u8(RecordKind.task.rawValue)
        try w.u16(id)
        try w.u8(done ? 1 : 0)
        try w.bytes(text)
        return w.buffer
    }

    static func encodeTaskMax(_ value: UInt16) throws -> SecretBytes {
        let w = PayloadWriter(capacity: 3)
        try w.u8(RecordKind.taskMax.rawValue)
        try w.u16(value)
        return w.buffer
    }

    static func encodeCard(_ c: Card) throws -> SecretBytes {
        let w = PayloadWriter(capacity: 1 + 16 + 16 + 2 + c.recipient.count + c.sealedPart.count + 16)
        try w.u8(RecordKind.card.rawValue)
        try w.raw(c.id.bytes)
        try w.u64(c.created)
        try w.u64(c.modified)
        try w.bytes(c.recipient)
        try c.sealedPart.withUnsafeBytes { guard w.buffer.append($0) else { throw VaultError.internalLimit } }
        if c.sealedUnder != c.id { try w.raw(c.sealedUnder.bytes) }
        return w.buffer
    }

    /// `text` followed by " (conflict N)", cut (by characters) so that it fits `limit`.
    static func conflictName(_ text: SecretBytes, number: Int, limit: FieldLimit) -> SecretBytes {
        let suffix = " (conflict \(number))"
        var kept = Substring(text.withUnsafeBytes { String(decoding: $0, as: UTF8.self) })
        while kept.count + suffix.count > limit.maxCharacters || kept.utf8.count + suffix.utf8.count > limit.maxBytes {
            kept = kept.dropLast()
        }
        while kept.last == " " { kept = kept.dropLast() }
        var bytes = Array(kept.utf8) + Array(suffix.utf8)
        defer { for i in bytes.indices { bytes[i] = 0 } }
        return SecretBytes(copying: bytes)
    }

    static func equal(_ a: SecretBytes, _ b: SecretBytes) -> Bool {
        a.count == b.count && a.constantTimeEquals(b)
    }
}
