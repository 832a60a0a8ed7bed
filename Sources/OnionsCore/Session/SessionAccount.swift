import OnionsCrypto

/// Account: changing the password, deleting the vault, locking the session.
extension Session {
    /// Changes the password: a new salt and key-encryption key re-wrap the data key.
    ///
    /// Without `rotate` records are not re-encrypted: whoever kept the old password and the old
    /// header can still open them. With `rotate` a new data key seals every record again (one
    /// transaction with the new header here; with a server, the header goes there first, after a
    /// sync, and the records follow as a push). Throws `VaultError.readOnly` while the store's
    /// problems are not accepted (a rotation), and what a save throws.
    public func changePassword(to newPassword: SecretBytes, kdf: ScryptParameters? = nil, rotate: Bool = false) throws {
        try checkUnlocked()
        try PasswordText.check(newPassword)
        if rotate {
            guard heldIssues.isEmpty else { throw VaultError.readOnly }
            // Up to date first: what another machine saved under the old key would not open after.
            if sync != nil {
                let report = runSync()
                if let why = report.offline ?? report.refused {
                    throw VaultError.store(.unavailable("rotating the data key needs a sync with the server first (\(why))"))
                }
            }
        }
        let newParameters = VaultParameters(kdf: kdf ?? parameters.kdf, salt: SecureRandom.bytes(16),
                                            vaultUUID: parameters.vaultUUID)
        let pk = try PasswordKeys(typed: newPassword, parameters: newParameters)
        let encoded = newParameters.encoded
        let nextKey = rotate ? DataKeys.rotated(dataKey) : dataKey
        var nextKeys: DataKeys?
        var writes: [RecordWrite] = []
        let newHeader: VaultHeaderBlob
        do {
            newHeader = VaultHeaderBlob(parameters: encoded,
                                        wrappedKey: try pk.wrap(nextKey, vault: vault, parameters: encoded),
                                        verifier: pk.verifier)
            if rotate {
                let made = try DataKeys(dataKey: nextKey)
                nextKeys = made
                writes = try resealedWrites(with: made)
            }
            try sync?.replaceRemoteHeader(self, with: newHeader, authKey: pk.authKey)
            try Self.wrapStore { try store.replaceHeader(vault, expected: header, with: newHeader, applying: writes) }
        } catch {
            pk.wipe()
            nextKeys?.wipe()
            if rotate { nextKey.wipe() }
            throw error
        }
        try Self.wrapStore { try store.authorize(vault: vault, authKey: pk.authKey) }
        passwordKeys.wipe()
        passwordKeys = pk
        parameters = newParameters
        header = newHeader
        localState.headerFingerprint = LocalState.fingerprint(newHeader)
        localState.parametersFingerprint = SHA256.hash(encoded)
        try localState.save(directory: stateDirectory, vault: vault, vaultUUID: parameters.vaultUUID)
        try KDFPin.record(newParameters.kdf, vault: vault, directory: stateDirectory, replacing: true)
        if let nextKeys {
            keys.wipe()
            keys = nextKeys
            dataKey.wipe()
            dataKey = nextKey
            try reload()
            sync?.noteLocalSave()
            // The server kept the rows sealed under the old key, which open nowhere now.
            queueServerPurge(nil)
        }
        // The chain binds the new header (DESIGN.md 5b): a header put back or swapped outside
        // it is reported at the next log in or sync. Sent at once, so other machines meet it.
        try commitHeader()
        issues.removeAll { $0.kind == .history && $0.label.hasPrefix(Self.headerIssueStart) }
        _ = pushPending()
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
        sync?.wipe()
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
