import OnionsCrypto

/// An idle session costs the server no process.
///
/// Each open connection is a PostgreSQL backend (a process of several MiB, one of
/// `max_connections`). A session that has said nothing for `SyncRemote.idleAfter` seconds (60:
/// no save of its own; reading, and changes pulled from other machines, do not count) lets its
/// connection go after its sync, and from then on asks the server at most every
/// `SyncRemote.checkInterval` seconds (30) whether the vault changed: one log in, one small
/// query and the end of the connection (`SyncRemote.check`). A change found starts a sync as a
/// change notice does, and the connection goes again after it. The next save connects, listens
/// and keeps change notices live (well under a second) for the next `idleAfter` seconds.
///
/// Each check waits a random part (half to all) of `checkInterval` after the previous one, so
/// many idle sessions that synced together do not all check together.
extension SyncRemote {
    /// True when `check` is set and this session made no save for `idleAfter` seconds.
    func isIdle(now: Double) -> Bool {
        check != nil && now - lastActive >= idleAfter
    }

    /// A save was made here: the session is active for `idleAfter` seconds.
    func noteActive() {
        lastActive = monotonicSeconds()
    }

    /// Lets the connection go when the session is idle (after a sync); the first check is then
    /// due within `checkInterval`.
    func releaseIfIdle() {
        let now = monotonicSeconds()
        guard isIdle(now: now), connected != nil else { return }
        release()
        scheduleCheck(after: now)
    }

    /// For an idle session: true when a check found a change (a sync is due), false when none
    /// was due or none was found. A connection still held (the session just became idle) goes
    /// now, after a last look at its notices. Nil when the session is not idle (its
    /// connection's notices tell) or offline.
    /// `since` and `skipping` as a round reads changes: above the base's sequence value, the
    /// chain's head record left out (it moves with every save and is read by its own rules).
    func idleCheck(vault: VaultID, authKey: SecretBytes, since: Int64, skipping head: RecordName?) -> Bool? {
        guard let check, offlineReason == nil else { return nil }
        let now = monotonicSeconds()
        guard isIdle(now: now) else { return nil }
        if let store = connected {
            let notified = store.pollNotifications(timeoutMs: 0, after: since)
            release()
            scheduleCheck(after: now)
            return notified
        }
        guard let due = nextCheck else {
            scheduleCheck(after: now)
            return false
        }
        guard now >= due else { return false }
        scheduleCheck(after: now)
        // A check that failed (the server away, the key refused) leaves it to a sync to say why.
        return (try? check(vault, authKey, since, head)) ?? true
    }

    private func scheduleCheck(after now: Double) {
        nextCheck = now + checkInterval * Double.random(in: 0.5...1.0)
    }
}
