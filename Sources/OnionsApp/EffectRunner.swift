import Glibc
import OnionsCore
import OnionsCrypto

/// The one owner of the open `Session`: runs every effect that touches the vault, in the
/// order they were asked for, on one background thread.
///
/// `submit` queues a job; each answer is posted as an `AppMessage` that the loop takes with
/// `takeResult()` between events, so the loop's thread never touches the session and only
/// `update` changes the state. A lock is a job like the others: it runs after what is in flight.
final class EffectRunner: @unchecked Sendable {
    enum Job {
        case authenticate(AuthRequest)
        case vault(VaultRequest)
        /// Tests: change the session directly, then post a new snapshot (see `changeSessionForTesting`).
        case change((Session) throws -> Void)
    }

    private let vaults: VaultService
    /// The open vault; touched only by the worker (or by a test while the runner is idle).
    private var session: Session?
    private var mutex = pthread_mutex_t()
    private var changed = pthread_cond_t()
    private var jobs: [Job] = []
    private var running = false
    private var stopping = false
    private var started = false
    /// From `stop` until the worker has wiped the session: the runner is not idle yet.
    private var wipeDue = false
    /// Set by the worker once it has wiped the session and ended.
    private var ended = false
    /// Set when no thread could be started: jobs run in `submit`.
    private var inline = false
    private var results: [AppMessage] = []
    /// Tests: runs on the worker before each job (to hold a slow effect in flight).
    var beforeJob: ((Job) -> Void)?

    init(vaults: VaultService) {
        self.vaults = vaults
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&changed, nil)
    }

    deinit {
        pthread_cond_destroy(&changed)
        pthread_mutex_destroy(&mutex)
    }

    /// Queues a job behind the ones already queued.
    func submit(_ job: Job) {
        pthread_mutex_lock(&mutex)
        if inline {
            pthread_mutex_unlock(&mutex)
            return runInline(job)
        }
        jobs.append(job)
        let starts = !started
        started = true
        pthread_cond_broadcast(&changed)
        pthread_mutex_unlock(&mutex)
        if starts, !Thread({ [self] in work() }).start() {
            // No thread to be had: do the work on the caller's thread from now on.
            pthread_mutex_lock(&mutex)
            inline = true
            let waiting = jobs
            jobs.removeAll()
            pthread_mutex_unlock(&mutex)
            for job in waiting { runInline(job) }
        }
    }

    private func runInline(_ job: Job) {
        let answer = run(job)
        pthread_mutex_lock(&mutex)
        if let answer { results.append(answer) }
        pthread_cond_broadcast(&changed)
        pthread_mutex_unlock(&mutex)
    }

    /// The oldest answer not yet taken, or nil.
    func takeResult() -> AppMessage? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return results.isEmpty ? nil : results.removeFirst()
    }

    /// True while a job is queued or running.
    var isWorking: Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return running || !jobs.isEmpty
    }

    /// True while a job is queued or running, or its answer has not been taken yet.
    var isAnswerDue: Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return running || !jobs.isEmpty || !results.isEmpty
    }

    /// Blocks until no job is queued or running (answers may still wait to be taken).
    func waitUntilIdle() {
        pthread_mutex_lock(&mutex)
        while running || !jobs.isEmpty || wipeDue { pthread_cond_wait(&changed, &mutex) }
        pthread_mutex_unlock(&mutex)
    }

    /// Blocks until an answer waits to be taken or no job is left; true when an answer waits.
    func waitForResult() -> Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while results.isEmpty && (running || !jobs.isEmpty) { pthread_cond_wait(&changed, &mutex) }
        return !results.isEmpty
    }

    /// Lets the worker finish the queued jobs, wipe the session and end (`waitUntilIdle`
    /// waits for the wipe too).
    func stop() {
        pthread_mutex_lock(&mutex)
        stopping = true
        pthread_cond_broadcast(&changed)
        let idleWorker = !started || inline
        if !idleWorker && !ended { wipeDue = true }
        pthread_mutex_unlock(&mutex)
        if idleWorker { lockSession() }
    }

    /// Tests: calls `body` with the session while nothing runs (nil when none is open).
    func withIdleSession<R>(_ body: (Session?) throws -> R) rethrows -> R {
        waitUntilIdle()
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body(session)
    }

    /// Tests: changes the session behind the interface's back, as another machine would, and
    /// posts the new snapshot.
    func changeSessionForTesting(_ body: @escaping (Session) throws -> Void) {
        submit(.change(body))
    }

    // MARK: The worker

    private func work() {
        while true {
            pthread_mutex_lock(&mutex)
            while jobs.isEmpty && !stopping { pthread_cond_wait(&changed, &mutex) }
            if jobs.isEmpty {
                pthread_mutex_unlock(&mutex)
                lockSession()
                pthread_mutex_lock(&mutex)
                wipeDue = false
                ended = true
                pthread_cond_broadcast(&changed)
                pthread_mutex_unlock(&mutex)
                return
            }
            let job = jobs.removeFirst()
            running = true
            pthread_mutex_unlock(&mutex)

            beforeJob?(job)
            let answer = run(job)

            pthread_mutex_lock(&mutex)
            if let answer { results.append(answer) }
            running = false
            pthread_cond_broadcast(&changed)
            pthread_mutex_unlock(&mutex)
        }
    }

    private func lockSession() {
        forgetLastSave()
        forgetEditBase()
        cardBase = nil
        session?.lock()
        session = nil
    }

    /// The title and info of the save this runner finished last, kept only until the next job
    /// starts: a lock asked for while that save was in flight carries the same text as its
    /// draft, which then needs no sealing (the save holds it).
    private var lastSave: (title: SecretBytes, info: SecretBytes)?

    /// A draft the store would not take at a lock, sealed for the vault (ciphertext only); it
    /// goes back into the session at the next unlock of that vault.
    private var heldDraft: HeldDraft?

    /// What the editor started from (the onion opened for editing last), for merging a save
    /// with another writer's change to the same onion.
    private var editBase: EditBase?

    /// The card the card form opened last, for keeping a save as a copy when another writer
    /// changed that card meanwhile.
    private var cardBase: CardBase?

    private func forgetEditBase() {
        editBase?.wipe()
        editBase = nil
    }

    private func forgetLastSave() {
        lastSave?.title.wipe()
        lastSave?.info.wipe()
        lastSave = nil
    }

    /// True when `draft` holds exactly what the save just before this job wrote.
    private func justSaved(_ draft: Draft) -> Bool {
        guard let lastSave else { return false }
        func same(_ a: SecretBytes, _ b: SecretBytes) -> Bool { a.count == b.count && a.constantTimeEquals(b) }
        return same(lastSave.title, draft.title) && same(lastSave.info, draft.info)
    }

    private func run(_ job: Job) -> AppMessage? {
        switch job {
        case .authenticate(let request):
            lockSession()
            let result = vaults.perform(request).map { opened -> VaultSnapshot in
                session = opened
                if let held = heldDraft, opened.restore(held) { heldDraft = nil }
                return opened.snapshot()
            }
            return .authenticated(AuthOutcome(purpose: request.purpose, username: request.username, result: result))
        case .change(let body):
            guard let session else { return nil }
            try? body(session)
            return .vault(.synced(nil, session.remoteStatus, peersWrote: false), session.snapshot())
        case .vault(let request):
            defer { request.wipe() }
            return run(request)
        }
    }

    private func run(_ request: VaultRequest) -> AppMessage {
        if case .lock(let draft) = request {
            var sealed = true
            if let draft, let session, !justSaved(draft) {
                do {
                    try session.afterPeers { try session.saveDraft(draft) }
                } catch {
                    // The store would not take it: held sealed in memory until the next unlock.
                    if let held = try? session.sealForMemory(draft) {
                        heldDraft = held
                    } else {
                        sealed = false
                    }
                }
            }
            lockSession()
            return .vault(.locked(draftSealed: sealed, heldInMemory: heldDraft != nil), nil)
        }
        forgetLastSave()
        guard let session else { return .vault(unanswered(request), nil) }
        // Another writer of the store may have committed since the last job: its changes are
        // loaded before this one runs (and the answer carries them).
        let caughtUp = (try? session.catchUpWithPeers()) ?? false
        guard case .vault(let result, let snapshot) = run(request, session, caughtUp: caughtUp) else {
            fatalError("a vault request is answered with a vault result")
        }
        return .vault(result, snapshot ?? (caughtUp ? session.snapshot() : nil))
    }

    private func run(_ request: VaultRequest, _ session: Session, caughtUp: Bool) -> AppMessage {
        switch request {
        case .saveOnion(let id, let title, let info):
            var outcome = PeerSaveOutcome.saved
            let result = Result<ItemID, any Error> {
                let saved = try session.saveOnion(id: id, title: title, info: info, since: editBase)
                outcome = saved.outcome
                try? session.afterPeers { try session.clearDraft() }
                return saved.id
            }
            if case .success = result {
                lastSave = (title.copy(), info.copy())
                forgetEditBase()
            }
            return .vault(.onionSaved(result, outcome), changed(result))
        case .deleteOnion(let id):
            let result = Result<ItemID, any Error> { try session.afterPeers { try session.deleteOnion(id) }; return id }
            return .vault(.onionDeleted(result), changed(result))
        case .openInfo(let id, let use):
            var reloaded = false
            let opened = Result<SecretBytes, any Error> {
                let answer = try session.infoAfterPeers(of: id)
                reloaded = answer.reloaded
                return answer.info
            }
            if use == .edit, case .success(let info) = opened {
                forgetEditBase()
                editBase = session.editBase(of: id, info: info)
            }
            return .vault(.info(id, use, opened), reloaded ? session.snapshot() : nil)
        case .search(let query, let within):
            let among = within.map { ids in session.onions.filter { ids.contains($0.id) } }
            return .vault(.searched(query: query, ids: session.searchOnions(query, within: among).map(\.id)), nil)
        case .openCard(let id, let password):
            do {
                let description = try session.openCard(id, password: password)
                cardBase = session.cardBase(of: id)
                return .vault(.cardOpened(id, .success((description, password.copy()))), nil)
            } catch {
                return .vault(.cardOpened(id, .failure(error)), nil)
            }
        case .saveCard(let card, let confirmed):
            if !confirmed, (try? session.isVaultPassword(card.password)) == true {
                return .vault(.cardPasswordIsVaultPassword, nil)
            }
            var outcome = PeerSaveOutcome.saved
            let result = Result<ItemID, any Error> {
                let saved = try session.saveCard(id: card.id, recipient: card.recipient, description: card.description,
                                                 cardPassword: card.password, since: cardBase)
                outcome = saved.outcome
                try? session.afterPeers { try session.clearDraft() }
                return saved.id
            }
            if case .success = result { cardBase = nil }
            return .vault(.cardSaved(result, outcome), changed(result))
        case .deleteCard(let id):
            let result = Result<ItemID, any Error> { try session.afterPeers { try session.deleteCard(id) }; return id }
            return .vault(.cardDeleted(result), changed(result))
        case .saveTask(let base, let text):
            var outcome = PeerSaveOutcome.saved
            let result = Result<UInt16, any Error> {
                guard let base else { return try session.afterPeers { try session.addTask(text) } }
                let saved = try session.saveTask(text: text, done: nil, since: base)
                outcome = saved.outcome
                return saved.id
            }
            return .vault(.taskSaved(result, outcome), changed(result))
        case .setTask(let base, let done):
            var outcome = PeerSaveOutcome.saved
            let result = Result<UInt16, any Error> {
                let saved = try session.saveTask(text: nil, done: done, since: base)
                outcome = saved.outcome
                return saved.id
            }
            return .vault(.taskSaved(result, outcome), changed(result))
        case .deleteTask(let base):
            let result = Result<Bool, any Error> { try session.deleteTask(since: base) }
            return .vault(.taskDeleted(result), changed(result))
        case .clearDraft:
            forgetEditBase()
            try? session.afterPeers { try session.clearDraft() }
            return .vault(.draftCleared, nil)
        case .changeSettings(let change):
            let result = Result<Void, any Error> {
                try session.afterPeers {
                    switch change {
                    case .order(let order): try session.setListOrder(order)
                    case .pin(let id, let pinned): try session.setPinned(id, pinned)
                    case .moveTask(let id, let offset, let among): try session.moveTask(id, by: offset, among: among)
                    }
                }
            }
            return .vault(.settingsChanged(change, result), changed(result))
        case .sync:
            var report: SyncReport?
            if session.pollRemote(timeoutMs: 0) { report = try? session.syncNow() }
            return .vault(.synced(report, session.remoteStatus, peersWrote: caughtUp),
                          report?.changedLocally == true ? session.snapshot() : nil)
        case .lock:
            fatalError("handled above")
        }
    }

    /// A new snapshot after a change that went through; nil after a failed one.
    private func changed<T>(_ result: Result<T, any Error>) -> VaultSnapshot? {
        guard case .success = result, let session else { return nil }
        return session.snapshot()
    }

    /// The answer to a request that came after the session was wiped.
    private func unanswered(_ request: VaultRequest) -> VaultResult {
        let locked = Result<ItemID, any Error>.failure(VaultError.locked)
        switch request {
        case .saveOnion: return .onionSaved(locked, .saved)
        case .deleteOnion: return .onionDeleted(locked)
        case .openInfo(let id, let use): return .info(id, use, .failure(VaultError.locked))
        case .search(let query, _): return .searched(query: query, ids: [])
        case .openCard(let id, _): return .cardOpened(id, .failure(VaultError.locked))
        case .saveCard: return .cardSaved(locked, .saved)
        case .deleteCard: return .cardDeleted(locked)
        case .saveTask, .setTask: return .taskSaved(.failure(VaultError.locked), .saved)
        case .deleteTask: return .taskDeleted(.failure(VaultError.locked))
        case .clearDraft: return .draftCleared
        case .changeSettings(let change): return .settingsChanged(change, .failure(VaultError.locked))
        case .sync: return .synced(nil, RemoteStatus(), peersWrote: false)
        case .lock: return .locked(draftSealed: false, heldInMemory: heldDraft != nil)
        }
    }
}

/// A detached POSIX thread running a closure once.
final class Thread: @unchecked Sendable {
    private let body: () -> Void

    init(_ body: @escaping () -> Void) { self.body = body }

    /// Starts the thread; false when the system would not create one (the body does not run).
    func start() -> Bool {
        let box = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        let started = pthread_create(&handle, nil, { raw in
            let thread = Unmanaged<Thread>.fromOpaque(raw!).takeRetainedValue()
            thread.body()
            return nil
        }, box)
        guard started == 0 else {
            Unmanaged<Thread>.fromOpaque(box).release()
            return false
        }
        pthread_detach(handle)
        return true
    }
}
