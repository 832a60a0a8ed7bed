import OnionsCrypto

/// Cards: saving one sealed under its own password, opening it with that password, deleting.
extension Session {
    /// The default cost of a card's own password (lighter than the vault's: one card, one wait).
    public static let defaultCardKDF = ScryptParameters(logN: 15, r: 8, p: 1)

    /// Saves a card: its recipient in the clear of the vault's sealing, its description sealed
    /// again under `cardPassword` with a fresh salt. A new card when `id` is nil.
    @discardableResult
    public func saveCard(id: ItemID?, recipient: SecretBytes, description: SecretBytes, cardPassword: SecretBytes,
                         kdf: ScryptParameters = Session.defaultCardKDF, created createdAt: UInt64? = nil) throws -> ItemID {
        try checkUnlocked()
        try check(recipient, FieldLimit.cardRecipient)
        try check(description, FieldLimit.cardDescription)
        try PasswordText.check(cardPassword)
        let now = nowMilliseconds()
        let existing = id.flatMap { id in cards.firstIndex { $0.id == id } }
        if id != nil && existing == nil { throw VaultError.noSuchItem("card with that id") }
        let itemID = id ?? ItemID.random()
        let created = existing.map { cards[$0].created } ?? createdAt ?? now

        let salt = SecureRandom.bytes(16)
        let cardKey = try CardKey.derive(password: cardPassword, salt: salt, kdf: kdf)
        defer { cardKey.wipe() }
        let sealedDescription = try AES.GCM.seal(description, using: cardKey,
                                                 authenticating: CardKey.aad(vault: vault, card: itemID))
        let payload = try RecordPayload.Card(id: itemID, created: created, modified: now, recipient: recipient,
                                             salt: salt, kdf: kdf, sealedDescription: sealedDescription,
                                             sealedUnder: itemID).encoded()
        defer { payload.wipe() }
        try commit([.put(.card(itemID), payload, .large, label: recipient)])
        if let i = existing {
            texts.replace(cards[i].recipient, with: recipient)
            cards[i] = CardSummary(id: itemID, recipient: cards[i].recipient, created: created, modified: now)
        } else {
            cards.insert(CardSummary(id: itemID, recipient: texts.add(recipient), created: created, modified: now), at: 0)
        }
        return itemID
    }

    /// Opens a card's description with its own password. Throws `VaultError.cardWrongPassword`
    /// (and reveals nothing) when the password is wrong.
    public func openCard(_ id: ItemID, password: SecretBytes) throws -> SecretBytes {
        try checkUnlocked()
        try PasswordText.check(password)
        let key = LogicalKey.card(id)
        let payload = try openListed(key, missing: "card with that id")
        defer { payload.wipe() }
        // The recipient is not needed here: skipped in place.
        let card = try RecordPayload.read(payload) { try RecordPayload.Card.read(&$0) { _ in () } }
        guard card.id == id else { throw VaultError.malformed }
        return try openDescription(of: card, password: password)
    }

    /// The description of `card` (a listed card's payload or one of its versions), opened with
    /// its own password; `VaultError.cardWrongPassword` for a wrong one.
    func openDescription<Text>(of card: RecordPayload.Card<Text>, password: SecretBytes) throws -> SecretBytes {
        let cardKey = try CardKey.derive(password: password, salt: card.salt, kdf: card.kdf)
        defer { cardKey.wipe() }
        do {
            // A conflict copy made by sync keeps the id its description was sealed under.
            return try AES.GCM.open(card.sealedDescription, using: cardKey,
                                    authenticating: CardKey.aad(vault: vault, card: card.sealedUnder))
        } catch {
            throw VaultError.cardWrongPassword
        }
    }

    /// Deletes a card.
    public func deleteCard(_ id: ItemID) throws {
        try checkUnlocked()
        guard let i = cards.firstIndex(where: { $0.id == id }) else { throw VaultError.noSuchItem("card with that id") }
        try commit([.delete(.card(id))])
        texts.remove(cards[i].recipient)
        cards.remove(at: i)
        lastDeleted = .card(id)
    }

    /// True when `candidate` is the vault's own password (a card password should not be).
    public func isVaultPassword(_ candidate: SecretBytes) throws -> Bool {
        try checkUnlocked()
        let pk = try PasswordKeys(typed: candidate, parameters: parameters)
        defer { pk.wipe() }
        return pk.authKey.constantTimeEquals(passwordKeys.authKey)
    }
}
