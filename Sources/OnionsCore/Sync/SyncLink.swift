import OnionsCrypto

/// A session's tie to its server: the connection, the cached sync base, and the save hooks.
final class SyncLink {
    let remote: SyncRemote
    var base: SyncBase?
    /// True when the kept base was damaged when read: the next round says so and saves a new one.
    var baseWasDamaged = false
    /// True when a save is waiting to be pushed (`Session.pushPending`, or any sync).
    var pending = false
    var running = false
    /// The change sequence value of the server's chain head as the last sync that ended well
    /// read it, before the records (which it reads above the base's sequence value, the head
    /// left out; a vault's writes take their values in the order they commit): every change
    /// announced at or below the larger of the two, that sync has seen.
    var headSequence: Int64 = 0
    var lastReport: SyncReport?
    /// Why the server refused this session's key. Set, no sync is tried again until a new log in:
    /// every try would be a failed log in, which the server delays.
    var keyRefused: String?
    /// How far this session read the server's kept rows (SessionServerHistory.swift), the rows
    /// the round's commits call brought, and the removals of kept rows waiting for the server.
    var historyCursor: Int64?
    var pulledHistory: [StoredRecord]?
    var serverPurges: ServerPurgeQueue?
    /// Records whose blobs a round reads before it decides, not while it copies them: the ones a
    /// page found not to be what the plan was made for (SyncPageMismatch).
    var eager: Set<RecordName> = []
    init(remote: SyncRemote) { self.remote = remote }

    /// The connected server under server names: the same wrapper while the connection is the
    /// same (its index of the server's rows stays), a new one for a new connection.
    func server(_ session: Session, force: Bool = false) throws -> RemoteStore {
        let store = try remote.store(force: force)
        if let named = remote.named, named.inner === store, named.keys === session.keys {
            named.excluded.formUnion(session.historyExcluded)
            return named
        }
        remote.named?.names.wipe()
        let keys = session.keys
        let fixed = Set([keys.name(.manifest), session.chainHeadName] + Manifest.partNames(keys))
        let wrapper = NamedServer(store, names: try ServerNames(nameKey: keys.nameKey), fixed: fixed, keys: keys)
        wrapper.excluded = session.historyExcluded
        remote.named = wrapper
        return wrapper
    }

    /// Forgets the naming key (a lock).
    func wipe() {
        remote.named?.names.wipe()
        remote.named = nil
    }

    /// What the last round read of the server: an announcement at or below it is no news.
    var seenSequence: Int64 { max(base?.sequence ?? 0, headSequence) }

    func cachedBase(_ local: SyncStateStore, _ session: Session) throws -> SyncBase {
        if let base { return base }
        let loaded = try SyncBase.load(local, vault: session.vault, keys: session.keys)
        if loaded.damaged { baseWasDamaged = true }
        base = loaded.base
        return loaded.base
    }

    /// Keeps the blob of each record this save replaces for the first time since a sync: the
    /// common ancestor a later three-way merge needs (for a manifest part: the server's copy a
    /// round reads the server's manifest with, without asking the server again).
    func beforeLocalWrite(_ session: Session, names: [RecordName]) {
        guard let local = session.store as? SyncStateStore, let base = try? cachedBase(local, session) else { return }
        let root = session.keys.name(.manifest)
        for name in names where name != root {
            guard let version = base.versions[name], version > 0,
                  SyncBase.ancestor(local, vault: session.vault, name: name, version: version) == nil,
                  let current = try? local.record(vault: session.vault, name: name), current.version == version else { continue }
            try? SyncBase.saveAncestor(local, vault: session.vault, current)
        }
    }

    /// Changes the password on the server first (other machines must see the new header);
    /// refuses while the server is unreachable, so the two never disagree.
    func replaceRemoteHeader(_ session: Session, with newHeader: VaultHeaderBlob, authKey: SecretBytes) throws {
        do {
            let server = try remote.store(force: true)
            try logIn(server, session)
            try server.replaceHeader(session.vault, expected: session.header, with: newHeader, authKey: authKey)
        } catch StoreError.noVault {
            return
        } catch let e as StoreError {
            if case .unavailable = e { remote.dropConnection(because: e) }
            throw VaultError.store(.unavailable("changing the password needs the server, which is unreachable "
                + "or refused (\(SyncRemote.reason(e)))"))
        }
    }

    /// Deletes the vault on the server first (a delete only here would come back with the next
    /// log in). Refused while the server is unreachable.
    func deleteRemoteVault(_ session: Session) throws {
        do {
            let server = try remote.store(force: true)
            try logIn(server, session)
            try server.deleteVault(session.vault)
        } catch StoreError.noVault {
            return
        } catch let e as StoreError {
            if case .unavailable = e { remote.dropConnection(because: e) }
            throw VaultError.store(.unavailable("deleting the account needs the server, which is unreachable "
                + "or refused (\(SyncRemote.reason(e))); nothing deleted"))
        }
    }

    /// Presents the session's key unless a sync did already on this connection.
    private func logIn(_ server: RemoteStore, _ session: Session) throws {
        guard !remote.listening.contains(session.vault) else { return }
        try server.authorize(vault: session.vault, authKey: session.passwordKeys.authKey)
    }

    /// A save was committed here: the next `Session.pushPending` (or sync) sends it. Nothing
    /// reaches for the network inside a save.
    func noteLocalSave() {
        pending = true
        remote.noteActive()
    }
}
