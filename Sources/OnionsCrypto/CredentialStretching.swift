import COpenSSL

/// The Onions app's stretched credential, used as the vault id.
public enum CredentialStretching {
    /// How many times SHA-256 is applied.
    public static let rounds = 15_000

    /// SHA-256 applied 15,000 times to the UTF-8 bytes (each round hashes the previous
    /// 32-byte digest), as standard base64 (44 characters).
    ///
    /// Every round runs on one SHA-256 context on the stack (OpenSSL's low-level digest: no
    /// allocation, no algorithm look-up, SHA-NI where the CPU has it), and each digest is
    /// written over the previous one in place: a log in pays the 15,000 compressions and
    /// little else.
    public static func stretch(_ utf8: UnsafeRawBufferPointer) -> String {
        var context = SHA256_CTX()
        var digest = [UInt8](repeating: 0, count: SHA256.byteCount)
        defer {
            OpenSSL.cleanse(&digest)
            withUnsafeMutableBytes(of: &context) { OPENSSL_cleanse($0.baseAddress, $0.count) }
        }
        digest.withUnsafeMutableBytes { d in
            let out = d.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var ok = SHA256_Init(&context) == 1
                && OpenSSL.nonNil(utf8, { SHA256_Update(&context, $0, $1) }) == 1
                && SHA256_Final(out, &context) == 1
            for _ in 1..<rounds where ok {
                ok = SHA256_Init(&context) == 1
                    && SHA256_Update(&context, out, SHA256.byteCount) == 1
                    && SHA256_Final(out, &context) == 1
            }
            guard ok else { fatalError("OpenSSL SHA-256 failed") }
        }
        return Base64.encode(digest)
    }

    /// Stretches the UTF-8 encoding of `text` (not normalised here).
    public static func stretch(_ text: String) -> String {
        var bytes = Array(text.utf8)
        defer { OpenSSL.cleanse(&bytes) }
        return bytes.withUnsafeBytes { stretch($0) }
    }
}
