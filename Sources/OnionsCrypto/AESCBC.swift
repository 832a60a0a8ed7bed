import COpenSSL

extension AES {
    /// AES-256-CBC with PKCS#7 padding (AES-128 when decrypting with a 16-byte key, as Fernet
    /// uses). Unauthenticated: use it only inside a MAC'd format (RNCryptor, Fernet, Bitwarden,
    /// KeePass), and check the MAC before decrypting.
    public enum CBC {
        /// The byte length of an IV and of a block.
        public static let blockCount = 16

        /// Encrypts `plaintext` under `key` (32 bytes) and `iv` (16 bytes); the result is
        /// padded to a whole number of blocks (always at least one).
        public static func encrypt(_ plaintext: UnsafeRawBufferPointer, key: SecretBytes, iv: [UInt8]) throws -> [UInt8] {
            guard iv.count == blockCount else { throw CryptoError.invalidLength("CBC IV") }
            let context = try CipherContext()
            try context.start(EVP_aes_256_cbc(), encrypt: true, key: key, iv: iv)
            var out = [UInt8](repeating: 0, count: plaintext.count + blockCount)
            let written: Int = try out.withUnsafeMutableBytes { o in
                var written = try context.update(plaintext, into: o, at: 0)
                guard let tail = context.finish(into: o, at: written) else { throw OpenSSL.failure("EVP_EncryptFinal_ex") }
                written += tail
                return written
            }
            out.removeSubrange(written...)
            return out
        }

        /// Decrypts `ciphertext` into secret memory. Throws `.truncated` when it is empty or not a
        /// whole number of blocks, `.badPadding` when the padding is invalid (no plaintext survives).
        public static func decrypt(_ ciphertext: [UInt8], key: SecretBytes, iv: [UInt8]) throws -> SecretBytes {
            try ciphertext.withUnsafeBytes { try decrypt($0, key: key, iv: iv) }
        }

        /// Decrypts raw ciphertext bytes into secret memory (see `decrypt(_:key:iv:)`).
        public static func decrypt(_ ciphertext: UnsafeRawBufferPointer, key: SecretBytes, iv: [UInt8]) throws -> SecretBytes {
            guard iv.count == blockCount else { throw CryptoError.invalidLength("CBC IV") }
            guard !ciphertext.isEmpty, ciphertext.count % blockCount == 0 else { throw CryptoError.truncated }
            let context = try CipherContext()
            try context.start(key.count == 16 ? EVP_aes_128_cbc() : EVP_aes_256_cbc(), encrypt: false, key: key, iv: iv)
            let out = SecretBytes(count: ciphertext.count + blockCount)
            do {
                let written: Int = try out.withUnsafeMutableBytes { o in
                    var written = try context.update(ciphertext, into: o, at: 0)
                    guard let tail = context.finish(into: o, at: written) else { throw CryptoError.badPadding }
                    written += tail
                    return written
                }
                out.truncate(to: written)
                return out
            } catch {
                out.wipe()
                throw error
            }
        }
    }
}
