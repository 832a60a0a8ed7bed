import OnionsCrypto

/// What a conflict copy came from, as this machine can tell.
public struct ConflictSource: Sendable {
    public let origin: ConflictOrigin
    /// The number the copied version has among the original's versions here; nil when this
    /// machine does not hold that version (it was saved elsewhere and never reached here as one).
    public let version: Int?
    /// Whether the original is in the vault now (false for a copy of a draft).
    public let originalListed: Bool
}

/// Conflict copies (FORMAT.md "Versions and trash"): where one came from, and the other side of
/// the conflict restored in one step.
extension Session {
    /// Where `item` came from when it is a conflict copy a sync made (the origin its oldest kept
    /// version carries); nil for anything else, and for copies made before copies named it.
    public func conflictSource(of item: ItemRef) throws -> ConflictSource? {
        conflictSource(in: try versions(of: item))
    }

    /// `conflictSource(of:)` from the versions of the copy, read already.
    public func conflictSource(in versions: [ItemVersion]) -> ConflictSource? {
        guard let origin = versions.lazy.compactMap(\.origin).first else { return nil }
        var number: Int?
        if let original = origin.item, let kept = try? self.versions(of: original), let commit = origin.commit {
            number = kept.first { $0.machine == origin.machine && $0.commit == commit && $0.time == origin.time }?.number
        }
        return ConflictSource(origin: origin, version: number, originalListed: origin.item.map(isListed) ?? false)
    }

    /// Whether `item` is in the vault now.
    func isListed(_ item: ItemRef) -> Bool {
        switch item {
        case .onion(let id): return onions.contains { $0.id == id }
        case .card(let id): return cards.contains { $0.id == id }
        case .task(let n): return tasks.contains { $0.id == n }
        }
    }

    /// The other side of a conflict in one step: the item conflict copy `copy` came from takes
    /// the copy's current texts as its newest version (its name without the " (conflict N)" the
    /// sync added), and the copy goes to the trash. Nothing is overwritten: the original's
    /// current version stays one of its versions. Returns the original.
    @discardableResult
    public func restoreOtherSide(_ copy: ItemRef) throws -> ItemRef {
        try checkUnlocked()
        let versions = try self.versions(of: copy)
        guard let source = conflictSource(in: versions) else {
            throw VaultError.noSuchItem("item it was copied from: that \(copy.kind) is not a conflict copy "
                + "(or one made before copies named their origin)")
        }
        guard let original = source.origin.item else {
            throw VaultError.noSuchItem("item it was copied from: that onion kept an unsaved draft; it is the only copy")
        }
        guard source.originalListed else {
            throw VaultError.noSuchItem("\(original.kind) it was copied from in the vault; if it was deleted, "
                + "'onions trash' lists it")
        }
        guard let current = versions.last(where: \.isCurrent) ?? versions.last else {
            throw VaultError.noSuchItem("current version of that \(copy.kind)")
        }
        let texts = try self.texts(of: current, of: copy)
        defer { texts.wipe() }
        let name = Self.withoutConflictSuffix(texts.name)
        defer { name.wipe() }
        var card = texts.card
        if case .card(let id) = original { card?.id = id }
        try put(VersionTexts(name: name, info: texts.info, folder: texts.folder, done: texts.done, card: card), as: original)
        switch copy {
        case .onion(let id): try deleteOnion(id)
        case .card(let id): try deleteCard(id)
        case .task(let n): try deleteTask(n)
        }
        return original
    }

    /// Runs `save`, which keeps this writer's edit of `item` as a conflict copy (another writer of
    /// the store changed it meanwhile), with the copy naming `item` and this machine's edit.
    func keepingCopy<T>(of item: ItemRef, _ save: () throws -> T) rethrows -> T {
        copyOrigin = ConflictOrigin(item: item, machine: thisMachine, commit: nil, time: nowMilliseconds())
        defer { copyOrigin = nil }
        return try save()
    }

    /// `text` without a trailing " (conflict N)" (a copy of it, in secret memory).
    static func withoutConflictSuffix(_ text: SecretBytes) -> SecretBytes {
        text.withUnsafeBytes { bytes in
            let marker = Array(" (conflict ".utf8)
            var end = bytes.count
            guard end > marker.count + 2, bytes[end - 1] == UInt8(ascii: ")") else { return SecretBytes(copying: bytes) }
            end -= 1
            var digits = end
            while digits > 0, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[digits - 1]) { digits -= 1 }
            let start = digits - marker.count
            guard digits < end, start > 0, bytes[start..<digits].elementsEqual(marker) else {
                return SecretBytes(copying: bytes)
            }
            return SecretBytes(copying: UnsafeRawBufferPointer(rebasing: bytes[0..<start]))
        }
    }
}
