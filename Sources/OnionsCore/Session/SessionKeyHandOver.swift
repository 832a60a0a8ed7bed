import OnionsCrypto

/// Handing an open vault's password keys from one process of the same user to another (the
/// unlock agent to the interface), so the second opens the vault without the password and
/// without a key derivation.
///
/// What crosses is what scrypt gave for the password: the key-encryption key and the auth key,
/// `handOverKeyCount` bytes in secret memory. Never the password, never the data key: the
/// receiver unwraps the data key from the store's header itself, so keys that do not fit the
/// vault are refused exactly as a wrong password is.
extension Session {
    /// The size of the keys `handOverKeys()` gives.
    public static let handOverKeyCount = 64

    /// The key-encryption key then the auth key, in new secret memory the caller wipes.
    /// Throws `VaultError.locked` when the session is locked.
    public func handOverKeys() throws -> SecretBytes {
        try checkUnlocked()
        let keys = SecretBytes(count: 0, capacity: Self.handOverKeyCount)
        _ = keys.append(passwordKeys.kek)
        _ = keys.append(passwordKeys.authKey)
        return keys
    }

    /// Opens the vault of `username` with keys from `handOverKeys()` of another process.
    /// Throws `VaultError.wrongPassword` when they are not this vault's keys (or its password
    /// changed since), and what `logIn` throws otherwise. Leaves `keys` as it found them.
    public static func logIn(store: Store, username: String, handedOverKeys keys: SecretBytes,
                             stateDirectory: String) throws -> Session {
        guard !username.isEmpty else { throw VaultError.emptyUsername }
        guard keys.count == handOverKeyCount else { throw VaultError.wrongPassword }
        let opening = try LogInStart(store: store, username: username, stateDirectory: stateDirectory)
        let pk = keys.withUnsafeBytes { raw in
            PasswordKeys(kek: SecretBytes(copying: UnsafeRawBufferPointer(rebasing: raw[0..<32])),
                         authKey: SecretBytes(copying: UnsafeRawBufferPointer(rebasing: raw[32..<64])))
        }
        return try open(opening, with: pk, store: store, username: username, stateDirectory: stateDirectory)
    }

    /// The same, for a vault synced with `remote`: opens this machine's copy with the keys,
    /// then syncs (the keys fit only the header the agent opened).
    public static func logIn(store: Store, remote: SyncRemote, username: String, handedOverKeys keys: SecretBytes,
                             stateDirectory: String) throws -> Session {
        let session = try logIn(store: store, username: username, handedOverKeys: keys, stateDirectory: stateDirectory)
        session.sync = SyncLink(remote: remote)
        session.sync?.lastReport = session.runSync()
        return session
    }
}

extension PasswordKeys {
    /// Keys derived elsewhere (handed over by the agent).
    init(kek: SecretBytes, authKey: SecretBytes) {
        self.kek = kek
        self.authKey = authKey
    }
}
