/// The Onions app's stretched credential, used as the vault id.
public enum CredentialStretching {
    /// How many times SHA-256 is applied.
    public static let rounds = 15_000

    /// SHA-256 applied 15,000 times to the UTF-8 bytes (each round hashes the previous
    /// 32-byte digest), as standard base64 (44 characters).
    public static func stretch(_ utf8: UnsafeRawBufferPointer) -> String {
        var digest = SHA256.hash(utf8)
        for _ in 1..<rounds { digest = SHA256.hash(digest) }
        return Base64.encode(digest)
    }

    /// Stretches the UTF-8 encoding of `text` (not normalised here).
    public static func stretch(_ text: String) -> String {
        var bytes = Array(text.utf8)
        defer { OpenSSL.cleanse(&bytes) }
        return bytes.withUnsafeBytes { stretch($0) }
    }
}
