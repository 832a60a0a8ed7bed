import COpenSSL

/// HMAC message authentication codes.
public enum HMAC {
    /// HMAC-SHA256 of `message` under `key` (32 bytes). Compare MACs with `ConstantTime.equals`.
    public static func sha256(key: SecretBytes, message: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: SHA256.byteCount)
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { k in
            OpenSSL.nonNil(k) { kBase, kCount in
                OpenSSL.nonNil(message) { mBase, mCount in
                    out.withUnsafeMutableBufferPointer { o in
                        COpenSSL.HMAC(EVP_sha256(), kBase, Int32(kCount),
                                      mBase.assumingMemoryBound(to: UInt8.self), mCount,
                                      o.baseAddress, &length)
                    }
                }
            }
        }
        guard result != nil, length == UInt32(SHA256.byteCount) else { fatalError("OpenSSL HMAC-SHA256 failed") }
        return out
    }

    /// HMAC-SHA256 of `message` under `key` (32 bytes).
    public static func sha256(key: SecretBytes, message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { sha256(key: key, message: $0) }
    }
}

/// An HMAC-SHA256 key made ready once for many messages (naming thousands of records).
///
/// The key is set into an OpenSSL MAC context at creation; each message runs on a copy of that
/// context, so the key schedule and the algorithm look-up are paid once. OpenSSL cleanses the
/// contexts, key material included, when they are freed.
public final class HMACKey: @unchecked Sendable {
    private let template: OpaquePointer

    /// Throws `CryptoError.failure` when OpenSSL cannot set up HMAC-SHA256.
    public init(_ key: SecretBytes) throws {
        guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else { throw OpenSSL.failure("EVP_MAC_fetch") }
        defer { EVP_MAC_free(mac) }
        guard let context = EVP_MAC_CTX_new(mac) else { throw OpenSSL.failure("EVP_MAC_CTX_new") }
        var parameters = [
            OSSL_PARAM_construct_utf8_string(OpenSSL.cString("digest"), OpenSSL.cString("SHA256"), 0),
            OSSL_PARAM_construct_end(),
        ]
        let ok = key.withUnsafeBytes { k in
            parameters.withUnsafeMutableBufferPointer { p in
                EVP_MAC_init(context, k.baseAddress?.assumingMemoryBound(to: UInt8.self), k.count, p.baseAddress)
            }
        }
        guard ok == 1 else {
            EVP_MAC_CTX_free(context)
            throw OpenSSL.failure("EVP_MAC_init")
        }
        template = context
    }

    deinit { EVP_MAC_CTX_free(template) }

    /// HMAC-SHA256 of `message` under this key.
    public func code(for message: UnsafeRawBufferPointer) -> [UInt8] {
        guard let context = EVP_MAC_CTX_dup(template) else { fatalError("OpenSSL EVP_MAC_CTX_dup failed") }
        defer { EVP_MAC_CTX_free(context) }
        var out = [UInt8](repeating: 0, count: SHA256.byteCount)
        var length = 0
        let ok = out.withUnsafeMutableBufferPointer { o in
            EVP_MAC_update(context, message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count) == 1
                && EVP_MAC_final(context, o.baseAddress, &length, SHA256.byteCount) == 1
        }
        guard ok, length == SHA256.byteCount else { fatalError("OpenSSL HMAC-SHA256 failed") }
        return out
    }

    /// HMAC-SHA256 of `message` under this key.
    public func code(for message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { code(for: $0) }
    }
}
