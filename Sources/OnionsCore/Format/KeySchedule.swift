import OnionsCrypto

/// The keys of an unlocked vault and how they derive from the password (DESIGN.md section 3).
///
/// `master = scrypt(password)`; HKDF-SHA256 expands it into `kek` (wraps the data key) and
/// `authKey` (proves the password to a store). The random `dataKey` expands into `recordKey`
/// (seals records) and `nameKey` (names them); after a rotation it is 64 bytes, a new record
/// seed then the naming seed the vault started with. Every key lives in secret memory.
struct PasswordKeys {
    let kek: SecretBytes
    let authKey: SecretBytes

    /// Derives from a normalised password. Slow by design (scrypt). Parameters below the floor
    /// or above the ceilings of `Limits` are refused here, the one place a vault key is derived,
    /// so nothing is derived from them and nothing derived from them can be sent.
    init(password: SecretBytes, parameters: VaultParameters) throws {
        if let problem = Limits.kdfProblem(parameters.kdf) { throw VaultError.kdfRefused(problem) }
        let master = try Scrypt.derive(password: password, salt: parameters.salt,
                                       parameters: parameters.kdf, count: 32)
        defer { master.wipe() }
        kek = try HKDF.sha256(key: master, salt: parameters.vaultUUID,
                              info: Array("onions/v1/key-encryption".utf8), count: 32)
        authKey = try HKDF.sha256(key: master, salt: parameters.vaultUUID,
                                  info: Array("onions/v1/auth".utf8), count: 32)
    }

    /// Derives from a password as typed: normalises it first (`PasswordText`), wipes the copy.
    init(typed password: SecretBytes, parameters: VaultParameters) throws {
        let normalized = try PasswordText.normalized(password)
        defer { normalized.wipe() }
        try self.init(password: normalized, parameters: parameters)
    }

    var verifier: [UInt8] { authKey.withUnsafeBytes { SHA256.hash($0) } }

    func wipe() {
        kek.wipe()
        authKey.wipe()
    }

    /// Associated data of the wrapped data key: binds it to the vault and its parameters.
    static func wrapAAD(vault: VaultID, parameters: [UInt8]) -> [UInt8] {
        Array("onions/v1/wrapped-key".utf8) + [0] + Array(vault.value.utf8) + [0] + parameters
    }

    func wrap(_ dataKey: SecretBytes, vault: VaultID, parameters: [UInt8]) throws -> [UInt8] {
        try AES.GCM.seal(dataKey, using: kek, authenticating: Self.wrapAAD(vault: vault, parameters: parameters))
    }

    func unwrap(_ wrapped: [UInt8], vault: VaultID, parameters: [UInt8]) throws -> SecretBytes {
        let key = try AES.GCM.open(wrapped, using: kek,
                                   authenticating: Self.wrapAAD(vault: vault, parameters: parameters))
        guard key.count == 32 || key.count == 64 else {
            key.wipe()
            throw VaultError.headerUnreadable("data key of the wrong size")
        }
        return key
    }
}

/// The keys that open records, derived from the data key.
final class DataKeys: @unchecked Sendable {
    let recordKey: SecretBytes
    let nameKey: SecretBytes
    /// `nameKey` set up once for the thousands of names a log in computes; released on wipe.
    private var namer: HMACKey?

    /// `dataKey`: 32 bytes (both keys from it) or 64 (a rotated key: the record seed, then the
    /// naming seed, so that records keep their names across rotations).
    init(dataKey: SecretBytes) throws {
        let (recordSeed, nameSeed) = dataKey.withUnsafeBytes { raw in
            raw.count == 64
                ? (SecretBytes(copying: UnsafeRawBufferPointer(rebasing: raw[0..<32])),
                   SecretBytes(copying: UnsafeRawBufferPointer(rebasing: raw[32..<64])))
                : (SecretBytes(copying: raw), SecretBytes(copying: raw))
        }
        defer { recordSeed.wipe(); nameSeed.wipe() }
        recordKey = try HKDF.sha256(key: recordSeed, salt: [], info: Array("onions/v1/records".utf8), count: 32)
        nameKey = try HKDF.sha256(key: nameSeed, salt: [], info: Array("onions/v1/names".utf8), count: 32)
        namer = try HMACKey(nameKey)
    }

    /// The data key of a rotation: a new random record seed, then `dataKey`'s naming seed.
    static func rotated(_ dataKey: SecretBytes) -> SecretBytes {
        let seed = SecureRandom.secret(32)
        defer { seed.wipe() }
        let next = SecretBytes(count: 0, capacity: 64)
        let whole = next.append(seed) && dataKey.withUnsafeBytes { raw in
            next.append(raw.count == 64 ? UnsafeRawBufferPointer(rebasing: raw[32..<64]) : raw)
        }
        precondition(whole && next.count == 64, "a rotated data key is 64 bytes")
        return next
    }

    /// The opaque name a store sees for a logical key.
    func name(_ logicalKey: LogicalKey) -> RecordName {
        guard let namer else { preconditionFailure("a record name asked for after the keys were wiped") }
        return logicalKey.withText { text in
            withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { out in
                namer.code(for: text, into: out)
                return RecordName(raw: UnsafeRawBufferPointer(out))
            }
        }
    }

    func wipe() {
        recordKey.wipe()
        nameKey.wipe()
        namer = nil
    }
}
