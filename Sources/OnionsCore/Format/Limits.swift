import OnionsCrypto

/// Every cap on a size, count or cost that a store, a server or a file supplies, in one place.
///
/// Anything from outside the process is checked against these before memory is reserved or a
/// key is derived for it; a refusal is a sentence that names the limit (`exceeded`, `kdfProblem`). The
/// numbers are documented in FORMAT.md section 13 and the man page (LIMITS).
public enum Limits {
    /// The cheapest scrypt cost (log2 N) a vault header or `--kdf-cost` may name: the floor.
    public static let minimumScryptLogN: UInt8 = 15
    /// The smallest scrypt block size r a vault key may be derived with: the floor.
    public static let minimumScryptR: UInt32 = 8
    /// The cheapest scrypt cost (log2 N) a card's own parameters may name. A card's parameters
    /// are sealed inside its record, so no store can weaken them; its default is the vault floor.
    public static let minimumCardScryptLogN: UInt8 = 10
    /// The dearest scrypt cost (log2 N) a vault header or `--kdf-cost` may name; at r = 8 it
    /// needs the whole of `maximumKDFMemoryBytes`.
    public static let maximumScryptLogN: UInt8 = 20
    /// scrypt's block size r, at most.
    public static let maximumScryptR: UInt32 = 32
    /// scrypt's parallelism p, at most.
    public static let maximumScryptP: UInt32 = 16
    /// The memory one scrypt derivation may take, 128·r·N bytes: 1 GiB (DESIGN.md: more is absurd).
    public static let maximumKDFMemoryBytes: UInt64 = 1 << 30
    /// The time one scrypt derivation may take, counted as N·r·p: 16 times the vault default.
    public static let maximumKDFWork: UInt64 = 1 << 24

    /// The largest sealed blob a store row may hold: the manifest at its largest (30 + 16 KiB · 2,048).
    public static let maximumBlobBytes = 30 + 16_384 * 2_048
    /// The largest public header field (parameters, wrapped key, verifier) a store row may hold.
    public static let maximumHeaderFieldBytes = 1_024
    /// The most records (tombstones included) one vault may hold in a store, a server or a backup.
    public static let maximumRecordsPerVault = 300_000

    /// The most PBKDF2 iterations one imported onion or one RNCryptor message may ask for
    /// (the original app used about 10,000).
    public static let maximumPBKDF2Iterations = 1_000_000
    /// The most onions one export of the original app may hold.
    public static let maximumOnionsPerImport = 100_000
    /// The most PBKDF2 iterations one import may ask for over all its onions: the largest
    /// export at the app's 10,000 per key (minutes of work, not days).
    public static let maximumPBKDF2IterationsPerImport = 2_000_000_000

    /// The most writes restoring a backup may make (one per record).
    public static let maximumRestoreWrites = 5_000_000
    /// The largest sealed backup file `import --from backup` reads.
    public static let maximumBackupFileBytes = 512 * 1024 * 1024
    /// The largest export of the original Onions app that `import --from onions-app` reads.
    public static let maximumOnionsAppFileBytes = 64 * 1024 * 1024
    /// The largest config file read; a larger one is ignored with a warning.
    public static let maximumConfigFileBytes = 64 * 1024

    /// Why `kdf` is refused, as a sentence naming the limit it breaks, or nil when it is within
    /// every limit. Checked before any memory is reserved for a derivation.
    public static func kdfProblem(_ kdf: ScryptParameters) -> String? {
        let floor = vaultKDFFloor
        guard kdf.logN >= floor.logN else {
            return "its scrypt cost 2^\(kdf.logN) is below the floor of 2^\(floor.logN)"
        }
        if let problem = ceilingProblem(kdf) { return problem }
        guard kdf.r >= floor.r else {
            return "its scrypt block size r = \(kdf.r) is below the floor of r = \(floor.r)"
        }
        return nil
    }

    /// Why a card's own scrypt parameters are refused, or nil: the vault's ceilings, and a lower
    /// floor (`minimumCardScryptLogN`), since a card's parameters come sealed from the vault.
    public static func cardKDFProblem(_ kdf: ScryptParameters) -> String? {
        guard kdf.logN >= minimumCardScryptLogN else {
            return "its scrypt cost 2^\(kdf.logN) is below the lowest accepted, 2^\(minimumCardScryptLogN)"
        }
        return ceilingProblem(kdf)
    }

    /// The weakest parameters a vault key is ever derived from (DESIGN.md section 3, "floor and
    /// pin"): N = 2^15, r = 8. A header, a server's answer or `--kdf-cost` naming less is refused.
    public static var vaultKDFFloor: ScryptParameters {
        #if DEBUG
        return TestingKDFFloor.current ?? standardVaultKDFFloor
        #else
        return standardVaultKDFFloor
        #endif
    }

    static let standardVaultKDFFloor = ScryptParameters(logN: minimumScryptLogN, r: minimumScryptR, p: 1)

    /// The ranges and ceilings every scrypt derivation is held to, vault or card.
    private static func ceilingProblem(_ kdf: ScryptParameters) -> String? {
        guard (1...maximumScryptR).contains(kdf.r) else {
            return "its scrypt block size r = \(kdf.r) is outside 1 to \(maximumScryptR)"
        }
        guard (1...maximumScryptP).contains(kdf.p) else {
            return "its scrypt parallelism p = \(kdf.p) is outside 1 to \(maximumScryptP)"
        }
        guard kdf.logN <= maximumScryptLogN, let memory = kdfMemory(kdf), memory <= maximumKDFMemoryBytes else {
            return "its scrypt parameters (2^\(kdf.logN), r = \(kdf.r)) need more than the limit of "
                + "\(maximumKDFMemoryBytes >> 20) MiB of memory"
        }
        let work = (UInt64(1) << UInt64(kdf.logN)) * UInt64(kdf.r) * UInt64(kdf.p)
        guard work <= maximumKDFWork else {
            return "its scrypt parameters (2^\(kdf.logN), r = \(kdf.r), p = \(kdf.p)) would take longer than the "
                + "limit of N·r·p = 2^24 (16 times the default)"
        }
        return nil
    }

    /// The sentence for a count or size `found` above `limit`, e.g. "a record in the store has
    /// 40000000 bytes, over the limit of 33554462 bytes".
    public static func exceeded(_ what: String, found: Int, limit: Int, unit: String) -> String {
        "\(what) has \(found) \(unit), over the limit of \(limit) \(unit)"
    }

    /// 128·r·N, or nil when it does not fit 64 bits.
    private static func kdfMemory(_ kdf: ScryptParameters) -> UInt64? {
        guard kdf.logN < 48 else { return nil }
        let (product, overflow) = (UInt64(128) << UInt64(kdf.logN)).multipliedReportingOverflow(by: UInt64(kdf.r))
        return overflow ? nil : product
    }
}
