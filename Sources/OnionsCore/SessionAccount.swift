import OnionsCrypto

/// Account: changing the password, deleting the vault, locking the session.
extension Session {
    /// Changes the password: a new salt and key-encryption key re-wrap the same data key.
    /// Records are not re-encrypted.
    public func changePassword(to newPassword: SecretBytes, kdf: ScryptParameters? = nil) throws {
        try checkUnlocked()
        try PasswordText.check(newPassword)
        let newParameters = VaultParameters(kdf: kdf ?? parameters.kdf, salt: SecureRandom.bytes(16),
                                            vaultUUID: parameters.vaultUUID)
        let pk = try PasswordKeys(typed: newPassword, parameters: newParameters)
        let encoded = newParameters.encoded
        let newHeader = VaultHeaderBlob(parameters: encoded,
                                        wrappedKey: try pk.wrap(dataKey, vault: vault, parameters: encoded),
                                        verifier: pk.verifier)
        try sync?.replaceRemoteHeader(self, with: newHeader, authKey: pk.authKey)
        try Self.wrapStore { try store.replaceHeader(vault, expected: header, with: newHeader) }
        try Self.wrapStore { try store.authorize(vault: vault, authKey: pk.authKey) }
        passwordKeys.wipe()
        passwordKeys = pk
        parameters = newParameters
        header = newHeader
        localState.headerFingerprint = LocalState.fingerprint(newHeader)
        localState.parametersFingerprint = SHA256.hash(encoded)
        try localState.save(directory: stateDirectory, vault: vault, vaultUUID: parameters.vaultUUID)
        try KDFPin.record(newParameters.kdf, vault: vault, directory: stateDirectory, replacing: true)
    }

    /// Deletes the vault: every record and the header, on the server first when there is one.
    /// The session is locked afterwards.
    public func deleteAccount() throws {
        try checkUnlocked()
        try sync?.deleteRemoteVault(self)
        try Self.wrapStore { try store.deleteVault(vault) }
        LocalState.remove(directory: stateDirectory, vault: vault, vaultUUID: parameters.vaultUUID)
        KDFPin.remove(vault: vault, directory: stateDirectory)
        lock()
    }

    /// Wipes every key and every decrypted text; the session cannot be used afterwards.
    public func lock() {
        guard !isLocked else { return }
        isLocked = true
        sync = nil
        keys.wipe()
        dataKey.wipe()
        passwordKeys.wipe()
        texts.wipe()
        infoTexts.wipe()
        infoIndex = nil
        forgetSearchText()
        draft?.wipe()
        draft = nil
        onions.removeAll()
        cards.removeAll()
        tasks.removeAll()
        settings.wipe()
        settings = VaultSettings()
        manifest = Manifest()
        versions.removeAll()
        heldVersions.removeAll()
    }
}
