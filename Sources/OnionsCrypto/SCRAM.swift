/// SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL stores it: the verifier a server keeps in
/// place of a password.
public enum SCRAM {
    /// The iteration count PostgreSQL itself uses for new passwords.
    public static let defaultIterations = 4096

    /// `SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>` for
    /// `password` (used as given: pass ASCII, which SASLprep leaves unchanged).
    ///
    /// SaltedPassword = PBKDF2-HMAC-SHA256(password, salt, iterations), ClientKey =
    /// HMAC(SaltedPassword, "Client Key"), StoredKey = SHA-256(ClientKey), ServerKey =
    /// HMAC(SaltedPassword, "Server Key"). SaltedPassword and ClientKey, which would let anyone
    /// log in, stay in secret memory or are cleansed; the verifier lets no one log in, but it
    /// does let its holder test password guesses, so it is no public value either.
    public static func verifier(password: UnsafeRawBufferPointer, salt: [UInt8] = SecureRandom.bytes(16),
                                iterations: Int = defaultIterations) throws -> String {
        let salted = try PBKDF2.derive(password: password, salt: salt, iterations: iterations, prf: .sha256,
                                       count: SHA256.byteCount)
        defer { salted.wipe() }
        var clientKey = HMAC.sha256(key: salted, message: Array("Client Key".utf8))
        defer { OpenSSL.cleanse(&clientKey) }
        let storedKey = SHA256.hash(clientKey)
        let serverKey = HMAC.sha256(key: salted, message: Array("Server Key".utf8))
        return "SCRAM-SHA-256$\(iterations):\(Base64.encode(salt))$\(Base64.encode(storedKey)):\(Base64.encode(serverKey))"
    }
}
