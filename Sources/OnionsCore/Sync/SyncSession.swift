import OnionsCrypto

/// Sync from the session's side: logging in with a server, the hooks an open interface polls,
/// and one round (snapshot, plan, both batches written, the base saved).
extension Session {
    // MARK: Logging in with a server

    /// Creates a vault on this machine and on the server. Throws `VaultError.vaultExists` when
    /// the server (if reachable) already has one for `username`. Offline, the vault is created
    /// here and goes to the server with the first sync that reaches it.
    public static func signUp(store: Store, remote: SyncRemote, username: String, password: SecretBytes,
                              kdf: ScryptParameters = .default, stateDirectory: String) throws -> Session {
        guard !username.isEmpty else { throw VaultError.emptyUsername }
        let vault = VaultID(CredentialStretching.stretch(username))
        let session = try signUp(store: store, username: username, password: password, kdf: kdf,
                                 stateDirectory: stateDirectory)
        // A server need not tell whether a vault exists before sign up; its sign up does.
        if let server = try? remote.store(force: true) {
            do {
                try server.createVault(vault, header: session.header, authKey: session.passwordKeys.authKey,
                                       records: [])
            } catch StoreError.vaultExists {
                try? session.deleteAccount()
                throw VaultError.vaultExists
            } catch let e as StoreError {
                remote.dropConnection(because: e)
            }
        }
        session.sync = SyncLink(remote: remote)
        session.sync?.lastReport = session.runSync()
        return session
    }

    /// Opens the vault of `username` from this machine's store, synced with the server.
    ///
    /// On a machine without the vault, the header and every record come from the server first.
    /// When the server's header differs (the password was changed on another machine) the
    /// server's is used and copied here. When the server is unreachable the vault opens from
    /// this machine alone (`lastSyncReport?.offline` says why). Errors as `logIn(store:...)`.
    public static func logIn(store: Store, remote: SyncRemote, username: String, password: SecretBytes,
                             stateDirectory: String) throws -> Session {
        guard !username.isEmpty else { throw VaultError.emptyUsername }
        try PasswordText.check(password)
        let vault = VaultID(CredentialStretching.stretch(username))
        let localParameters = try wrapStore { try store.prelogin(vault: vault) }
        var server: RemoteStore?
        var remoteParameters: [UInt8]?
        do {
            server = try remote.store(force: true)
            remoteParameters = try server?.prelogin(vault: vault)
        } catch let e as StoreError {
            remote.dropConnection(because: e)
            server = nil
        }
        if let server, let remoteParameters, remoteParameters != localParameters,
           Self.mayHoldThisVault(remoteParameters, localParameters: localParameters) {
            if let session = try logInFromServer(store: store, server: server, remote: remote, vault: vault,
                                                 parameters: remoteParameters, localParameters: localParameters,
                                                 username: username, password: password,
                                                 stateDirectory: stateDirectory) {
                return session
            }
        }
        if localParameters == nil {
            if server == nil {
                throw VaultError.store(.unavailable("this machine has no copy of the vault and the server is "
                    + "unreachable (\(remote.offlineReason ?? "no connection"))"))
            }
            throw VaultError.noSuchVault
        }
        let session = try logIn(store: store, username: username, password: password, stateDirectory: stateDirectory)
        session.sync = SyncLink(remote: remote)
        session.sync?.lastReport = session.runSync()
        return session
    }

    /// False when this machine has a copy of the vault and the server's parameters name another
    /// vault (another vault UUID, which a password change keeps): the server lacks this vault
    /// (it makes parameters up for one it lacks, at up to 1 GiB of scrypt memory) or holds
    /// another one under this username. Nothing is then derived from them (docs/SECURITY.md).
    private static func mayHoldThisVault(_ remote: [UInt8], localParameters: [UInt8]?) -> Bool {
        guard let localParameters, let mine = try? VaultParameters(decoding: localParameters),
              let theirs = try? VaultParameters(decoding: remote) else { return true }
        return mine.vaultUUID == theirs.vaultUUID
    }

    /// Opens with the server's header: copies it here (a first log in on this machine, or a
    /// password changed elsewhere), pulls everything, then loads. Nil when the server refuses
    /// the password but this machine has its own header to try.
    private static func logInFromServer(store: Store, server: RemoteStore, remote: SyncRemote, vault: VaultID,
                                        parameters encoded: [UInt8], localParameters: [UInt8]?,
                                        username: String, password: SecretBytes,
                                        stateDirectory: String) throws -> Session? {
        let parameters = try VaultParameters(decoding: encoded)
        try KDFPin.check(parameters.kdf, vault: vault, directory: stateDirectory)
        let pk = try PasswordKeys(typed: password, parameters: parameters)
        do {
            try server.authorize(vault: vault, authKey: pk.authKey)
        } catch StoreError.unauthorized {
            pk.wipe()
            if localParameters != nil { return nil }
            throw VaultError.wrongPassword
        } catch let e as StoreError {
            pk.wipe()
            remote.dropConnection(because: e)
            if localParameters != nil { return nil }
            throw VaultError.store(e)
        }
        let (header, dataKey) = try unwrapHeader(from: server, vault: vault, with: pk)
        if localParameters == nil {
            try wrapStore { try store.createVault(vault, header: header) }
        } else if let localHeader = try wrapStore({ try store.header(vault: vault) }) {
            let localUUID = (try? VaultParameters(decoding: localHeader.parameters))?.vaultUUID
            guard localUUID == parameters.vaultUUID else {
                pk.wipe()
                dataKey.wipe()
                throw VaultError.store(.damaged("this machine and the server hold two different vaults for this "
                    + "username; open it without --remote, or use another store"))
            }
            try wrapStore { try store.replaceHeader(vault, expected: localHeader, with: header) }
        }
        let state = try LocalState.load(directory: stateDirectory, vault: vault, vaultUUID: parameters.vaultUUID)
        let session = try Session(store: store, vault: vault, username: username, parameters: parameters,
                                  header: header, passwordKeys: pk, dataKey: dataKey,
                                  stateDirectory: stateDirectory, localState: state)
        session.sync = SyncLink(remote: remote)
        var report = session.runSync(reloadAfter: false)
        try session.load()
        try KDFPin.record(parameters.kdf, vault: vault, directory: stateDirectory)
        session.issues += report.issues.filter { !session.issues.contains($0) }
        report.changedLocally = true
        session.sync?.lastReport = report
        return session
    }

    // MARK: The hooks for an open interface

    /// True when this session syncs with a server.
    public var hasRemote: Bool { sync != nil }

    /// What the last sync (at log in, `pushPending` or `syncNow`) reported; nil before any.
    public var lastSyncReport: SyncReport? { sync?.lastReport }

    /// Why the server refused this session's key (the password changed on another machine),
    /// nil otherwise. No sync is tried until the next log in.
    public var syncRefusedReason: String? { sync?.keyRefused }

    /// Why the server is unreachable now, nil when it is reachable or there is none.
    public var offlineReason: String? { sync?.remote.offlineReason }

    /// The server connection's socket while connected, nil offline or without a server.
    ///
    /// A caller may wait on it for reading with poll(2), alongside its other input, and call
    /// `pollRemote(timeoutMs: 0)` when it is readable (a change notice, or the connection
    /// closing). Change notices come only after a sync has started listening (log in does).
    public var changeSocket: Int32? {
        guard let store = sync?.remote.connected, store.socketDescriptor >= 0 else { return nil }
        return store.socketDescriptor
    }

    /// True when the server announced a change by another machine (or the connection was
    /// re-opened, or a save is waiting to be pushed): call `syncNow()` then. Waits up to
    /// `timeoutMs` (0: only looks). An idle session holds no connection and answers from a
    /// check of the server, when one is due (SyncIdle.swift). Never throws; false without a server.
    public func pollRemote(timeoutMs: Int) -> Bool {
        guard let link = sync, !isLocked, link.keyRefused == nil else { return false }
        if link.pending { return true }
        if let found = link.remote.idleCheck(vault: vault, authKey: passwordKeys.authKey, since: link.base?.sequence ?? 0,
                                             skipping: chainHeadName) {
            return found
        }
        guard let store = link.remote.connected else {
            // Offline: worth a sync once the retry interval has passed.
            return (try? link.remote.store()) != nil
        }
        return store.pollNotifications(timeoutMs: timeoutMs, after: link.seenSequence)
    }

    /// Runs one sync now: pulls what other machines changed, pushes what this one changed,
    /// merges what both changed, and reloads the lists when they changed (`changedLocally`).
    /// Being offline is not an error: the report says so. Throws only `VaultError.locked`.
    @discardableResult
    public func syncNow() throws -> SyncReport {
        try checkUnlockedForSync()
        let report = runSync()
        sync?.lastReport = report
        return report
    }

    /// Sends what this session's saves left for the server, as a separate step after a save
    /// (a save itself never waits on the network): a round that only pushes, giving up when
    /// this machine would have to take the server's changes in first (they wait for the next
    /// `syncNow`). Nil when nothing is pending, without a server, while locked, while a round
    /// runs, or once the server refused this session's key. `lastSyncReport` keeps the report
    /// when it says something (offline, refused, a problem found).
    @discardableResult
    public func pushPending() -> SyncReport? {
        guard let link = sync, !isLocked, link.pending, !link.running, link.keyRefused == nil else { return nil }
        let report = runSync(pushOnly: true)
        if report.offline != nil || report.refused != nil || !report.lines.isEmpty { link.lastReport = report }
        return report
    }

    /// True when a save is waiting to be sent (`pushPending`).
    public var hasPendingPush: Bool { sync?.pending == true }

    private func checkUnlockedForSync() throws {
        if isLocked { throw VaultError.locked }
    }

    // MARK: The round

    /// One sync. `pushOnly`: give up (leaving `pending` set) when this machine would have to
    /// change, because the caller is in the middle of a save.
    func runSync(pushOnly: Bool = false, reloadAfter: Bool = true) -> SyncReport {
        var report = SyncReport()
        guard let link = sync, !isLocked else { return report }
        if let refused = link.keyRefused {
            report.refused = refused
            return report
        }
        // Read-only: sending now would carry what the store lost or rolled back to the server, but
        // taking the server's good copies of what this machine lacks is safe.
        let pullOnly = isReadOnly
        guard let local = store as? SyncStateStore else {
            report.refused = "this machine's store cannot keep sync state"
            return report
        }
        link.running = true
        defer { link.running = false; link.remote.releaseIfIdle() }
        let server: RemoteStore
        do {
            server = try link.server(self)
        } catch {
            report.offline = link.remote.offlineReason ?? "the server is unreachable"
            return report
        }
        do {
            // A new connection (log in, the server back) or a doubt compares every version with the
            // server: what it changed without announcing shows then.
            var verify = !link.remote.listening.contains(vault) || pullOnly
            try prepare(server, link, local)
            // What the rounds so far did; a round that only took the server's changes in is
            // followed by one that sends this machine's (SyncPlanner.plan).
            var done = SyncReport()
            // Every read from the server is inside a round (one read budget): the chain's too.
            server.beginRound()
            defer { server.endRound() }
            // The chain first: a server head that lost this machine's pin makes the record base
            // worthless, and the merge then keeps both sides (SyncChain).
            link.pulledHistory = nil
            var chainView = try chainStart(server, local, link, verify: &verify, report: &done)
            // The versions other machines' writes replaced on the server (brought by the
            // chain's call of the commits).
            try takeInServerHistory(server, local, restart: chainView.explained, report: &done)
            // The chain named what the server lost: the records it takes back say no more.
            var chainExplained = chainView.explained
            var wroteLocally = false
            // The vault's turn (RemoteStore.takeTurn): held from a round's first read to its
            // write on the server, or across rounds that write only here.
            var inTurn = false
            defer { if inTurn { server.endTurn(vault: vault) } }
            defer {
                // The lists follow what was written here, whatever ended the rounds.
                if wroteLocally && reloadAfter {
                    if (try? reload()) != nil { issues += done.issues.filter { !issues.contains($0) } }
                }
            }
            for _ in 0..<12 {
                server.beginRound()
                if !inTurn { inTurn = try server.takeTurn(vault: vault) }
                let base = try link.cachedBase(local, self)
                var snapshot: SyncSnapshot
                do {
                    snapshot = try SyncSnapshot.read(local: local, server: server, vault: vault, base: base,
                                                     sealer: sealer, localCounter: localState.counter, verify: verify,
                                                     pushOnly: pushOnly,
                                                     known: manifestIsDamaged ? nil
                                                         : Manifest.Known(manifest: manifest, labels: texts),
                                                     skipping: chainHeadName, eager: link.eager)
                } catch is SyncPageMismatch {
                    // The server moved on while the round read it.
                    continue
                }
                snapshot.companionNames = companionNames
                defer { snapshot.wipe() }
                verify = false
                // Taking the server's changes in would change this machine: leave it to the
                // next sync, without reading the manifests a merge needs.
                if pushOnly && snapshot.serverChanged {
                    report = done
                    return report
                }
                let plan: SyncPlan
                noteHistoryExclusions()
                (server as? RemoteHistoryStore)?.excludeFromHistory(vault: vault, names: historyExcluded)
                do { plan = try SyncPlanner.plan(snapshot, sealer: sealer.stamping(saveStamp())) } catch let e as VaultError {
                    report = done
                    report.refused = e.description
                    return report
                }
                // The server keeps the altered rows the repairs replace (in this round or, from the
                // outbox, the next): removed there at the end of the sync.
                if !plan.replacedTampered.isEmpty { queueServerPurge(plan.replacedTampered) }
                if pushOnly && !plan.localWrites.isEmpty {
                    report = done
                    report.issues = done.issues + plan.report.issues.filter { !done.issues.contains($0) }
                    return report
                }
                if pullOnly && !plan.remoteWrites.isEmpty {
                    report = done
                    report.refused = "no sync while the vault is read-only (the store lost or rolled back records)"
                    return report
                }
                do {
                    if !plan.remoteWrites.isEmpty || !plan.remoteCopies.isEmpty {
                        // The write ends the turn, whatever its outcome.
                        inTurn = false
                        try queueHistoryBetween(plan, server: server, local: local)
                        try writeRemote(plan, server: server, local: local, progress: link.remote.progress)
                    }
                    if !plan.localWrites.isEmpty || !plan.localCopies.isEmpty {
                        try writeLocal(plan, server: server, local: local, progress: link.remote.progress)
                    }
                } catch StoreError.conflict(let name, let current) {
                    link.base = nil
                    // Another machine was faster: try again. A server below what this round
                    // expected went backwards behind this machine's back, or could not say
                    // what it holds (NamedServer): compare everything.
                    let expected = (plan.remoteWrites + plan.remoteCopies).first { $0.name == name }
                        .map(\.expectedVersion) ?? 0
                    if current < expected || current == 0 { verify = true }
                    continue
                } catch let mismatch as SyncPageMismatch {
                    // Copied blobs that were not what the plan was made for: the round again, with
                    // them read and checked before it decides.
                    link.base = nil
                    link.eager.formUnion(mismatch.names)
                    continue
                }
                if !plan.localWrites.isEmpty { wroteLocally = true }
                if plan.base != base || link.baseWasDamaged {
                    try plan.base.save(local, vault: vault, keys: keys)
                }
                link.base = plan.base
                link.eager = []
                for name in plan.touched { SyncBase.removeAncestor(local, vault: vault, name: name) }
                for record in plan.ancestors { try SyncBase.saveAncestor(local, vault: vault, record) }
                var round = plan.report
                if chainExplained { round.leaveToChain() }
                if link.baseWasDamaged {
                    round.issues.append(IntegrityIssue(kind: .damaged, label: "this machine's sync bookkeeping"))
                    link.baseWasDamaged = false
                }
                if !plan.localWrites.isEmpty { round.changedLocally = true }
                done = done.followed(by: round)
                if plan.counter > localState.counter {
                    localState.counter = plan.counter
                    try localState.save(directory: stateDirectory, vault: vault, vaultUUID: parameters.vaultUUID)
                }
                if plan.pushesHeld { continue }
                if try settleChain(server, local, start: chainView, pushOnly: pushOnly, pullOnly: pullOnly,
                                   report: &done) == .again {
                    chainView = try chainStart(server, local, link, verify: &verify, report: &done)
                    chainExplained = chainExplained || chainView.explained
                    if !plan.localWrites.isEmpty { wroteLocally = true }
                    continue
                }
                // The versions the rounds' reads brought (NamedServer: rows a newer row of their
                // record superseded within one read), taken in before the connection may go.
                try takeInServerHistory(server, local, restart: false, report: &done)
                if !pullOnly { try sendServerPurges(server, local) }
                link.pending = false
                link.headSequence = chainView.sequence
                return done
            }
            report = done
            report.refused = "the server kept changing during the sync; it will be tried again"
        } catch let e as StoreError {
            switch e {
            case .unavailable:
                link.remote.dropConnection(because: e)
                report.offline = link.remote.offlineReason
            case .unauthorized:
                report.refused = "the server refused this vault's key (was the password changed on another "
                    + "machine? log in again)"
                link.keyRefused = report.refused
            default:
                report.refused = "sync failed: \(e.description)"
            }
        } catch {
            report.refused = "sync failed: \(error)"
        }
        return report
    }
}
