import COpenSSL

/// Hashes whose output is itself a secret (keys derived by hashing, as KeePass does), written
/// straight into secret memory; `SHA256.hash` is for digests that are not secret.
public enum Digest {
    /// The hash functions offered.
    public enum Algorithm: Sendable {
        case sha1, sha256, sha512

        /// The byte length of a digest.
        public var byteCount: Int {
            switch self {
            case .sha1: 20
            case .sha256: 32
            case .sha512: 64
            }
        }

        var md: OpaquePointer? {
            switch self {
            case .sha1: EVP_sha1()
            case .sha256: EVP_sha256()
            case .sha512: EVP_sha512()
            }
        }
    }

    /// The digest of the concatenation of `parts`, in secret memory.
    public static func secret(_ algorithm: Algorithm, _ parts: [UnsafeRawBufferPointer]) -> SecretBytes {
        guard let context = EVP_MD_CTX_new() else { fatalError("OpenSSL EVP_MD_CTX_new failed") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestInit_ex(context, algorithm.md, nil) == 1 else { fatalError("OpenSSL EVP_DigestInit_ex failed") }
        for part in parts where part.count > 0 {
            guard EVP_DigestUpdate(context, part.baseAddress, part.count) == 1 else {
                fatalError("OpenSSL EVP_DigestUpdate failed")
            }
        }
        let out = SecretBytes(count: algorithm.byteCount)
        var length: UInt32 = 0
        let ok = out.withUnsafeMutableBytes { o in
            EVP_DigestFinal_ex(context, o.baseAddress!.assumingMemoryBound(to: UInt8.self), &length)
        }
        guard ok == 1, Int(length) == algorithm.byteCount else { fatalError("OpenSSL EVP_DigestFinal_ex failed") }
        return out
    }

    /// The digest of the bytes held by `data`, in secret memory.
    public static func secret(_ algorithm: Algorithm, _ data: SecretBytes) -> SecretBytes {
        data.withUnsafeBytes { secret(algorithm, [$0]) }
    }
}

extension HMAC {
    /// HMAC of `message` under `key` (any length) with the chosen hash, for formats that
    /// name their own (TOTP's SHA-1, SHA-256 and SHA-512). Compare with `ConstantTime.equals`.
    public static func code(_ algorithm: Digest.Algorithm, key: SecretBytes,
                            message: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: algorithm.byteCount)
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { k in
            OpenSSL.nonNil(k) { kBase, kCount in
                OpenSSL.nonNil(message) { mBase, mCount in
                    out.withUnsafeMutableBufferPointer { o in
                        COpenSSL.HMAC(algorithm.md, kBase, Int32(kCount),
                                      mBase.assumingMemoryBound(to: UInt8.self), mCount,
                                      o.baseAddress, &length)
                    }
                }
            }
        }
        guard result != nil, Int(length) == algorithm.byteCount else { fatalError("OpenSSL HMAC failed") }
        return out
    }
}
