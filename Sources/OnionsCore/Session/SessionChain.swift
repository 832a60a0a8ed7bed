import OnionsCrypto

/// An open vault's place in its chain of commits (DESIGN.md 5b): this machine's head (the
/// commit the local head record holds), the commits it knows, and its kept `ChainState`.
final class ChainLink {
    var state: ChainState
    /// This machine's head, nil before its first save or sync that found one.
    var head: CommitRef?
    /// The local head record's version (its compare-and-set).
    var headVersion: UInt64 = 0
    /// Every commit known here, opened.
    var graph = CommitGraph()
    /// The sealed blob of every commit in `graph`, to send to a server that lacks them.
    var blobs: [CommitHash: [UInt8]] = [:]
    /// The local commits table read up to.
    var localSequence: Int64 = 0
    /// How many known commits the last head asked about follows, while the graph holds as
    /// many commits as then (`knownHistoryCount`).
    var historyCount: (head: CommitHash, graphCount: Int, count: Int)?

    init(state: ChainState) { self.state = state }

    /// Adds an opened commit and its blob; false when the graph refuses it.
    @discardableResult
    func add(_ commit: Commit, blob: [UInt8], hash: CommitHash) -> Bool {
        guard graph[hash] == nil else { return true }
        guard graph.add(commit, hash: hash) else { return false }
        blobs[hash] = blob
        return true
    }
}

/// What a save writes besides its records: the commit and the head record that points at it.
struct ChainWrite {
    let commit: Commit
    let blob: [UInt8]
    let hash: CommitHash
    let write: RecordWrite
    /// True when the commit seals the machine's accepted head for the first time.
    let sealsAccepted: Bool

    var ref: CommitRef { CommitRef(hash: hash, count: commit.count) }
}

extension Session {
    /// The head record's name: `HMAC-SHA256(nameKey, "onions/head")`, a text no logical key has.
    var chainHeadName: RecordName { RecordName(HMAC.sha256(key: keys.nameKey, message: Array("onions/head".utf8))) }

    /// Runs `body` with the vault's commit sealer; its key, `HKDF-SHA256(nameKey, info
    /// "onions/v2/commits")`, lasts across data key rotations (they keep the naming seed).
    func withCommitSealer<R>(_ body: (CommitSealer) throws -> R) throws -> R {
        let key = try HKDF.sha256(key: keys.nameKey, salt: [], info: Array("onions/v2/commits".utf8), count: 32)
        defer { key.wipe() }
        return try body(CommitSealer(vault: vault, key: key))
    }

    /// SHA-256 of the header's public parts: `parameters | 0x00 | wrappedKey`.
    var headerHash: [UInt8] { SHA256.hash(header.parameters + [0] + header.wrappedKey) }

    /// Reads this machine's head from the local head record (keeping what was known before);
    /// a head record that does not open counts as none (a chain starts again at the next save).
    func loadChain() throws {
        if chain == nil {
            let machine = localState.machineID
            let state = (store as? SyncStateStore).map { ChainState.load($0, vault: vault, keys: keys, machine: machine) }
            chain = ChainLink(state: state ?? ChainState(machine: machine))
        }
        guard let chain else { return }
        let record = try Self.wrapStore { try store.record(vault: vault, name: chainHeadName) }
        chain.headVersion = record?.version ?? heldVersions[chainHeadName] ?? 0
        chain.head = nil
        let commit: Commit
        do {
            guard let record else { return }
            commit = try withCommitSealer { try $0.open(record.blob) }
        } catch VaultError.needsNewerVersion(let what) {
            // A head of a later format: this version stops before it writes over it.
            throw VaultError.needsNewerVersion(what)
        } catch {
            return
        }
        guard let record else { return }
        let hash = CommitHash(sealed: record.blob)
        chain.add(commit, blob: record.blob, hash: hash)
        chain.head = CommitRef(hash: hash, count: commit.count)
    }

    /// At the end of a load: reports a head that binds another header than this session's
    /// (not in `loadChain`, which a log in from the server's new header runs before its sync).
    func noteHeaderBinding() {
        if let issue = headerBindingIssue(), !issues.contains(issue) { issues.append(issue) }
    }

    static let headerIssueStart = "the vault's header (its key derivation and wrapped key) "

    /// The header this vault opened with against the one its head commit binds: a password
    /// change or a key rotation writes a commit binding the new header, so a header that differs
    /// was put in place outside the chain (an older one restored, or one swapped in). Nil when
    /// they agree or there is no head.
    func headerBindingIssue() -> IntegrityIssue? {
        guard let chain, let head = chain.head, let commit = chain.graph[head.hash],
              commit.headerHash != headerHash else { return nil }
        return IntegrityIssue(kind: .history, label: Self.headerIssueStart + "is not the one its latest save "
            + "(save \(head.count), \(Fingerprint(head.hash))) binds: it was put in place outside the vault's "
            + "history (an older header restored, or another swapped in); 'onions passwd' binds a new one")
    }

    /// After a password change or a key rotation: a commit on this machine's head that binds
    /// the new header (its manifest root the one the store holds), sent with the next push.
    func commitHeader() throws {
        guard let chain = try openChain(),
              let written = try chainWrite(parents: chain.head.map { [$0] } ?? [], writes: []) else { return }
        try Self.wrapStore { try store.apply(vault: vault, writes: [written.write], commits: [written.blob]) }
        chainWritten(written)
        sync?.noteLocalSave()
    }

    /// The commit that follows `parents` with `writes` (which hold the manifest root, or else
    /// the root this store holds is taken), and the head record write that moves to it.
    func chainWrite(parents: [CommitRef], writes: [RecordWrite]) throws -> ChainWrite? {
        guard let chain = try openChain() else { return nil }
        let rootName = keys.name(.manifest)
        let rootBlob: [UInt8]
        if let write = writes.last(where: { $0.name == rootName }), !write.isDelete {
            rootBlob = write.blob
        } else if let stored = try Self.wrapStore({ try store.record(vault: vault, name: rootName) }) {
            rootBlob = stored.blob
        } else {
            return nil
        }
        guard let digest = RecordDigest(blob: rootBlob) else { return nil }
        let accepted = chain.state.acceptedSealed ? nil : chain.state.accepted
        let count = (parents.map(\.count).max() ?? 0) + 1
        // A reader refuses a known commit at this count or above (FORMAT.md "Commits"): another
        // machine's line read here but not taken in (a push that gave up) can be the longer one.
        let known = chain.state.knownForCommit.filter { $0.value.count < count }
        let commit = Commit(count: count, time: nowMilliseconds(),
                            machine: chain.state.machine, headerHash: headerHash, parents: parents,
                            accepted: accepted, known: known,
                            manifestName: rootName, manifestDigest: digest,
                            releases: Array(pendingReleases.prefix(Commit.maxReleases)))
        let (blob, hash) = try withCommitSealer { try $0.seal(commit) }
        return ChainWrite(commit: commit, blob: blob, hash: hash,
                          write: .put(name: chainHeadName, blob: blob, expectedVersion: chain.headVersion),
                          sealsAccepted: accepted != nil)
    }

    /// After a chain write was stored here: the head moves to it.
    func chainWritten(_ written: ChainWrite) {
        pendingReleases.removeFirst(min(pendingReleases.count, written.commit.releases.count))
        guard let chain else { return }
        chain.add(written.commit, blob: written.blob, hash: written.hash)
        chain.head = written.ref
        chain.headVersion = written.write.newVersion
        if written.sealsAccepted {
            chain.state.acceptedSealed = true
            saveChainState()
        }
    }

    /// The chain link, read from the store first when no load read it (a session just signed up).
    func openChain() throws -> ChainLink? {
        if chain == nil { try loadChain() }
        return chain
    }

    func saveChainState() {
        guard let chain, let local = store as? SyncStateStore else { return }
        try? chain.state.save(local, vault: vault, keys: keys)
    }

    /// Six words and the count of this machine's head commit, or of the commit with count
    /// `at` on its first-parent chain; nil when there is none.
    public func fingerprint(at count: UInt64? = nil) throws -> (words: String, count: UInt64, time: UInt64)? {
        try checkUnlocked()
        guard let chain = try openChain(), var ref = chain.head else { return nil }
        while let wanted = count, ref.count > wanted {
            // The first parent: the one this machine's line follows (a join lists it first by
            // the highest count; equal counts by hash).
            guard let commit = chain.graph[ref.hash] ?? openLocalCommit(ref.hash),
                  let next = commit.parents.max(by: { ($0.count, $1.hash) < ($1.count, $0.hash) }) else { return nil }
            ref = next
        }
        if let wanted = count, ref.count != wanted { return nil }
        guard let commit = chain.graph[ref.hash] ?? openLocalCommit(ref.hash) else { return nil }
        return (Fingerprint(ref.hash).description, commit.count, commit.time)
    }

    /// Opens the local commits into the graph (those not read yet) and returns the one asked for.
    private func openLocalCommit(_ hash: CommitHash) -> Commit? {
        guard let chain else { return nil }
        if let found = try? store.commits(vault: vault, since: chain.localSequence) {
            for stored in found {
                chain.localSequence = max(chain.localSequence, stored.sequence)
                if let commit = try? withCommitSealer({ try $0.open(stored.blob) }) {
                    chain.add(commit, blob: stored.blob, hash: CommitHash(sealed: stored.blob))
                }
            }
        }
        return chain.graph[hash]
    }
}
