import OnionsCrypto

/// Drafts: the unsaved editor or card form text, sealed on lock, hang-up or termination.
extension Session {
    /// Seals an unsaved editor draft into the store (on lock, hang-up, termination).
    public func saveDraft(_ draft: Draft) throws {
        try checkUnlocked()
        let payload = try RecordPayload.Draft(kind: draft.kind, target: draft.target, title: draft.title,
                                              info: draft.info).encoded()
        defer { payload.wipe() }
        try commit([.put(draftKey, payload, .large, label: nil)])
    }

    /// Where this machine's draft is stored: under its own id, so that another machine of the
    /// vault neither restores it nor replaces it (each machine restores its own, once).
    var draftKey: LogicalKey { .draft(localState.machineID) }

    /// True when a draft stored under `key` is this machine's to restore: its own, or the one
    /// draft of a vault from before drafts belonged to a machine.
    func isOwnDraft(_ key: LogicalKey) -> Bool {
        guard case .draft(let machine) = key else { return false }
        return machine == nil || machine == localState.machineID
    }

    /// Removes the sealed draft (after it was saved or discarded) and forgets the restored one.
    public func clearDraft() throws {
        try checkUnlocked()
        draft?.wipe()
        draft = nil
        // One delete a save, as every save has (SaveShape).
        for key in [draftKey, .draft(nil)] where manifest.entries[key] != nil { try commit([.delete(key)]) }
    }
}

/// A draft that could not be written to the store, held in memory as ciphertext only: sealed
/// like a stored record under the vault's record key, which exists only while the vault is
/// unlocked (it is derived from the data key the password unwraps). A lock leaves nothing of
/// it readable; the next unlock of the same vault opens it again (`Session.restore`).
public struct HeldDraft: Sendable {
    let vault: VaultID
    let blob: [UInt8]
}

extension Session {
    /// Seals `draft` for holding in memory (when the store would not take it).
    public func sealForMemory(_ draft: Draft) throws -> HeldDraft {
        try checkUnlocked()
        let payload = try RecordPayload.Draft(kind: draft.kind, target: draft.target, title: draft.title,
                                              info: draft.info).encoded()
        defer { payload.wipe() }
        return HeldDraft(vault: vault, blob: try sealer.seal(payload, name: keys.name(draftKey), version: 0,
                                                             sizeClass: .large))
    }

    /// Opens a draft held in memory and offers it as this session's restored draft (replacing
    /// one from the store: the held one is newer). False when it belongs to another vault or
    /// does not open.
    public func restore(_ held: HeldDraft) -> Bool {
        guard !isLocked, held.vault == vault else { return false }
        let record = StoredRecord(name: keys.name(draftKey), version: 0, blob: held.blob, deleted: false, sequence: 0)
        guard let payload = try? sealer.open(record) else { return false }
        defer { payload.wipe() }
        guard let d = try? RecordPayload.read(payload, {
            try RecordPayload.Draft.read(&$0, titleCapacity: FieldLimit.onionTitle.maxBytes,
                                         infoCapacity: FieldLimit.onionInfo.maxBytes)
        }) else { return false }
        draft?.wipe()
        draft = Draft(kind: d.kind, target: d.target, title: d.title, info: d.info)
        return true
    }
}
