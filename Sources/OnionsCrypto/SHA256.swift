import COpenSSL

/// SHA-256 digests (32 bytes).
public enum SHA256 {
    /// The byte length of a digest.
    public static let byteCount = 32

    /// The SHA-256 digest of `data`.
    public static func hash(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let ok = OpenSSL.nonNil(data) { base, count in
            out.withUnsafeMutableBufferPointer { o in
                EVP_Digest(base, count, o.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        guard ok == 1, length == UInt32(byteCount) else { fatalError("OpenSSL EVP_Digest(SHA-256) failed") }
        return out
    }

    /// The SHA-256 digest of `data`.
    public static func hash(_ data: [UInt8]) -> [UInt8] {
        data.withUnsafeBytes { hash($0) }
    }
}
