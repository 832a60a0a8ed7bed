/// RNCryptor data format version 3, in its password and key forms.
///
/// Password form: `3 | 1 | encSalt(8) | hmacSalt(8) | IV(16) | AES-256-CBC(PKCS#7) | HMAC(32)`,
/// keys from PBKDF2 (32 bytes each). Key form: `3 | 0 | IV(16) | ciphertext | HMAC(32)`.
/// The HMAC-SHA256 covers header and ciphertext. Decryption checks lengths, version and
/// options first, then the HMAC in constant time, and only then decrypts: a bad HMAC never
/// produces plaintext.
public enum RNCryptor {
    /// The format version this type reads and writes.
    public static let version: UInt8 = 3
    static let saltCount = 8
    static let keyCount = 32
    static let hmacCount = SHA256.byteCount
    static let passwordHeaderCount = 2 + 2 * saltCount + AES.CBC.blockCount
    static let keyHeaderCount = 2 + AES.CBC.blockCount

    /// How PBKDF2 turns a password into the two keys.
    public struct KeySettings: Equatable, Sendable {
        public var iterations: Int
        public var prf: PBKDF2.PRF

        public init(iterations: Int, prf: PBKDF2.PRF) {
            self.iterations = iterations
            self.prf = prf
        }

        /// What every RNCryptor v3 implementation uses: 10,000 iterations of HMAC-SHA1.
        public static let standard = KeySettings(iterations: 10_000, prf: .sha1)
    }

    // MARK: Password form

    /// Encrypts `plaintext` with keys derived from `password` (fresh random salts and IV).
    public static func encrypt(_ plaintext: UnsafeRawBufferPointer, password: UnsafeRawBufferPointer,
                               settings: KeySettings = .standard) throws -> [UInt8] {
        try encrypt(plaintext, password: password, settings: settings,
                    encryptionSalt: SecureRandom.bytes(saltCount), hmacSalt: SecureRandom.bytes(saltCount),
                    iv: SecureRandom.bytes(AES.CBC.blockCount))
    }

    /// Encrypts with explicit salts and IV (for known-answer tests; never reuse them).
    static func encrypt(_ plaintext: UnsafeRawBufferPointer, password: UnsafeRawBufferPointer,
                        settings: KeySettings, encryptionSalt: [UInt8], hmacSalt: [UInt8],
                        iv: [UInt8]) throws -> [UInt8] {
        guard encryptionSalt.count == saltCount else { throw CryptoError.invalidLength("RNCryptor encryption salt") }
        guard hmacSalt.count == saltCount else { throw CryptoError.invalidLength("RNCryptor HMAC salt") }
        let encryptionKey = try deriveKey(password, salt: encryptionSalt, settings: settings)
        let hmacKey = try deriveKey(password, salt: hmacSalt, settings: settings)
        return try seal(plaintext, header: [version, 1] + encryptionSalt + hmacSalt + iv,
                        iv: iv, encryptionKey: encryptionKey, hmacKey: hmacKey)
    }

    /// Decrypts a password-form message into secret memory.
    ///
    /// Throws `.truncated`, `.unknownVersion`, `.unknownOptions` (including a key-form
    /// message) before deriving keys; `.authenticationFailed` for a wrong password or any
    /// changed byte.
    public static func decrypt(_ message: [UInt8], password: UnsafeRawBufferPointer,
                               settings: KeySettings = .standard) throws -> SecretBytes {
        try checkShape(message, options: 1, headerCount: passwordHeaderCount)
        let encryptionSalt = Array(message[2..<(2 + saltCount)])
        let hmacSalt = Array(message[(2 + saltCount)..<(2 + 2 * saltCount)])
        let encryptionKey = try deriveKey(password, salt: encryptionSalt, settings: settings)
        let hmacKey = try deriveKey(password, salt: hmacSalt, settings: settings)
        return try open(message, headerCount: passwordHeaderCount, encryptionKey: encryptionKey, hmacKey: hmacKey)
    }

    /// The PBKDF2 key RNCryptor derives from `password` and one 8-byte salt.
    static func deriveKey(_ password: UnsafeRawBufferPointer, salt: [UInt8], settings: KeySettings) throws -> SecretBytes {
        try PBKDF2.derive(password: password, salt: salt, iterations: settings.iterations,
                          prf: settings.prf, count: keyCount)
    }

    // MARK: Key form

    /// Encrypts `plaintext` under two 32-byte keys (fresh random IV).
    public static func encrypt(_ plaintext: UnsafeRawBufferPointer, encryptionKey: SecretBytes,
                               hmacKey: SecretBytes) throws -> [UInt8] {
        try encrypt(plaintext, encryptionKey: encryptionKey, hmacKey: hmacKey, iv: SecureRandom.bytes(AES.CBC.blockCount))
    }

    /// Encrypts under two keys with an explicit IV (for known-answer tests).
    static func encrypt(_ plaintext: UnsafeRawBufferPointer, encryptionKey: SecretBytes,
                        hmacKey: SecretBytes, iv: [UInt8]) throws -> [UInt8] {
        try checkKeys(encryptionKey, hmacKey)
        return try seal(plaintext, header: [version, 0] + iv, iv: iv, encryptionKey: encryptionKey, hmacKey: hmacKey)
    }

    /// Decrypts a key-form message into secret memory (errors as for the password form).
    public static func decrypt(_ message: [UInt8], encryptionKey: SecretBytes,
                               hmacKey: SecretBytes) throws -> SecretBytes {
        try checkKeys(encryptionKey, hmacKey)
        try checkShape(message, options: 0, headerCount: keyHeaderCount)
        return try open(message, headerCount: keyHeaderCount, encryptionKey: encryptionKey, hmacKey: hmacKey)
    }

    // MARK: Shared

    private static func checkKeys(_ encryptionKey: SecretBytes, _ hmacKey: SecretBytes) throws {
        guard encryptionKey.count == keyCount else { throw CryptoError.invalidLength("RNCryptor encryption key") }
        guard hmacKey.count == keyCount else { throw CryptoError.invalidLength("RNCryptor HMAC key") }
    }

    /// Checks everything that needs no key: version, options, and that the length fits
    /// header + whole blocks (at least one) + HMAC.
    private static func checkShape(_ message: [UInt8], options: UInt8, headerCount: Int) throws {
        guard message.count >= 2 else { throw CryptoError.truncated }
        guard message[0] == version else { throw CryptoError.unknownVersion(message[0]) }
        guard message[1] == options else { throw CryptoError.unknownOptions(message[1]) }
        let bodyCount = message.count - headerCount - hmacCount
        guard bodyCount >= AES.CBC.blockCount, bodyCount % AES.CBC.blockCount == 0 else {
            throw CryptoError.truncated
        }
    }

    private static func seal(_ plaintext: UnsafeRawBufferPointer, header: [UInt8], iv: [UInt8],
                             encryptionKey: SecretBytes, hmacKey: SecretBytes) throws -> [UInt8] {
        guard iv.count == AES.CBC.blockCount else { throw CryptoError.invalidLength("RNCryptor IV") }
        var message = header
        message += try AES.CBC.encrypt(plaintext, key: encryptionKey, iv: iv)
        message += HMAC.sha256(key: hmacKey, message: message)
        return message
    }

    private static func open(_ message: [UInt8], headerCount: Int,
                             encryptionKey: SecretBytes, hmacKey: SecretBytes) throws -> SecretBytes {
        let macStart = message.count - hmacCount
        return try message.withUnsafeBytes { m in
            let expected = HMAC.sha256(key: hmacKey, message: UnsafeRawBufferPointer(rebasing: m[..<macStart]))
            guard expected.withUnsafeBytes({ ConstantTime.equals($0, UnsafeRawBufferPointer(rebasing: m[macStart...])) }) else {
                throw CryptoError.authenticationFailed
            }
            let iv = Array(message[(headerCount - AES.CBC.blockCount)..<headerCount])
            return try AES.CBC.decrypt(UnsafeRawBufferPointer(rebasing: m[headerCount..<macStart]),
                                       key: encryptionKey, iv: iv)
        }
    }
}
