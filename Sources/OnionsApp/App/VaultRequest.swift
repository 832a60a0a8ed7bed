import OnionsCore
import OnionsCrypto

/// Work on the open vault that `update` asks for (`AppEffect.vault`); the effect runner does it
/// on its own thread, in order, and answers with a `VaultResult`.
///
/// A request owns the secrets it carries; the runner wipes them once it is done (a card's
/// password that opened the card travels back in the result instead). What the runner needs
/// to answer it (the text an edit started from, the version of the card edited) travels in
/// the request, and what is still of use comes back in the answer: the runner keeps nothing
/// between two requests but the session.
public enum VaultRequest: @unchecked Sendable {
    /// Save an onion (a new one when `id` is nil) and drop the sealed draft. `base` is what the
    /// editor started from (for merging with another writer's change); it comes back in the
    /// answer when the save failed, and is wiped when it went through.
    case saveOnion(id: ItemID?, title: SecretBytes, info: SecretBytes, base: EditBase?)
    case deleteOnion(ItemID)
    /// Save a new onion beside the one being edited (the rest of a paste that did not fit);
    /// the editor and the sealed draft are left as they are.
    case addOnion(title: SecretBytes, info: SecretBytes)
    /// Open an onion's info for `use`.
    case openInfo(ItemID, InfoUse)
    /// Onions whose title or info contains `query` (folded), among `within` when given.
    case search(query: [UInt8], within: Set<ItemID>?)
    /// Try a card's own password (a key derivation).
    case openCard(ItemID, password: SecretBytes)
    /// Save a card; unless `confirmed`, a password equal to the vault's is not saved but
    /// answered with `.cardPasswordIsVaultPassword`. `base` is the version the form opened.
    case saveCard(CardDraft, confirmed: Bool, base: CardBase?)
    case deleteCard(ItemID)
    /// Add a task (`editing` nil) or change the text of the one the input line started from.
    case saveTask(editing: TaskBase?, text: SecretBytes)
    /// Tick or untick a task as it was shown.
    case setTask(TaskBase, done: Bool)
    /// Delete a task as it was shown (kept when another program changed it meanwhile).
    case deleteTask(TaskBase)
    /// Drop the sealed draft (the editor's changes were discarded).
    case clearDraft
    /// Change the list order, a pin or the task order (saved in the vault).
    case changeSettings(SettingsChange)
    /// Seal the draft, if any, then wipe the session (lock, suspend, hang-up, quit).
    case lock(draft: Draft?)
    /// Load what other programs saved to this store, and sync with the server when it
    /// announced a change, a save waits, or it may be back.
    case sync
    /// Bring back the item this session deleted last.
    case undoDelete
    /// List an item's versions and open its current one and the one before (a card's with
    /// its own `password`, which travels back in the answer for opening other versions).
    case history(ItemRef, password: SecretBytes?)
    /// Open one version of an item (a card's with its own password).
    case openVersion(ItemRef, ItemVersion, password: SecretBytes?)
    /// Save `version` again as the item's newest version.
    case restoreVersion(ItemRef, ItemVersion)
    /// List what is in the trash.
    case trash
    /// Bring a deleted item back from the trash.
    case restoreFromTrash(TrashEntry)
    /// The other side of a conflict: the item conflict copy `ItemRef` came from takes its text,
    /// the copy goes to the trash.
    case restoreOtherSide(ItemRef)

    /// Wipes the secrets the request carries (when it is dropped or done).
    func wipe() {
        switch self {
        case .addOnion(let title, let info):
            title.wipe()
            info.wipe()
        case .saveOnion(_, let title, let info, _):
            title.wipe()
            info.wipe()
        case .openCard(_, let password): password.wipe()
        case .saveCard(let card, _, _): card.wipe()
        case .saveTask(let base, let text):
            base?.wipe()
            text.wipe()
        case .setTask(let base, _): base.wipe()
        case .deleteTask(let base): base.wipe()
        case .lock(let draft): draft?.wipe()
        case .history(_, let password), .openVersion(_, _, let password): password?.wipe()
        default: break
        }
    }
}

/// Why an info is opened.
public enum InfoUse: Equatable, Sendable {
    case preview, edit, copy
    /// The read view (Enter on the list).
    case read
}

/// A card as the form saves it.
public final class CardDraft: @unchecked Sendable {
    /// The card edited; nil for a new one.
    public let id: ItemID?
    public let recipient: SecretBytes
    public let description: SecretBytes
    public let password: SecretBytes

    public init(id: ItemID?, recipient: SecretBytes, description: SecretBytes, password: SecretBytes) {
        self.id = id
        self.recipient = recipient
        self.description = description
        self.password = password
    }

    public func wipe() {
        recipient.wipe()
        description.wipe()
        password.wipe()
    }
}

/// What a `VaultRequest` came to. Secrets in it belong to `update` from then on.
public enum VaultResult {
    /// The onion saved, and how the save met another writer's change to it; the edit's base
    /// back when the save failed (the editor stays open and saves against it again).
    case onionSaved(Result<ItemID, any Error>, PeerSaveOutcome, base: EditBase?)
    case onionDeleted(Result<ItemID, any Error>)
    /// The onion `addOnion` saved, by its title.
    case onionAdded(Result<ItemID, any Error>, title: String)
    /// An info opened for the preview, the read view or a copy.
    case info(ItemID, InfoUse, Result<SecretBytes, any Error>)
    /// An info opened for the editor, and the base a save of it merges against.
    case openedForEdit(ItemID, Result<(info: SecretBytes, base: EditBase?), any Error>)
    case searched(query: [UInt8], ids: [ItemID])
    /// The card's description, the password that opened it and its version (an edit's base).
    case cardOpened(ItemID, Result<(description: SecretBytes, password: SecretBytes, base: CardBase?), any Error>)
    /// The card saved, and how the save met another program's change to it.
    case cardSaved(Result<ItemID, any Error>, PeerSaveOutcome)
    /// The card was not saved: its password is the vault's own (ask, then save confirmed).
    case cardPasswordIsVaultPassword
    case cardDeleted(Result<ItemID, any Error>)
    /// The task saved (its number), and how the save met another program's change to it.
    case taskSaved(Result<UInt16, any Error>, PeerSaveOutcome)
    /// True when the task was deleted; false when another program had changed it meanwhile
    /// and it was kept.
    case taskDeleted(Result<Bool, any Error>)
    case draftCleared
    case settingsChanged(SettingsChange, Result<Void, any Error>)
    /// The session is wiped; `draftSealed` is false when a draft was given and did not seal;
    /// `held` is a draft the store would not take, sealed (ciphertext only) for keeping in
    /// memory until the next unlock.
    case locked(draftSealed: Bool, held: HeldDraft?)
    /// A sync ran (`report`) or there was nothing to sync (nil); the server's state now;
    /// whether another program's saves to this store were loaded.
    case synced(SyncReport?, RemoteStatus, peersWrote: Bool)
    /// The item the last delete took, back (nil: there was none to bring back).
    case undone(Result<ItemRef?, any Error>)
    /// An item's versions, its current one and the one before opened.
    case historyOpened(ItemRef, Result<HistoryListing, any Error>)
    /// One version opened (`VersionText.number` says which).
    case versionOpened(ItemRef, Result<VersionText, any Error>)
    /// A version saved again as the newest (its number).
    case versionRestored(ItemRef, number: Int, Result<Void, any Error>)
    /// What is in the trash, the latest delete first.
    case trashListed(Result<[TrashLine], any Error>)
    /// An item brought back from the trash, as it is listed now.
    case restoredFromTrash(Result<ItemRef, any Error>)
    /// A conflict copy's text taken by the item it came from (that item, as it is listed now).
    case otherSideRestored(Result<ItemRef, any Error>)

    /// Wipes the secrets the result carries (when `update` has no use for it).
    func wipe() {
        switch self {
        case .info(_, _, .success(let info)): info.wipe()
        case .openedForEdit(_, .success(let opened)):
            opened.info.wipe()
            opened.base?.wipe()
        case .onionSaved(_, _, let base): base?.wipe()
        case .cardOpened(_, .success(let card)):
            card.description.wipe()
            card.password.wipe()
        case .historyOpened(_, .success(let listing)): listing.wipe()
        case .versionOpened(_, .success(let version)): version.wipe()
        case .trashListed(.success(let lines)): lines.forEach { $0.wipe() }
        default: break
        }
    }
}
