import OnionsCrypto

/// A server restored to before a password change holds the vault under the older header, its
/// role named from the older password's key: this machine's key is refused there. On request,
/// the person gives that older password once; this machine logs in to the server's copy with it
/// and moves that copy to this machine's header and role, as the password change did. What goes
/// to the server is what a password change sends: the header's public parameters and wrapped key
/// and the new role's SCRAM verifier; no key and no password.
extension Session {
    /// What `reregisterOnServer` found.
    public enum Reregistered: Equatable, Sendable {
        /// The server's copy already has this machine's header: nothing was changed.
        case alreadyCurrent
        /// The server's copy was moved to this machine's header and role; the sync that followed.
        case moved(SyncReport)
    }

    /// Moves the server's copy of this vault, held under an older header, to this session's
    /// header and role: logs in there with `serverPassword` (the password that copy was made
    /// with), checks that its wrapped key opens with it, and replaces the header (the older
    /// role is retired). Then syncs: the chain joins the restored history with this machine's.
    /// Throws `.wrongPassword` when the server's copy does not open with `serverPassword`, and
    /// `.store(.damaged)` when the server holds another vault under this username.
    public func reregisterOnServer(serverPassword: SecretBytes) throws -> Reregistered {
        try checkUnlocked()
        guard let link = sync else { throw VaultError.store(.unavailable("this vault syncs with no server (--remote)")) }
        do {
            let server = try link.remote.store(force: true)
            guard let encoded = try server.prelogin(vault: vault) else { throw VaultError.noSuchVault }
            if encoded == header.parameters { return .alreadyCurrent }
            let theirs = try VaultParameters(decoding: encoded)
            guard theirs.vaultUUID == parameters.vaultUUID else {
                throw VaultError.store(.damaged("the server holds another vault under this username"))
            }
            // A server offering a cheaper derivation than this machine pinned would learn the
            // older password cheaply from the log in: refused as at any log in.
            try KDFPin.check(theirs.kdf, vault: vault, directory: stateDirectory)
            let older = try PasswordKeys(typed: serverPassword, parameters: theirs)
            defer { older.wipe() }
            do {
                try server.authorize(vault: vault, authKey: older.authKey)
            } catch StoreError.unauthorized {
                throw VaultError.wrongPassword
            }
            guard let current = try server.header(vault: vault) else { throw VaultError.noSuchVault }
            do {
                try older.unwrap(current.wrappedKey, vault: vault, parameters: current.parameters).wipe()
            } catch {
                throw VaultError.headerAltered
            }
            try server.replaceHeader(vault, expected: current, with: header, authKey: passwordKeys.authKey)
            link.remote.listening.remove(vault)
        } catch let e as StoreError {
            if case .unavailable = e { link.remote.dropConnection(because: e) }
            throw VaultError.store(e)
        }
        link.keyRefused = nil
        let report = runSync()
        link.lastReport = report
        return .moved(report)
    }
}
