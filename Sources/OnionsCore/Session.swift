import OnionsCrypto

/// An unlocked vault: its keys, its decrypted titles, cards and tasks, and every way to change them.
///
/// Create one with `signUp` or `logIn`. Every key and plaintext it holds is in secret memory
/// (`SecretBytes`, `SecretTable`); `lock()` wipes all of it and leaves the session unusable
/// (`VaultError.locked`). Each save is one store transaction: the record(s) and the manifest.
/// Not thread-safe: use it from one thread.
public final class Session {
    public let store: Store
    public let vault: VaultID
    /// The name the person logged in with (shown on the lock screen; never stored).
    public let username: String
    /// Titles, recipients, task texts and manifest labels, addressed by the handles in the
    /// summaries.
    public let texts = SecretTable()
    /// Onions, most recently changed first.
    public private(set) var onions: [OnionSummary] = []
    /// Cards, most recently created first.
    public private(set) var cards: [CardSummary] = []
    /// Tasks by id.
    public private(set) var tasks: [TaskSummary] = []
    /// What the vault noticed about the store when it opened (and since).
    public internal(set) var issues: [IntegrityIssue] = []
    /// A draft sealed by an earlier lock or hang-up, restored at log in.
    public private(set) var draft: Draft?
    public private(set) var isLocked = false

    let stateDirectory: String
    var parameters: VaultParameters
    var header: VaultHeaderBlob
    var passwordKeys: PasswordKeys
    private var dataKey: SecretBytes
    var keys: DataKeys
    var manifest = Manifest()
    var manifestVersion: UInt64 = 0
    /// Live store versions of logical keys this session wrote or read (for compare-and-set).
    private var versions: [String: UInt64] = [:]
    /// Versions the store held at log in by name, tombstones included: a key written again after
    /// a delete in an earlier session (a task id, the draft) continues from its tombstone.
    private var heldVersions: [RecordName: UInt64] = [:]
    var localState: LocalState
    /// The remote this session syncs with (SyncSession.swift), nil for a store alone.
    var sync: SyncLink?
    /// Every info, opened by the first `searchOnions` and kept with ASCII letters in lower case
    /// (only for searching), by onion.
    private var infoIndex: [ItemID: Int]?
    private let infoTexts = SecretTable()

    // MARK: Sign up and log in

    /// Creates a vault for `username` in `store` and opens it.
    /// Throws `VaultError.vaultExists`, `.emptyUsername`, `.emptyPassword`.
    public static func signUp(store: Store, username: String, password: SecretBytes,
                              kdf: ScryptParameters = .default, stateDirectory: String) throws -> Session {
        guard !username.isEmpty else { throw VaultError.emptyUsername }
        guard password.count > 0 else { throw VaultError.emptyPassword }
        let vault = VaultID(CredentialStretching.stretch(username))
        if try store.prelogin(vault: vault) != nil { throw VaultError.vaultExists }
        let parameters = VaultParameters(kdf: kdf, salt: SecureRandom.bytes(16), vaultUUID: SecureRandom.bytes(16))
        let normalized = PasswordText.normalized(password)
        defer { normalized.wipe() }
        let pk = try PasswordKeys(password: normalized, parameters: parameters)
        let dataKey = SecureRandom.secret(32)
        let encoded = parameters.encoded
        let header = VaultHeaderBlob(parameters: encoded,
                                     wrappedKey: try pk.wrap(dataKey, vault: vault, parameters: encoded),
                                     verifier: pk.verifier)
        do {
            try store.createVault(vault, header: header)
        } catch StoreError.vaultExists {
            throw VaultError.vaultExists
        } catch let e as StoreError {
            throw VaultError.store(e)
        }
        try wrapStore { try store.authorize(vault: vault, authKey: pk.authKey) }
        let session = try Session(store: store, vault: vault, username: username, parameters: parameters,
                                  header: header, passwordKeys: pk, dataKey: dataKey,
                                  stateDirectory: stateDirectory, localState: LocalState())
        try session.writeManifest(extra: [])
        return session
    }

    /// Opens the vault of `username`. Throws `VaultError.noSuchVault`, `.wrongPassword`,
    /// `.headerAltered`, `.headerUnreadable`; problems with single records become `issues`.
    public static func logIn(store: Store, username: String, password: SecretBytes,
                             stateDirectory: String) throws -> Session {
        guard !username.isEmpty else { throw VaultError.emptyUsername }
        guard password.count > 0 else { throw VaultError.emptyPassword }
        let vault = VaultID(CredentialStretching.stretch(username))
        guard let encoded = try wrapStore({ try store.prelogin(vault: vault) }) else {
            throw VaultError.noSuchVault
        }
        let parameters = try VaultParameters(decoding: encoded)
        let state = LocalState.load(directory: stateDirectory, vault: vault, vaultUUID: parameters.vaultUUID)
        let normalized = PasswordText.normalized(password)
        defer { normalized.wipe() }
        let pk = try PasswordKeys(password: normalized, parameters: parameters)
        do {
            try store.authorize(vault: vault, authKey: pk.authKey)
        } catch StoreError.unauthorized {
            pk.wipe()
            throw state.parametersFingerprint.isEmpty || state.parametersFingerprint == SHA256.hash(encoded)
                ? VaultError.wrongPassword : VaultError.headerAltered
        } catch StoreError.noVault {
            throw VaultError.noSuchVault
        } catch let e as StoreError {
            throw VaultError.store(e)
        }
        let (header, dataKey) = try unwrapHeader(from: store, vault: vault, with: pk)
        let session = try Session(store: store, vault: vault, username: username, parameters: parameters,
                                  header: header, passwordKeys: pk, dataKey: dataKey,
                                  stateDirectory: stateDirectory, localState: state)
        try session.load()
        return session
    }

    /// Reads a vault's header (after `authorize`) and unwraps its data key with the password's
    /// keys. A key that does not unwrap means the header was altered.
    static func unwrapHeader(from store: Store, vault: VaultID, with pk: PasswordKeys) throws
        -> (VaultHeaderBlob, SecretBytes) {
        guard let header = try wrapStore({ try store.header(vault: vault) }) else { throw VaultError.noSuchVault }
        do {
            return (header, try pk.unwrap(header.wrappedKey, vault: vault, parameters: header.parameters))
        } catch {
            pk.wipe()
            throw VaultError.headerAltered
        }
    }

    init(store: Store, vault: VaultID, username: String, parameters: VaultParameters,
                 header: VaultHeaderBlob, passwordKeys: PasswordKeys, dataKey: SecretBytes,
                 stateDirectory: String, localState: LocalState) throws {
        self.store = store
        self.vault = vault
        self.username = username
        self.parameters = parameters
        self.header = header
        self.passwordKeys = passwordKeys
        self.dataKey = dataKey
        self.keys = try DataKeys(dataKey: dataKey)
        self.stateDirectory = stateDirectory
        self.localState = localState
        self.localState.headerFingerprint = LocalState.fingerprint(header)
        self.localState.parametersFingerprint = SHA256.hash(header.parameters)
    }

    var sealer: RecordSealer { RecordSealer(vault: vault, keys: keys) }

    // MARK: Loading

    /// Reads the manifest, compares it with what the store holds, and opens every small record.
    /// Reads the vault again from the store (after sync changed it). Handles in `texts` and the
    /// summaries from before are invalid afterwards: find items again by id. A restored draft stays.
    func reload() throws {
        onions.removeAll()
        cards.removeAll()
        tasks.removeAll()
        texts.wipe()
        infoTexts.wipe()
        infoIndex = nil
        manifest = Manifest()
        manifestVersion = 0
        versions.removeAll()
        heldVersions.removeAll()
        issues.removeAll()
        reloading = true
        defer { reloading = false }
        try load()
    }

    /// True while `reload` runs (a draft is restored once, at log in).
    private var reloading = false

    func load() throws {
        let manifestName = keys.name(LogicalKey.manifest)
        let stored = try Self.wrapStore { try store.record(vault: vault, name: manifestName) }
        if let stored, let payload = try? sealer.open(stored),
           let m = try? Manifest.decode(payload, labels: texts) {
            payload.wipe()
            manifest = m
            manifestVersion = stored.version
        } else if stored == nil, localState.counter == 0,
                  try Self.wrapStore({ try store.recordVersions(vault: vault) }).isEmpty {
            // A sign-up cut off between its header and its first manifest (a crash, a kill):
            // an empty vault this machine never saw written, not a tampered one.
            manifestVersion = 0
        } else {
            issues.append(IntegrityIssue(kind: .manifest, label: "the manifest"))
            manifestVersion = stored?.version ?? 0
        }
        if manifest.counter < localState.counter {
            issues.append(IntegrityIssue(kind: .rolledBack(seen: localState.counter, found: manifest.counter),
                                         label: "the vault"))
        }
        versions[LogicalKey.manifest] = manifestVersion

        // What the store holds, without reading any blob.
        let held = try Self.wrapStore { try store.recordVersions(vault: vault) }
        // Room for every title, recipient and task text at once (about 40 bytes each).
        texts.reserve(bytes: manifest.entries.count * 40, handles: manifest.entries.count)
        heldVersions.reserveCapacity(held.count)
        var heldByName: [RecordName: UInt64] = [:]
        heldByName.reserveCapacity(held.count)
        for entry in held where !entry.deleted { heldByName[entry.name] = entry.version }
        for entry in held { heldVersions[entry.name] = entry.version }
        heldByName[manifestName] = nil

        var wanted: [RecordName: String] = [:]
        wanted.reserveCapacity(manifest.entries.count)
        onions.reserveCapacity(manifest.entries.count / 2)
        for (key, entry) in manifest.entries {
            let name = keys.name(key)
            guard let version = heldByName.removeValue(forKey: name) else {
                issues.append(IntegrityIssue(kind: .missing, label: label(key)))
                continue
            }
            versions[key] = version
            if version != entry.version {
                issues.append(IntegrityIssue(kind: .older, label: label(key)))
                continue
            }
            if !key.hasSuffix("/info") { wanted[name] = key }
        }
        if !heldByName.isEmpty {
            issues.append(IntegrityIssue(kind: .unlisted(count: heldByName.count), label: "records"))
        }

        // In slices, so that the sealed blobs of a large vault are never all in memory at once;
        // every record opens into one reused secret buffer.
        let scratch = SecretBytes(count: 0, capacity: RecordSealer.scratchCapacity)
        defer { scratch.wipe() }
        let names = Array(wanted.keys)
        for start in stride(from: 0, to: names.count, by: 512) {
            let slice = Array(names[start..<min(start + 512, names.count)])
            let records = try Self.wrapStore { try store.records(vault: vault, names: slice) }
            for record in records {
                guard let key = wanted[record.name] else { continue }
                do {
                    var reader = try sealer.open(record, into: scratch)
                    try decodeSmall(key: key, reader: &reader)
                } catch {
                    issues.append(IntegrityIssue(kind: .damaged, label: label(key)))
                }
            }
        }
        onions.sort { ($0.modified, $0.created) > ($1.modified, $1.created) }
        cards.sort { $0.created > $1.created }
        tasks.sort { $0.id < $1.id }
        localState.counter = max(localState.counter, manifest.counter)
        try? localState.save(directory: stateDirectory, vault: vault, vaultUUID: parameters.vaultUUID)
    }

    private func decodeSmall(key: String, reader r: inout PayloadReader) throws {
        guard let kind = RecordKind(rawValue: try r.u8()) else { throw VaultError.malformed }
        switch kind {
        case .onionTitle:
            let id = ItemID(bytes: try r.raw(16))
            guard key == LogicalKey.onionTitle(id) else { throw VaultError.malformed }
            let created = try r.u64(), modified = try r.u64()
            let title = try r.withBytes { texts.add($0) }
            onions.append(OnionSummary(id: id, title: title, created: created, modified: modified))
        case .card:
            let id = ItemID(bytes: try r.raw(16))
            guard key == LogicalKey.card(id) else { throw VaultError.malformed }
            let created = try r.u64(), modified = try r.u64()
            let recipient = try r.withBytes { texts.add($0) }
            cards.append(CardSummary(id: id, recipient: recipient, created: created, modified: modified))
        case .task:
            let id = try r.u16()
            guard key == LogicalKey.task(id) else { throw VaultError.malformed }
            let done = try r.u8() != 0
            let text = try r.withBytes { texts.add($0) }
            tasks.append(TaskSummary(id: id, text: text, done: done))
        case .taskMax:
            guard key == LogicalKey.taskMax else { throw VaultError.malformed }
            _ = try r.u16()
        case .draft:
            guard key == LogicalKey.draft else { throw VaultError.malformed }
            if reloading { return }
            let hasTarget = try r.u8() != 0
            let target = try r.raw(16)
            let title = try r.secret(capacity: FieldLimit.onionTitle.maxBytes)
            let info = try r.secret(capacity: FieldLimit.onionInfo.maxBytes)
            draft = Draft(target: hasTarget ? ItemID(bytes: target) : nil, title: title, info: info)
        case .onionInfo, .manifest:
            throw VaultError.malformed
        }
    }

    /// How a logical key is named to the person: by the label the manifest holds.
    func label(_ key: String) -> String {
        let kind: String
        if key.hasPrefix("onion/") { kind = key.hasSuffix("/info") ? "the info of onion" : "onion" }
        else if key.hasPrefix("card/") { kind = "card for" }
        else if key.hasPrefix("task_") && key != LogicalKey.taskMax { kind = "task" }
        else { return "the record '\(key)'" }
        guard let entry = manifest.entries[key] else { return kind }
        return "\(kind) '\(texts.string(entry.label))'"
    }

    // MARK: Onions

    /// The title of an onion as a transient String (for display).
    public func title(_ onion: OnionSummary) -> String { texts.string(onion.title) }

    /// Opens an onion's info into secret memory. Throws `VaultError.damaged` naming the onion
    /// when the store returns something that does not open or is not the version listed.
    public func info(of id: ItemID) throws -> SecretBytes {
        try checkUnlocked()
        let key = LogicalKey.onionInfo(id)
        let payload = try openListed(key, missing: "onion with that id")
        do {
            defer { payload.wipe() }
            var r = PayloadReader(payload)
            guard try r.u8() == RecordKind.onionInfo.rawValue, try r.raw(16) == id.bytes else {
                throw VaultError.malformed
            }
            return try r.secret(capacity: FieldLimit.onionInfo.maxBytes)
        } catch {
            report(.damaged, key)
            throw VaultError.damaged(label(key))
        }
    }

    /// Saves an onion: a new one when `id` is nil. Checks the limits first (nothing is stored
    /// when one is broken). Returns the onion's id.
    @discardableResult
    public func saveOnion(id: ItemID?, title: SecretBytes, info: SecretBytes) throws -> ItemID {
        try checkUnlocked()
        try check(title, FieldLimit.onionTitle)
        try check(info, FieldLimit.onionInfo)
        let now = nowMilliseconds()
        let existing = id.flatMap { id in onions.firstIndex { $0.id == id } }
        if id != nil && existing == nil { throw VaultError.noSuchItem("onion with that id") }
        let itemID = id ?? ItemID.random()
        let created = existing.map { onions[$0].created } ?? now

        let titlePayload = PayloadWriter(capacity: 1 + 16 + 16 + 2 + title.count)
        try titlePayload.u8(RecordKind.onionTitle.rawValue)
        try titlePayload.raw(itemID.bytes)
        try titlePayload.u64(created)
        try titlePayload.u64(now)
        try titlePayload.bytes(title)
        let infoPayload = PayloadWriter(capacity: 1 + 16 + 2 + info.count)
        try infoPayload.u8(RecordKind.onionInfo.rawValue)
        try infoPayload.raw(itemID.bytes)
        try infoPayload.bytes(info)
        defer { titlePayload.buffer.wipe(); infoPayload.buffer.wipe() }

        try commit([
            .put(LogicalKey.onionTitle(itemID), titlePayload.buffer, .small, label: title),
            .put(LogicalKey.onionInfo(itemID), infoPayload.buffer, .large, label: title),
        ])
        let summary: OnionSummary
        if let i = existing {
            texts.replace(onions[i].title, with: title)
            summary = OnionSummary(id: itemID, title: onions[i].title, created: created, modified: now)
            onions.remove(at: i)
        } else {
            summary = OnionSummary(id: itemID, title: texts.add(title), created: created, modified: now)
        }
        onions.insert(summary, at: 0)
        updateInfoIndex(itemID, info)
        return itemID
    }

    /// Deletes an onion (its title and info records).
    public func deleteOnion(_ id: ItemID) throws {
        try checkUnlocked()
        guard let i = onions.firstIndex(where: { $0.id == id }) else { throw VaultError.noSuchItem("onion with that id") }
        try commit([.delete(LogicalKey.onionTitle(id)), .delete(LogicalKey.onionInfo(id))])
        texts.remove(onions[i].title)
        onions.remove(at: i)
        updateInfoIndex(id, nil)
    }

    /// Onions whose title contains `query` (ASCII letters compared without case).
    public func filterOnions(_ query: [UInt8]) -> [OnionSummary] {
        if query.isEmpty { return onions }
        let needle = query.map(TextSearch.asciiLower)
        return onions.filter { o in texts.withBytes(o.title) { TextSearch.contains($0, needle) } }
    }

    /// Onions whose title or info contains `query` (ASCII letters compared without case).
    ///
    /// The first search opens every info into secret memory (`infoTexts`) and keeps them there
    /// until the session locks, so that searching as you type stays fast. An info that does not
    /// open is reported in `issues` and searched as empty.
    ///
    /// `within`: search only these (the results of a shorter query this one extends).
    public func searchOnions(_ query: [UInt8], within: [OnionSummary]? = nil) -> [OnionSummary] {
        if query.isEmpty { return onions }
        let needle = query.map(TextSearch.asciiLower)
        let index = infoHandles()
        return texts.withAllBytes { titles in
            infoTexts.withAllBytes { infos in
                (within ?? onions).filter { o in
                    TextSearch.contains(titles[o.title], needle)
                        || index[o.id].map { TextSearch.containsInFolded(infos[$0], needle) } ?? false
                }
            }
        }
    }

    private func infoHandles() -> [ItemID: Int] {
        if let infoIndex { return infoIndex }
        var index: [ItemID: Int] = [:]
        for onion in onions {
            guard let info = try? info(of: onion.id) else { continue }
            index[onion.id] = infoTexts.addFolded(info)
            info.wipe()
        }
        infoIndex = index
        return index
    }

    /// Keeps the search index in step with a saved or deleted info.
    private func updateInfoIndex(_ id: ItemID, _ info: SecretBytes?) {
        guard var index = infoIndex else { return }
        if let old = index[id] { infoTexts.remove(old) }
        index[id] = info.map { infoTexts.addFolded($0) }
        infoIndex = index
    }

    // MARK: Cards

    /// The default cost of a card's own password (lighter than the vault's: one card, one wait).
    public static let defaultCardKDF = ScryptParameters(logN: 15, r: 8, p: 1)

    /// Saves a card: its recipient in the clear of the vault's sealing, its description sealed
    /// again under `cardPassword` with a fresh salt. A new card when `id` is nil.
    @discardableResult
    public func saveCard(id: ItemID?, recipient: SecretBytes, description: SecretBytes, cardPassword: SecretBytes,
                         kdf: ScryptParameters = Session.defaultCardKDF) throws -> ItemID {
        try checkUnlocked()
        try check(recipient, FieldLimit.cardRecipient)
        try check(description, FieldLimit.cardDescription)
        guard cardPassword.count > 0 else { throw VaultError.emptyPassword }
        let now = nowMilliseconds()
        let existing = id.flatMap { id in cards.firstIndex { $0.id == id } }
        if id != nil && existing == nil { throw VaultError.noSuchItem("card with that id") }
        let itemID = id ?? ItemID.random()
        let created = existing.map { cards[$0].created } ?? now

        let salt = SecureRandom.bytes(16)
        let cardKey = try CardKey.derive(password: cardPassword, salt: salt, kdf: kdf)
        defer { cardKey.wipe() }
        let sealedDescription = try AES.GCM.seal(description, using: cardKey,
                                                 authenticating: CardKey.aad(vault: vault, card: itemID))
        let w = PayloadWriter(capacity: 1 + 16 + 16 + 2 + recipient.count + 16 + 9 + 2 + sealedDescription.count)
        try w.u8(RecordKind.card.rawValue)
        try w.raw(itemID.bytes)
        try w.u64(created)
        try w.u64(now)
        try w.bytes(recipient)
        try w.raw(salt)
        try w.u8(kdf.logN)
        try w.u32(kdf.r)
        try w.u32(kdf.p)
        try w.bytes(sealedDescription)
        defer { w.buffer.wipe() }
        try commit([.put(LogicalKey.card(itemID), w.buffer, .large, label: recipient)])
        if let i = existing {
            texts.replace(cards[i].recipient, with: recipient)
            cards[i] = CardSummary(id: itemID, recipient: cards[i].recipient, created: created, modified: now)
        } else {
            cards.insert(CardSummary(id: itemID, recipient: texts.add(recipient), created: created, modified: now), at: 0)
        }
        return itemID
    }

    /// Opens the record the manifest lists under `key`: present, at the listed version, and
    /// authentic, or reported (by name, in `issues`) and thrown as `VaultError.damaged`.
    private func openListed(_ key: String, missing: String) throws -> SecretBytes {
        guard let entry = manifest.entries[key] else { throw VaultError.noSuchItem(missing) }
        guard let record = try Self.wrapStore({ try store.record(vault: vault, name: keys.name(key)) }) else {
            report(.missing, key)
            throw VaultError.damaged(label(key))
        }
        guard record.version == entry.version else {
            report(.older, key)
            throw VaultError.damaged(label(key))
        }
        do { return try sealer.open(record) } catch {
            report(.damaged, key)
            throw VaultError.damaged(label(key))
        }
    }

    /// Opens a card's description with its own password. Throws `VaultError.cardWrongPassword`
    /// (and reveals nothing) when the password is wrong.
    public func openCard(_ id: ItemID, password: SecretBytes) throws -> SecretBytes {
        try checkUnlocked()
        let key = LogicalKey.card(id)
        let payload = try openListed(key, missing: "card with that id")
        defer { payload.wipe() }
        var r = PayloadReader(payload)
        guard try r.u8() == RecordKind.card.rawValue, try r.raw(16) == id.bytes else { throw VaultError.malformed }
        _ = try r.u64(); _ = try r.u64()
        try r.secret().wipe()
        let salt = try r.raw(16)
        let kdf = ScryptParameters(logN: try r.u8(), r: try r.u32(), p: try r.u32())
        let sealedDescription = try r.publicBytes()
        // A conflict copy made by sync keeps the id its description was sealed under.
        let sealedUnder = r.remaining >= 16 ? ItemID(bytes: try r.raw(16)) : id
        guard (10...22).contains(kdf.logN), (1...32).contains(kdf.r), (1...16).contains(kdf.p) else {
            throw VaultError.damaged(label(key))
        }
        let cardKey = try CardKey.derive(password: password, salt: salt, kdf: kdf)
        defer { cardKey.wipe() }
        do {
            return try AES.GCM.open(sealedDescription, using: cardKey,
                                    authenticating: CardKey.aad(vault: vault, card: sealedUnder))
        } catch {
            throw VaultError.cardWrongPassword
        }
    }

    /// Deletes a card.
    public func deleteCard(_ id: ItemID) throws {
        try checkUnlocked()
        guard let i = cards.firstIndex(where: { $0.id == id }) else { throw VaultError.noSuchItem("card with that id") }
        try commit([.delete(LogicalKey.card(id))])
        texts.remove(cards[i].recipient)
        cards.remove(at: i)
    }

    /// True when `candidate` is the vault's own password (a card password should not be).
    public func isVaultPassword(_ candidate: SecretBytes) throws -> Bool {
        try checkUnlocked()
        let normalized = PasswordText.normalized(candidate)
        defer { normalized.wipe() }
        let pk = try PasswordKeys(password: normalized, parameters: parameters)
        defer { pk.wipe() }
        return pk.authKey.constantTimeEquals(passwordKeys.authKey)
    }

    // MARK: Tasks

    /// Adds a task under the lowest free id. Returns the id.
    @discardableResult
    public func addTask(_ text: SecretBytes) throws -> UInt16 {
        try checkUnlocked()
        try check(text, FieldLimit.taskDescription)
        var id: UInt16 = 0
        for t in tasks where t.id == id { id += 1 }  // tasks are sorted by id
        guard tasks.count < Int(UInt16.max) else { throw VaultError.tooManyTasks }
        let highest = max(id, tasks.last?.id ?? 0)
        try commit([try taskWrite(id: id, text: text, done: false), try taskMaxWrite(highest + 1)])
        tasks.append(TaskSummary(id: id, text: texts.add(text), done: false))
        tasks.sort { $0.id < $1.id }
        return id
    }

    /// Marks a task done or not done.
    public func setTask(_ id: UInt16, done: Bool) throws {
        try checkUnlocked()
        guard let i = tasks.firstIndex(where: { $0.id == id }) else { throw VaultError.noSuchItem("task \(id)") }
        let text = texts.copy(tasks[i].text)
        defer { text.wipe() }
        try commit([try taskWrite(id: id, text: text, done: done)])
        tasks[i] = TaskSummary(id: id, text: tasks[i].text, done: done)
    }

    /// Changes a task's text.
    public func editTask(_ id: UInt16, text: SecretBytes) throws {
        try checkUnlocked()
        try check(text, FieldLimit.taskDescription)
        guard let i = tasks.firstIndex(where: { $0.id == id }) else { throw VaultError.noSuchItem("task \(id)") }
        try commit([try taskWrite(id: id, text: text, done: tasks[i].done)])
        texts.replace(tasks[i].text, with: text)
    }

    /// Deletes a task; its id becomes free again.
    public func deleteTask(_ id: UInt16) throws {
        try checkUnlocked()
        guard let i = tasks.firstIndex(where: { $0.id == id }) else { throw VaultError.noSuchItem("task \(id)") }
        let highest = tasks.filter { $0.id != id }.last?.id
        try commit([.delete(LogicalKey.task(id)), try taskMaxWrite(highest.map { $0 + 1 } ?? 0)])
        texts.remove(tasks[i].text)
        tasks.remove(at: i)
    }

    private func taskWrite(id: UInt16, text: SecretBytes, done: Bool) throws -> PendingWrite {
        let w = PayloadWriter(capacity: 1 + 2 + 1 + 2 + text.count)
        try w.u8(RecordKind.task.rawValue)
        try w.u16(id)
        try w.u8(done ? 1 : 0)
        try w.bytes(text)
        return .put(LogicalKey.task(id), w.buffer, .small, label: text)
    }

    private func taskMaxWrite(_ value: UInt16) throws -> PendingWrite {
        let w = PayloadWriter(capacity: 3)
        try w.u8(RecordKind.taskMax.rawValue)
        try w.u16(value)
        return .put(LogicalKey.taskMax, w.buffer, .small, label: nil)
    }

    // MARK: Drafts

    /// Seals an unsaved editor draft into the store (on lock, hang-up, termination).
    public func saveDraft(_ draft: Draft) throws {
        try checkUnlocked()
        let w = PayloadWriter(capacity: 1 + 1 + 16 + 2 + draft.title.count + 2 + draft.info.count)
        try w.u8(RecordKind.draft.rawValue)
        try w.u8(draft.target == nil ? 0 : 1)
        try w.raw(draft.target?.bytes ?? [UInt8](repeating: 0, count: 16))
        try w.bytes(draft.title)
        try w.bytes(draft.info)
        defer { w.buffer.wipe() }
        try commit([.put(LogicalKey.draft, w.buffer, .large, label: nil)])
    }

    /// Removes the sealed draft (after it was saved or discarded) and forgets the restored one.
    public func clearDraft() throws {
        try checkUnlocked()
        draft?.wipe()
        draft = nil
        if manifest.entries[LogicalKey.draft] != nil { try commit([.delete(LogicalKey.draft)]) }
    }

    // MARK: Account

    /// Changes the password: a new salt and key-encryption key re-wrap the same data key.
    /// Records are not re-encrypted.
    public func changePassword(to newPassword: SecretBytes, kdf: ScryptParameters? = nil) throws {
        try checkUnlocked()
        guard newPassword.count > 0 else { throw VaultError.emptyPassword }
        let newParameters = VaultParameters(kdf: kdf ?? parameters.kdf, salt: SecureRandom.bytes(16),
                                            vaultUUID: parameters.vaultUUID)
        let normalized = PasswordText.normalized(newPassword)
        defer { normalized.wipe() }
        let pk = try PasswordKeys(password: normalized, parameters: newParameters)
        let encoded = newParameters.encoded
        let newHeader = VaultHeaderBlob(parameters: encoded,
                                        wrappedKey: try pk.wrap(dataKey, vault: vault, parameters: encoded),
                                        verifier: pk.verifier)
        try sync?.replaceRemoteHeader(self, with: newHeader, authKey: pk.authKey)
        try Self.wrapStore { try store.replaceHeader(vault, expected: header, with: newHeader) }
        try Self.wrapStore { try store.authorize(vault: vault, authKey: pk.authKey) }
        passwordKeys.wipe()
        passwordKeys = pk
        parameters = newParameters
        header = newHeader
        localState.headerFingerprint = LocalState.fingerprint(newHeader)
        localState.parametersFingerprint = SHA256.hash(encoded)
        try? localState.save(directory: stateDirectory, vault: vault, vaultUUID: parameters.vaultUUID)
    }

    /// Deletes the vault: every record and the header, on the server first when there is one.
    /// The session is locked afterwards.
    public func deleteAccount() throws {
        try checkUnlocked()
        try sync?.deleteRemoteVault(self)
        try Self.wrapStore { try store.deleteVault(vault) }
        LocalState.remove(directory: stateDirectory, vault: vault, vaultUUID: parameters.vaultUUID)
        lock()
    }

    /// Wipes every key and every decrypted text; the session cannot be used afterwards.
    public func lock() {
        guard !isLocked else { return }
        isLocked = true
        sync = nil
        keys.wipe()
        dataKey.wipe()
        passwordKeys.wipe()
        texts.wipe()
        infoTexts.wipe()
        infoIndex = nil
        draft?.wipe()
        draft = nil
        onions.removeAll()
        cards.removeAll()
        tasks.removeAll()
        manifest = Manifest()
        versions.removeAll()
        heldVersions.removeAll()
    }

    deinit { lock() }

    // MARK: Writing

    private enum PendingWrite {
        case put(String, SecretBytes, SizeClass, label: SecretBytes?)
        case delete(String)
    }

    /// One transaction: the given writes and the manifest with a higher counter.
    private func commit(_ pending: [PendingWrite]) throws {
        var next = manifest
        var writes: [RecordWrite] = []
        var newVersions: [String: UInt64] = [:]
        var addedLabels: [Int] = []
        for p in pending {
            switch p {
            case .put(let key, let payload, let sizeClass, let labelText):
                let name = keys.name(key)
                let expected = versions[key] ?? heldVersions[name] ?? 0
                writes.append(.put(name: name, blob: try sealer.seal(payload, name: name, version: expected + 1,
                                                                      sizeClass: sizeClass),
                                   expectedVersion: expected))
                newVersions[key] = expected + 1
                let labelHandle: Int
                if let labelText {
                    labelHandle = texts.add(labelText)
                } else {
                    labelHandle = texts.add(UnsafeRawBufferPointer(start: nil, count: 0))
                }
                addedLabels.append(labelHandle)
                next.entries[key] = Manifest.Entry(version: expected + 1, label: labelHandle)
            case .delete(let key):
                let expected = versions[key] ?? heldVersions[keys.name(key)] ?? 0
                writes.append(.delete(name: keys.name(key), expectedVersion: expected))
                newVersions[key] = expected + 1
                next.entries[key] = nil
            }
        }
        next.counter = max(manifest.counter, localState.counter) + 1
        do {
            let payload = try next.encode(labels: texts)
            defer { payload.wipe() }
            let name = keys.name(LogicalKey.manifest)
            writes.append(.put(name: name, blob: try sealer.seal(payload, name: name, version: manifestVersion + 1,
                                                                  sizeClass: .manifest),
                               expectedVersion: manifestVersion))
            sync?.beforeLocalWrite(self, names: writes.map(\.name))
            try Self.wrapStore { try store.apply(vault: vault, writes: writes) }
        } catch {
            for handle in addedLabels { texts.remove(handle) }
            throw error
        }
        // Labels the new manifest no longer uses.
        for (key, entry) in manifest.entries where next.entries[key]?.label != entry.label {
            texts.remove(entry.label)
        }
        manifest = next
        manifestVersion += 1
        versions[LogicalKey.manifest] = manifestVersion
        for (key, version) in newVersions { versions[key] = version }
        localState.counter = next.counter
        try? localState.save(directory: stateDirectory, vault: vault, vaultUUID: parameters.vaultUUID)
        sync?.afterLocalSave(self)
    }

    /// Writes the manifest alone (a new vault's first state).
    private func writeManifest(extra: [PendingWrite]) throws { try commit(extra) }

    private func report(_ kind: IntegrityIssue.Kind, _ key: String) {
        let issue = IntegrityIssue(kind: kind, label: label(key))
        if !issues.contains(issue) { issues.append(issue) }
    }

    private func checkUnlocked() throws {
        if isLocked { throw VaultError.locked }
    }

    private func check(_ text: SecretBytes, _ limit: FieldLimit) throws {
        do { try limit.check(text) } catch let e as LimitError { throw VaultError.limit(e) }
    }

    @discardableResult
    static func wrapStore<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as StoreError {
            switch e {
            case .noVault: throw VaultError.noSuchVault
            case .vaultExists: throw VaultError.vaultExists
            default: throw VaultError.store(e)
            }
        }
    }
}

/// The key of a card's own password: scrypt with the card's salt and parameters.
enum CardKey {
    static func derive(password: SecretBytes, salt: [UInt8], kdf: ScryptParameters) throws -> SecretBytes {
        let normalized = PasswordText.normalized(password)
        defer { normalized.wipe() }
        return try Scrypt.derive(password: normalized, salt: salt, parameters: kdf, count: 32)
    }

    static func aad(vault: VaultID, card: ItemID) -> [UInt8] {
        Array("onions/v1/card".utf8) + [0] + Array(vault.value.utf8) + [0] + card.bytes
    }
}

