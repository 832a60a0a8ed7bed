import OnionsCrypto

/// Cards saved after another writer of the same store changed them: the rules of sync
/// (`ItemMerge.whole`). A card's description is sealed under its own password, so two changes
/// are never merged: the other writer's card stays and this one becomes a copy.
extension Session {
    /// Card `id` as it is listed now, as the base of a save; nil when it is not listed.
    public func cardBase(of id: ItemID) -> CardBase? {
        guard cards.contains(where: { $0.id == id }) else { return nil }
        return CardBase(id: id, version: versions[.card(id)])
    }

    /// Saves a card after whatever other writers saved meanwhile (a new one when `id` is nil).
    ///
    /// When another writer changed the card since `base` (what the form opened), theirs stays
    /// and this one is saved as a new card for "recipient (conflict N)"; a card another writer
    /// deleted comes back as a new one. Without a base, the save replaces what is stored.
    /// Limits and password rules as `saveCard`.
    public func saveCard(id: ItemID?, recipient: SecretBytes, description: SecretBytes, cardPassword: SecretBytes,
                         kdf: ScryptParameters = Session.defaultCardKDF,
                         since base: CardBase?) throws -> (id: ItemID, outcome: PeerSaveOutcome) {
        try checkUnlocked()
        try check(recipient, FieldLimit.cardRecipient)
        try check(description, FieldLimit.cardDescription)
        try PasswordText.check(cardPassword)
        return try afterPeers {
            func save(_ id: ItemID?, _ recipient: SecretBytes) throws -> ItemID {
                try saveCard(id: id, recipient: recipient, description: description, cardPassword: cardPassword, kdf: kdf)
            }
            guard let id else { return (try save(nil, recipient), .saved) }
            guard cards.contains(where: { $0.id == id }) else { return (try save(nil, recipient), .restored) }
            guard let base, base.id == id,
                  case .conflict = ItemMerge.whole(same: base.version == versions[.card(id)]) else {
                return (try save(id, recipient), .saved)
            }
            let copyRecipient = conflictName(recipient, limit: .cardRecipient, among: cards.map(\.recipient))
            defer { copyRecipient.wipe() }
            return (try keepingCopy(of: .card(id)) { try save(nil, copyRecipient) }, .keptAsCopy)
        }
    }

    /// Deletes card `base.id` after whatever other writers saved meanwhile. False when another
    /// writer changed it since `base`: as in sync, the edit wins and the card stays.
    @discardableResult
    public func deleteCard(since base: CardBase) throws -> Bool {
        try checkUnlocked()
        return try afterPeers {
            guard cards.contains(where: { $0.id == base.id }) else { return true }
            // Theirs holds an edit when it changed since the base: the edit wins over this delete.
            let theirsEdited = versions[.card(base.id)] != base.version
            guard ItemMerge.survivor(mine: false, theirs: theirsEdited) == .neither else { return false }
            try deleteCard(base.id)
            return true
        }
    }
}
