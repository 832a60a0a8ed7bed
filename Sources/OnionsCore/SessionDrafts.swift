import OnionsCrypto

/// Drafts: the unsaved editor text, sealed on lock, hang-up or termination.
extension Session {
    /// Seals an unsaved editor draft into the store (on lock, hang-up, termination).
    public func saveDraft(_ draft: Draft) throws {
        try checkUnlocked()
        let payload = try RecordPayload.Draft(target: draft.target, title: draft.title, info: draft.info).encoded()
        defer { payload.wipe() }
        try commit([.put(.draft, payload, .large, label: nil)])
    }

    /// Removes the sealed draft (after it was saved or discarded) and forgets the restored one.
    public func clearDraft() throws {
        try checkUnlocked()
        draft?.wipe()
        draft = nil
        if manifest.entries[.draft] != nil { try commit([.delete(.draft)]) }
    }
}
