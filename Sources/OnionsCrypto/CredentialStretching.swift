import COpenSSL

/// The Onions app's stretched credential, used as the vault id.
public enum CredentialStretching {
    /// How many times SHA-256 is applied.
    public static let rounds = 15_000

    /// SHA-256 applied 15,000 times to the UTF-8 bytes (each round hashes the previous
    /// 32-byte digest), as standard base64 (44 characters).
    ///
    /// One digest context and one fetched algorithm serve every round, and each digest is
    /// written over the previous one in place: a log in pays the rounds, not 15,000 look-ups
    /// and allocations (a third of a small vault's log in before).
    public static func stretch(_ utf8: UnsafeRawBufferPointer) -> String {
        guard let md = EVP_MD_fetch(nil, "SHA256", nil), let context = EVP_MD_CTX_new() else {
            fatalError("OpenSSL cannot set up SHA-256")
        }
        defer {
            EVP_MD_CTX_free(context)
            EVP_MD_free(md)
        }
        var digest = [UInt8](repeating: 0, count: SHA256.byteCount)
        defer { OpenSSL.cleanse(&digest) }
        digest.withUnsafeMutableBytes { d in
            let out = d.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var length: UInt32 = 0
            var ok = EVP_DigestInit_ex2(context, md, nil) == 1
                && OpenSSL.nonNil(utf8, { EVP_DigestUpdate(context, $0, $1) }) == 1
                && EVP_DigestFinal_ex(context, out, &length) == 1
            for _ in 1..<rounds where ok {
                ok = EVP_DigestInit_ex2(context, nil, nil) == 1
                    && EVP_DigestUpdate(context, out, SHA256.byteCount) == 1
                    && EVP_DigestFinal_ex(context, out, &length) == 1
            }
            guard ok, length == UInt32(SHA256.byteCount) else { fatalError("OpenSSL SHA-256 failed") }
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
