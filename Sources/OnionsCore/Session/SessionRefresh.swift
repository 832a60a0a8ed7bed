/// Reading the vault again for a session that stays open between commands (the agent).
extension Session {
    /// Before a command of a session that stays open between commands (the agent): reads the
    /// vault again, with every check a fresh log in makes, when anything may have changed the
    /// store since the last `markStoreRead()` (another process's commit, a sync by another
    /// process, bytes changed around SQLite); otherwise what is in memory is what a fresh
    /// process would read, and nothing is read. True when it read again. A store that cannot
    /// tell (not a shared file) is always read again.
    @discardableResult
    public func catchUpBeforeCommand() throws -> Bool {
        try checkUnlocked()
        if let shared = store as? SharedStore, try !Self.wrapStore({ try shared.changedSinceMark() }) {
            return false
        }
        sync?.base = nil  // another process may have synced since
        try reloadOneSnapshot()
        return true
    }

    /// After a command (its own writes included): notes the store as this session knows it.
    public func markStoreRead() {
        guard !isLocked, let shared = store as? SharedStore else { return }
        try? shared.mark()
    }
}
