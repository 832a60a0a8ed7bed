import COpenSSL
import Glibc

/// The cost of an scrypt derivation: N = 2^logN, block size r, parallelism p.
public struct ScryptParameters: Equatable, Sendable {
    /// log2 of the CPU/memory cost N.
    public var logN: UInt8
    /// The block size.
    public var r: UInt32
    /// The parallelism.
    public var p: UInt32

    public init(logN: UInt8, r: UInt32, p: UInt32) {
        self.logN = logN
        self.r = r
        self.p = p
    }

    /// The vault default: N = 2^17, r = 8, p = 1 (about 128 MiB).
    public static let `default` = ScryptParameters(logN: 17, r: 8, p: 1)

    /// Bytes of memory a derivation with these parameters needs (128·r·(N + p + 2)).
    public var memoryBytes: UInt64 {
        let n = UInt64(1) << UInt64(min(logN, 62))
        return 128 &* UInt64(r) &* (n &+ UInt64(p) &+ 2)
    }
}

/// The scrypt password KDF (RFC 7914) through OpenSSL's EVP_KDF "SCRYPT".
public enum Scrypt {
    /// Largest accepted logN; N = 2^30 with r = 8 would need 1 TiB.
    public static let maximumLogN: UInt8 = 30

    /// Derives `count` bytes from `password` and `salt` into secret memory.
    ///
    /// Throws `.invalidLength` for parameters outside 1 ≤ logN ≤ 30, r ≥ 1, p ≥ 1, or an
    /// output of 0 bytes; `.failure` when OpenSSL refuses (for example memory exhausted).
    /// Memory is allowed up to what the parameters need, so headers from a store must be
    /// bounded by the caller before deriving.
    public static func derive(password: UnsafeRawBufferPointer, salt: [UInt8],
                              parameters: ScryptParameters, count: Int = 32) throws -> SecretBytes {
        guard parameters.logN >= 1, parameters.logN <= maximumLogN else {
            throw CryptoError.invalidLength("scrypt logN")
        }
        guard parameters.r >= 1, parameters.p >= 1 else { throw CryptoError.invalidLength("scrypt r or p") }
        releaseFreedHeap(before: parameters.memoryBytes)
        let context = try KDFContext(algorithm: "SCRYPT")
        var n = UInt64(1) << UInt64(parameters.logN)
        var r = parameters.r
        var p = parameters.p
        var maxmem = parameters.memoryBytes + (1 << 20)
        return try OpenSSL.nonNil(password) { pass, passCount in
            try salt.withUnsafeBytes { s in
                try OpenSSL.nonNil(s) { saltBase, saltCount in
                    try withUnsafeMutablePointer(to: &n) { np in
                        try withUnsafeMutablePointer(to: &r) { rp in
                            try withUnsafeMutablePointer(to: &p) { pp in
                                try withUnsafeMutablePointer(to: &maxmem) { mp in
                                    let params = [
                                        KDFContext.octets("pass", pass, passCount),
                                        KDFContext.octets("salt", saltBase, saltCount),
                                        OSSL_PARAM_construct_uint64(OpenSSL.cString("n"), np),
                                        OSSL_PARAM_construct_uint32(OpenSSL.cString("r"), rp),
                                        OSSL_PARAM_construct_uint32(OpenSSL.cString("p"), pp),
                                        OSSL_PARAM_construct_uint64(OpenSSL.cString("maxmem_bytes"), mp),
                                        OSSL_PARAM_construct_end(),
                                    ]
                                    return try context.derive(count: count, parameters: params, name: "scrypt")
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Derives `count` bytes from a password held in secret memory.
    public static func derive(password: SecretBytes, salt: [UInt8],
                              parameters: ScryptParameters, count: Int = 32) throws -> SecretBytes {
        try password.withUnsafeBytes { try derive(password: $0, salt: salt, parameters: parameters, count: count) }
    }

    /// A derivation takes its whole memory (32 MiB at the floor, 128 MiB by default) at once, in a
    /// mapping of its own that the heap's free space cannot serve. The heap the process freed
    /// before (a sync that copied a vault a page at a time leaves tens of MB of it, scattered)
    /// is given back to the system first, so that the two never add up in the process's peak.
    /// The live heap is untouched.
    private static func releaseFreedHeap(before memory: UInt64) {
        guard memory >= 1 << 24 else { return }
        _ = malloc_trim(0)
    }
}
