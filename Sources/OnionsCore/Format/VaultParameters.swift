import OnionsCrypto

/// The public part of a vault header: how to derive its keys from the password.
///
/// Layout (FORMAT.md): `format(1)=1 | kdf(1)=1 scrypt | logN(1) | r(u32) | p(u32) |
/// salt(16) | vaultUUID(16)`. The vault UUID is random at sign up and survives a password
/// change; this machine's memory of a vault (LocalState) is keyed by it.
public struct VaultParameters: Equatable, Sendable {
    public static let formatVersion: UInt8 = 1
    public static let scryptID: UInt8 = 1
    /// The cheapest scrypt cost a header may name (below it, a hostile store could weaken us).
    public static let minimumLogN: UInt8 = Limits.minimumScryptLogN
    /// The dearest scrypt cost a header may name (`Limits` caps memory and time as well).
    public static let maximumLogN: UInt8 = Limits.maximumScryptLogN

    public var kdf: ScryptParameters
    public var salt: [UInt8]
    public var vaultUUID: [UInt8]

    public init(kdf: ScryptParameters, salt: [UInt8], vaultUUID: [UInt8]) {
        self.kdf = kdf
        self.salt = salt
        self.vaultUUID = vaultUUID
    }

    public var encoded: [UInt8] {
        var out: [UInt8] = [Self.formatVersion, Self.scryptID, kdf.logN]
        out += bigEndian(kdf.r) + bigEndian(kdf.p)
        out += salt + vaultUUID
        return out
    }

    /// Parses and checks a header's parameters: a KDF that breaks `Limits` (memory, time, or a
    /// cost below the floor) is refused before any memory is reserved for it.
    public init(decoding bytes: [UInt8]) throws {
        guard bytes.count == 3 + 8 + 32 else { throw VaultError.headerUnreadable("unexpected length") }
        guard bytes[0] == Self.formatVersion else {
            throw VaultError.headerUnreadable("unknown format version \(bytes[0])")
        }
        guard bytes[1] == Self.scryptID else { throw VaultError.headerUnreadable("unknown KDF \(bytes[1])") }
        let logN = bytes[2]
        let r = readBigEndian(bytes, 3)
        let p = readBigEndian(bytes, 7)
        let kdf = ScryptParameters(logN: logN, r: r, p: p)
        if let problem = Limits.kdfProblem(kdf) { throw VaultError.headerUnreadable(problem) }
        self.kdf = kdf
        salt = Array(bytes[11..<27])
        vaultUUID = Array(bytes[27..<43])
    }
}

func bigEndian(_ v: UInt32) -> [UInt8] {
    [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)]
}

func bigEndian(_ v: UInt64) -> [UInt8] {
    (0..<8).map { UInt8((v >> UInt64(56 - 8 * $0)) & 0xff) }
}

func readBigEndian(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(bytes[at + $1]) }
}
