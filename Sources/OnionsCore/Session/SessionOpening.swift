import OnionsCrypto

/// Opening a vault: signing up, logging in, unwrapping the header's data key.
extension Session {
    /// Creates a vault for `username` in `store` and opens it.
    /// Throws `VaultError.vaultExists`, `.emptyUsername`, `.emptyPassword`, `.passwordNotUTF8`.
    public static func signUp(store: Store, username: String, password: SecretBytes,
                              kdf: ScryptParameters = .default, stateDirectory: String) throws -> Session {
        guard !username.isEmpty else { throw VaultError.emptyUsername }
        try PasswordText.check(password)
        let vault = VaultID(CredentialStretching.stretch(username))
        if try store.prelogin(vault: vault) != nil { throw VaultError.vaultExists }
        let parameters = VaultParameters(kdf: kdf, salt: SecureRandom.bytes(16), vaultUUID: SecureRandom.bytes(16))
        let pk = try PasswordKeys(typed: password, parameters: parameters)
        let dataKey = SecureRandom.secret(32)
        let encoded = parameters.encoded
        let header = VaultHeaderBlob(parameters: encoded,
                                     wrappedKey: try pk.wrap(dataKey, vault: vault, parameters: encoded),
                                     verifier: pk.verifier)
        let session = try Session(store: store, vault: vault, username: username, parameters: parameters,
                                  header: header, passwordKeys: pk, dataKey: dataKey,
                                  stateDirectory: stateDirectory, localState: LocalState())
        session.isNewToThisMachine = false
        // The header and the first manifest in one transaction: the filler records and the task
        // counter that every vault holds from the start (FORMAT.md section 8), part 0 and the root.
        var first = Manifest()
        first.counter = 1
        first.changed = nowMilliseconds()
        var records = try session.seedRecords(into: &first)
        records += try session.sealedManifest(&first, parts: [0], sealer: session.sealer)
        try LocalState.checkWritable(directory: stateDirectory)
        do {
            try store.createVault(vault, header: header, authKey: pk.authKey, records: records)
        } catch StoreError.vaultExists {
            throw VaultError.vaultExists
        } catch let e as StoreError {
            throw VaultError.store(e)
        }
        for key in first.entries.keys { session.versions[key] = 1 }
        session.manifest = first
        session.manifestVersion = 1
        session.versions[.manifest] = 1
        session.localState.counter = 1
        try session.localState.save(directory: stateDirectory, vault: vault, vaultUUID: parameters.vaultUUID)
        try KDFPin.record(kdf, vault: vault, directory: stateDirectory, replacing: true)
        return session
    }

    /// Opens the vault of `username`. Throws `VaultError.noSuchVault`, `.wrongPassword`,
    /// `.headerAltered`, `.headerUnreadable`; problems with single records become `issues`.
    public static func logIn(store: Store, username: String, password: SecretBytes,
                             stateDirectory: String) throws -> Session {
        guard !username.isEmpty else { throw VaultError.emptyUsername }
        try PasswordText.check(password)
        let opening = try LogInStart(store: store, username: username, stateDirectory: stateDirectory)
        let pk = try PasswordKeys(typed: password, parameters: opening.parameters)
        let session = try open(opening, with: pk, store: store, username: username, stateDirectory: stateDirectory)
        try KDFPin.record(opening.parameters.kdf, vault: opening.vault, directory: stateDirectory)
        return session
    }

    /// What a log in reads before any key is at hand: the vault's public parameters (refused
    /// when weaker than this machine's pin) and this machine's record of the vault.
    struct LogInStart {
        let vault: VaultID
        let encoded: [UInt8]
        let parameters: VaultParameters
        let state: LocalState

        init(store: Store, username: String, stateDirectory: String) throws {
            vault = VaultID(CredentialStretching.stretch(username))
            let vault = vault
            guard let encoded = try wrapStore({ try store.prelogin(vault: vault) }) else {
                throw VaultError.noSuchVault
            }
            self.encoded = encoded
            parameters = try VaultParameters(decoding: encoded)
            try KDFPin.check(parameters.kdf, vault: vault, directory: stateDirectory)
            state = try LocalState.load(directory: stateDirectory, vault: vault, vaultUUID: parameters.vaultUUID)
        }
    }

    /// Opens the vault with the password's keys: the store checks them, the header's data key
    /// unwraps with them, then everything loads. Wipes `pk` when it fails.
    static func open(_ opening: LogInStart, with pk: PasswordKeys, store: Store, username: String,
                     stateDirectory: String) throws -> Session {
        let vault = opening.vault
        do {
            try store.authorize(vault: vault, authKey: pk.authKey)
        } catch StoreError.unauthorized {
            pk.wipe()
            let fingerprint = opening.state.parametersFingerprint
            throw fingerprint.isEmpty || fingerprint == SHA256.hash(opening.encoded)
                ? VaultError.wrongPassword : VaultError.headerAltered
        } catch StoreError.noVault {
            pk.wipe()
            throw VaultError.noSuchVault
        } catch let e as StoreError {
            pk.wipe()
            throw VaultError.store(e)
        }
        let (header, dataKey) = try unwrapHeader(from: store, vault: vault, with: pk)
        let session = try Session(store: store, vault: vault, username: username, parameters: opening.parameters,
                                  header: header, passwordKeys: pk, dataKey: dataKey,
                                  stateDirectory: stateDirectory, localState: opening.state)
        try session.load()
        return session
    }

    /// Reads a vault's header (after `authorize`) and unwraps its data key with the password's
    /// keys. A key that does not unwrap means the header was altered.
    static func unwrapHeader(from store: Store, vault: VaultID, with pk: PasswordKeys) throws
        -> (VaultHeaderBlob, SecretBytes) {
        guard let header = try wrapStore({ try store.header(vault: vault) }) else { throw VaultError.noSuchVault }
        do {
            return (header, try pk.unwrap(header.wrappedKey, vault: vault, parameters: header.parameters))
        } catch {
            pk.wipe()
            throw VaultError.headerAltered
        }
    }
}
