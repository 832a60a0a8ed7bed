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
