import COpenSSL

extension AES {
    /// AES-256-GCM with a 12-byte nonce and a 16-byte tag.
    ///
    /// A sealed box is `nonce(12) || ciphertext || tag(16)`; the ciphertext is as long as the
    /// plaintext. Nonces are random, so one key may seal about 2^32 messages.
    public enum GCM {
        /// The byte length of a nonce.
        public static let nonceCount = 12
        /// The byte length of a tag.
        public static let tagCount = 16
        /// Bytes a sealed box adds to its plaintext.
        public static let overhead = nonceCount + tagCount

        /// Seals `plaintext` under `key` (32 bytes) with a fresh random nonce, binding `aad`.
        /// Returns nonce || ciphertext || tag.
        public static func seal(_ plaintext: UnsafeRawBufferPointer, using key: SecretBytes,
                                authenticating aad: [UInt8]) throws -> [UInt8] {
            try seal(plaintext, using: key, nonce: SecureRandom.bytes(nonceCount), authenticating: aad)
        }

        /// Seals plaintext held in secret memory.
        public static func seal(_ plaintext: SecretBytes, using key: SecretBytes,
                                authenticating aad: [UInt8]) throws -> [UInt8] {
            try plaintext.withUnsafeBytes { try seal($0, using: key, authenticating: aad) }
        }

        /// Seals with a caller-chosen nonce. Only for known-answer tests: a nonce must never
        /// be used twice with one key.
        public static func seal(_ plaintext: UnsafeRawBufferPointer, using key: SecretBytes,
                                nonce: [UInt8], authenticating aad: [UInt8]) throws -> [UInt8] {
            guard nonce.count == nonceCount else { throw CryptoError.invalidLength("GCM nonce") }
            let context = try CipherContext()
            try context.start(EVP_aes_256_gcm(), encrypt: true, key: key, iv: nonce)
            try context.authenticate(aad)
            var out = [UInt8](repeating: 0, count: nonceCount + plaintext.count + tagCount)
            try out.withUnsafeMutableBytes { o in
                for i in 0..<nonceCount { o[i] = nonce[i] }
                var written = nonceCount
                written += try context.update(plaintext, into: o, at: written)
                guard let tail = context.finish(into: o, at: written) else { throw OpenSSL.failure("EVP_EncryptFinal_ex") }
                written += tail
                guard written == nonceCount + plaintext.count else { throw CryptoError.failure("GCM length mismatch") }
                try context.control(EVP_CTRL_GCM_GET_TAG, Int32(tagCount), o.baseAddress! + written)
            }
            return out
        }

        /// Opens `nonce || ciphertext || tag` made by `seal`; the plaintext goes straight into
        /// secret memory. Throws `.truncated` when shorter than 28 bytes and
        /// `.authenticationFailed` for a wrong key, wrong `aad` or changed bytes (then no
        /// plaintext survives).
        public static func open(_ combined: [UInt8], using key: SecretBytes,
                                authenticating aad: [UInt8]) throws -> SecretBytes {
            guard combined.count >= overhead else { throw CryptoError.truncated }
            let out = SecretBytes(count: 0, capacity: combined.count - overhead + 16)
            try combined.withUnsafeBytes { try open($0, using: key, authenticating: aad, into: out) }
            return out
        }

        /// Opens nonce || ciphertext || tag into `out`, an owner the caller reuses (many small
        /// records, one mapping). `out.capacity` must be at least the ciphertext's length + 16;
        /// on return `out.count` is the plaintext's length. On failure `out` is wiped.
        public static func open(_ combined: UnsafeRawBufferPointer, using key: SecretBytes,
                                authenticating aad: [UInt8], into out: SecretBytes) throws {
            out.wipe()
            guard combined.count >= overhead else { throw CryptoError.truncated }
            guard key.count == 32 else { throw CryptoError.invalidLength("AES-256 key") }
            let bodyCount = combined.count - overhead
            guard out.capacity >= bodyCount + 16 else { throw CryptoError.invalidLength("GCM output buffer") }
            let nonce = Array(combined[0..<nonceCount])
            var tag = Array(combined[(combined.count - tagCount)...])
            let context = try CipherContext()
            try context.start(EVP_aes_256_gcm(), encrypt: false, key: key, iv: nonce)
            try context.authenticate(aad)
            out.count = bodyCount + 16
            do {
                let written: Int = try out.withUnsafeMutableBytes { o in
                    var written = try context.update(
                        UnsafeRawBufferPointer(rebasing: combined[nonceCount..<(nonceCount + bodyCount)]), into: o, at: 0)
                    try tag.withUnsafeMutableBytes { t in
                        try context.control(EVP_CTRL_GCM_SET_TAG, Int32(tagCount), t.baseAddress)
                    }
                    guard let tail = context.finish(into: o, at: written) else { throw CryptoError.authenticationFailed }
                    written += tail
                    return written
                }
                out.truncate(to: written)
            } catch {
                out.wipe()
                throw error
            }
        }
    }
}
