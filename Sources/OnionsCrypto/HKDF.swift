import COpenSSL

/// HKDF (RFC 5869), extract then expand, through OpenSSL's EVP_KDF "HKDF".
public enum HKDF {
    /// Expands `key` into `count` bytes of secret memory with HMAC-SHA256.
    ///
    /// An empty `salt` means the RFC's default (a hash-length string of zeros).
    /// Throws `.invalidLength` for an empty key, a zero `count` or one above 255·32 bytes.
    public static func sha256(key: SecretBytes, salt: [UInt8], info: [UInt8], count: Int) throws -> SecretBytes {
        guard key.count > 0 else { throw CryptoError.invalidLength("HKDF key") }
        guard count > 0, count <= 255 * SHA256.byteCount else { throw CryptoError.invalidLength("HKDF output length") }
        let context = try KDFContext(algorithm: "HKDF")
        return try key.withUnsafeBytes { k in
            try salt.withUnsafeBytes { s in
                try info.withUnsafeBytes { i in
                    var params = [
                        OSSL_PARAM_construct_utf8_string(OpenSSL.cString("digest"), OpenSSL.cString("SHA256"), 0),
                        KDFContext.octets("key", k.baseAddress!, k.count),
                    ]
                    if let base = s.baseAddress, s.count > 0 { params.append(KDFContext.octets("salt", base, s.count)) }
                    if let base = i.baseAddress, i.count > 0 { params.append(KDFContext.octets("info", base, i.count)) }
                    params.append(OSSL_PARAM_construct_end())
                    return try context.derive(count: count, parameters: params, name: "HKDF")
                }
            }
        }
    }
}

extension HKDF {
    /// HKDF-Expand alone (RFC 5869 section 2.3) with HMAC-SHA256: `prk` is taken as the
    /// pseudo-random key as it is, as Bitwarden stretches a derived key into its two halves.
    public static func expandSHA256(prk: SecretBytes, info: [UInt8], count: Int) throws -> SecretBytes {
        guard prk.count >= SHA256.byteCount else { throw CryptoError.invalidLength("HKDF pseudo-random key") }
        guard count > 0, count <= 255 * SHA256.byteCount else { throw CryptoError.invalidLength("HKDF output length") }
        let context = try KDFContext(algorithm: "HKDF")
        return try prk.withUnsafeBytes { k in
            try info.withUnsafeBytes { i in
                var params = [
                    OSSL_PARAM_construct_utf8_string(OpenSSL.cString("digest"), OpenSSL.cString("SHA256"), 0),
                    OSSL_PARAM_construct_utf8_string(OpenSSL.cString("mode"), OpenSSL.cString("EXPAND_ONLY"), 0),
                    KDFContext.octets("key", k.baseAddress!, k.count),
                ]
                if let base = i.baseAddress, i.count > 0 { params.append(KDFContext.octets("info", base, i.count)) }
                params.append(OSSL_PARAM_construct_end())
                return try context.derive(count: count, parameters: params, name: "HKDF-Expand")
            }
        }
    }
}
