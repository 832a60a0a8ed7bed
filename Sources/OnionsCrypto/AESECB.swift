import COpenSSL

extension AES {
    /// AES-256 in ECB mode, only as KeePass's AES-KDF uses it: many rounds over a 32-byte key.
    public enum ECB {
        /// `data` (a whole number of blocks) encrypted `rounds` times under `seed` (32 bytes),
        /// in a new secret owner.
        public static func transform(_ data: SecretBytes, seed: [UInt8], rounds: UInt64) throws -> SecretBytes {
            guard seed.count == 32 else { throw CryptoError.invalidLength("AES-KDF seed") }
            guard data.count > 0, data.count % CBC.blockCount == 0 else { throw CryptoError.invalidLength("AES-KDF data") }
            let key = SecretBytes(copying: seed)
            defer { key.wipe() }
            let context = try CipherContext()
            try context.start(EVP_aes_256_ecb(), encrypt: true, key: key, iv: [])
            EVP_CIPHER_CTX_set_padding(context.context, 0)
            let out = data.copy()
            try out.withUnsafeMutableBytes { o in
                for _ in 0..<rounds { _ = try context.update(UnsafeRawBufferPointer(o), into: o, at: 0) }
            }
            return out
        }
    }
}
