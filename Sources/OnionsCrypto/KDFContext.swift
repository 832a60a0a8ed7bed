import COpenSSL

/// An OpenSSL `EVP_KDF_CTX` for one algorithm, freed when this owner goes.
final class KDFContext {
    private let context: OpaquePointer

    /// A context for the named provider algorithm ("SCRYPT", "HKDF").
    init(algorithm: StaticString) throws {
        guard let kdf = EVP_KDF_fetch(nil, OpenSSL.cString(algorithm), nil) else {
            throw OpenSSL.failure("EVP_KDF_fetch")
        }
        defer { EVP_KDF_free(kdf) }
        guard let context = EVP_KDF_CTX_new(kdf) else { throw OpenSSL.failure("EVP_KDF_CTX_new") }
        self.context = context
    }

    deinit { EVP_KDF_CTX_free(context) }

    /// Derives `count` bytes into secret memory. `parameters` must end with `OSSL_PARAM_END`
    /// and every pointer in it must stay valid for the call.
    func derive(count: Int, parameters: [OSSL_PARAM], name: String) throws -> SecretBytes {
        guard count > 0 else { throw CryptoError.invalidLength("\(name) output length") }
        let out = SecretBytes(count: count)
        let ok = out.withUnsafeMutableBytes { o in
            parameters.withUnsafeBufferPointer { p in
                EVP_KDF_derive(context, o.baseAddress!.assumingMemoryBound(to: UInt8.self), count, p.baseAddress)
            }
        }
        guard ok == 1 else {
            out.wipe()
            throw OpenSSL.failure("\(name) derivation")
        }
        return out
    }

    /// An octet-string parameter pointing at `bytes` (which must outlive its use).
    static func octets(_ key: StaticString, _ bytes: UnsafeRawPointer, _ count: Int) -> OSSL_PARAM {
        OSSL_PARAM_construct_octet_string(OpenSSL.cString(key), UnsafeMutableRawPointer(mutating: bytes), count)
    }
}
