/// Reading the vault again for a session that stays open between commands (the agent).
extension Session {
    /// Reads the vault again from the store, with every check a fresh log in makes: another
    /// process may have saved, deleted or tampered since. Handles in `texts` and summaries from
    /// before are invalid afterwards. Throws `VaultError.locked` after `lock()`, and what the
    /// store throws.
    public func reloadFromStore() throws {
        try checkUnlocked()
        sync?.base = nil  // another process may have synced since
        try reload()
    }
}
