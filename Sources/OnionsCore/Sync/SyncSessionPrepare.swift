import OnionsCrypto

/// What a sync starts with: the server ready for the vault.
extension Session {
    /// Makes sure the server has the vault, accepts this session's key, and announces changes.
    func prepare(_ server: RemoteStore, _ link: SyncLink, _ local: SyncStateStore) throws {
        if !link.remote.listening.contains(vault) {
            do {
                try server.authorize(vault: vault, authKey: passwordKeys.authKey)
            } catch StoreError.unauthorized, StoreError.noVault {
                // Signed up while the server was away, or the password changed elsewhere: sign
                // up tells which (a server need not say whether a vault exists otherwise).
                do {
                    try server.createVault(vault, header: header, authKey: passwordKeys.authKey, records: [])
                } catch StoreError.vaultExists {
                    throw StoreError.unauthorized
                }
                // A new vault on the server: nothing there is known yet.
                link.base = SyncBase()
                try link.base?.save(local, vault: vault, keys: keys)
            }
            try server.listen(vault: vault)
            link.remote.listening.insert(vault)
        }
    }
}
