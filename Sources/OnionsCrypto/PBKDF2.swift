import COpenSSL

/// PBKDF2 (RFC 8018) with an HMAC PRF, as RNCryptor uses it.
public enum PBKDF2 {
    /// The hash behind the HMAC pseudo-random function.
    public enum PRF: Sendable {
        case sha1, sha256, sha512

        var digest: OpaquePointer? {
            switch self {
            case .sha1: EVP_sha1()
            case .sha256: EVP_sha256()
            case .sha512: EVP_sha512()
            }
        }
    }

    /// Derives `count` bytes from `password` and `salt` into secret memory.
    ///
    /// No lower bounds are enforced on salt size or iterations (RNCryptor uses 8-byte salts);
    /// throws `.invalidLength` for iterations or count outside 1...Int32.max.
    public static func derive(password: UnsafeRawBufferPointer, salt: [UInt8], iterations: Int,
                              prf: PRF, count: Int) throws -> SecretBytes {
        guard iterations >= 1, iterations <= Int(Int32.max) else { throw CryptoError.invalidLength("PBKDF2 iterations") }
        guard count >= 1, count <= Int(Int32.max) else { throw CryptoError.invalidLength("PBKDF2 output length") }
        guard password.count <= Int(Int32.max), salt.count <= Int(Int32.max) else {
            throw CryptoError.invalidLength("PBKDF2 input")
        }
        let out = SecretBytes(count: count)
        let ok = OpenSSL.nonNil(password) { pass, passCount in
            salt.withUnsafeBytes { s in
                OpenSSL.nonNil(s) { saltBase, saltCount in
                    out.withUnsafeMutableBytes { o in
                        PKCS5_PBKDF2_HMAC(pass.assumingMemoryBound(to: CChar.self), Int32(passCount),
                                          saltBase.assumingMemoryBound(to: UInt8.self), Int32(saltCount),
                                          Int32(iterations), prf.digest, Int32(count),
                                          o.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    }
                }
            }
        }
        guard ok == 1 else {
            out.wipe()
            throw OpenSSL.failure("PKCS5_PBKDF2_HMAC")
        }
        return out
    }

    /// Derives `count` bytes from a password held in secret memory.
    public static func derive(password: SecretBytes, salt: [UInt8], iterations: Int,
                              prf: PRF, count: Int) throws -> SecretBytes {
        try password.withUnsafeBytes { try derive(password: $0, salt: salt, iterations: iterations, prf: prf, count: count) }
    }
}
