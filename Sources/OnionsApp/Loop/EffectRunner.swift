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

        /// A sync in the background (after a tick or a save): nobody waits for its answer.
        var isBackground: Bool {
            if case .vault(.sync) = self { return true }
            return false
        }
    }

    private let vaults: VaultService
    /// The open vault; touched only by the worker (or by a test while the runner is idle).
    var session: Session?
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
    private var results: [(message: AppMessage, background: Bool)] = []
    /// Jobs the person waits for (all but background syncs) whose answers were not taken yet.
    private var awaited = 0
    /// Tests: runs on the worker before each job (to hold a slow effect in flight).
    var beforeJob: ((Job) -> Void)?
    /// Tests: sees every job as it is submitted (on the submitting thread).
    var onSubmit: ((Job) -> Void)?

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
        onSubmit?(job)
        pthread_mutex_lock(&mutex)
        if !job.isBackground { awaited += 1 }
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
        finished(job, answer)
        pthread_cond_broadcast(&changed)
        pthread_mutex_unlock(&mutex)
    }

    /// The oldest answer not yet taken, or nil.
    func takeResult() -> AppMessage? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        guard !results.isEmpty else { return nil }
        let taken = results.removeFirst()
        if !taken.background { awaited -= 1 }
        return taken.message
    }

    /// Posts a job's answer (under the mutex); one without an answer is awaited no more.
    private func finished(_ job: Job, _ answer: AppMessage?) {
        if let answer {
            results.append((answer, job.isBackground))
        } else if !job.isBackground {
            awaited -= 1
        }
    }

    /// True while a job is queued or running.
    var isWorking: Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return running || !jobs.isEmpty
    }

    /// True while a job other than a background sync is queued or running, or its answer has
    /// not been taken yet (a push to a slow server holds up no frame).
    var isAnswerDue: Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return awaited > 0
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
            finished(job, answer)
            running = false
            pthread_cond_broadcast(&changed)
            pthread_mutex_unlock(&mutex)
        }
    }

    /// Touched by the worker only: when a long copy's progress is worth a notice.
    private var progressGate = SyncProgressGate()

    /// A long copy with the server (a first sync, a push) went on: posted as a notice once it
    /// has taken a second (any thread that runs the session's sync: the worker, or `submit`'s).
    private func progressed(_ progress: SyncProgress) {
        guard let sentence = progressGate.sentence(progress, now: BootClock.now()) else { return }
        pthread_mutex_lock(&mutex)
        results.append((.syncProgress(sentence), true))
        pthread_cond_broadcast(&changed)
        pthread_mutex_unlock(&mutex)
    }

    private func lockSession() {
        session?.lock()
        session = nil
    }

    private func run(_ job: Job) -> AppMessage? {
        switch job {
        case .authenticate(let request):
            lockSession()
            var restored = false
            progressGate = SyncProgressGate()
            let result = vaults.perform(request, progress: { [self] in progressed($0) }).map { opened -> VaultSnapshot in
                session = opened
                if let held = request.heldDraft { restored = opened.restore(held) }
                return opened.snapshot()
            }
            return .authenticated(AuthOutcome(purpose: request.purpose, username: request.username, result: result,
                                              heldDraftRestored: restored))
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
            var held: HeldDraft?
            if let draft, let session, !storeHolds(draft, session) {
                do {
                    try session.afterPeers { try session.saveDraft(draft) }
                } catch {
                    // The store would not take it: held sealed in memory until the next unlock.
                    held = try? session.sealForMemory(draft)
                    sealed = held != nil
                }
            }
            lockSession()
            return .vault(.locked(draftSealed: sealed, held: held), nil)
        }
        guard let session else { return .vault(unanswered(request), nil) }
        // Another writer of the store may have committed since the last job: its changes are
        // loaded before this one runs (and the answer carries them).
        let caughtUp = (try? session.catchUpWithPeers()) ?? false
        guard case .vault(let result, let snapshot) = run(request, session, caughtUp: caughtUp) else {
            fatalError("a vault request is answered with a vault result")
        }
        return .vault(result, snapshot ?? (caughtUp ? session.snapshot() : nil))
    }
}
