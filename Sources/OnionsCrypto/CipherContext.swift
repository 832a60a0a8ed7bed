import COpenSSL

/// An OpenSSL `EVP_CIPHER_CTX`, freed (and its key schedule cleansed) when this owner goes.
final class CipherContext {
    let context: OpaquePointer

    init() throws {
        guard let context = EVP_CIPHER_CTX_new() else { throw OpenSSL.failure("EVP_CIPHER_CTX_new") }
        self.context = context
    }

    deinit { EVP_CIPHER_CTX_free(context) }

    /// Sets up `cipher` for encryption (`encrypt`) or decryption with a key of the cipher's
    /// length (32 bytes for AES-256 and ChaCha20, 16 for AES-128).
    func start(_ cipher: OpaquePointer, encrypt: Bool, key: SecretBytes, iv: [UInt8]) throws {
        let expected = Int(EVP_CIPHER_get_key_length(cipher))
        guard key.count == expected else { throw CryptoError.invalidLength(expected == 32 ? "AES-256 key" : "cipher key") }
        guard EVP_CipherInit_ex(context, cipher, nil, nil, nil, encrypt ? 1 : 0) == 1 else {
            throw OpenSSL.failure("EVP_CipherInit_ex")
        }
        let ok = key.withUnsafeBytes { k in
            iv.withUnsafeBufferPointer { v in
                EVP_CipherInit_ex(context, nil, nil, k.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                  v.baseAddress, -1)
            }
        }
        guard ok == 1 else { throw OpenSSL.failure("EVP_CipherInit_ex") }
    }

    /// Feeds associated data (AEAD modes only).
    func authenticate(_ aad: [UInt8]) throws {
        guard !aad.isEmpty else { return }
        var outLength: Int32 = 0
        let ok = aad.withUnsafeBufferPointer { a in
            EVP_CipherUpdate(context, nil, &outLength, a.baseAddress, Int32(a.count))
        }
        guard ok == 1 else { throw OpenSSL.failure("EVP_CipherUpdate(aad)") }
    }

    /// Runs `input` through the cipher into `output` at `offset`; returns bytes written.
    /// `output` must have room for `input.count` plus one block after `offset`.
    func update(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        guard let base = input.baseAddress, input.count > 0 else { return 0 }
        guard input.count <= Int(Int32.max) - 32 else { throw CryptoError.invalidLength("cipher input") }
        var outLength: Int32 = 0
        let ok = EVP_CipherUpdate(context, (output.baseAddress! + offset).assumingMemoryBound(to: UInt8.self),
                                  &outLength, base.assumingMemoryBound(to: UInt8.self), Int32(input.count))
        guard ok == 1 else { throw OpenSSL.failure("EVP_CipherUpdate") }
        return Int(outLength)
    }

    /// Finishes the cipher into `output` at `offset`; returns bytes written, or nil when
    /// OpenSSL rejects the final block (bad padding, or a GCM tag mismatch).
    func finish(into output: UnsafeMutableRawBufferPointer, at offset: Int) -> Int? {
        var outLength: Int32 = 0
        let ok = EVP_CipherFinal_ex(context, (output.baseAddress! + offset).assumingMemoryBound(to: UInt8.self), &outLength)
        guard ok == 1 else {
            ERR_clear_error()
            return nil
        }
        return Int(outLength)
    }

    /// Calls `EVP_CIPHER_CTX_ctrl` with a byte buffer (GCM tags, nonce length).
    func control(_ type: Int32, _ argument: Int32, _ pointer: UnsafeMutableRawPointer?) throws {
        guard EVP_CIPHER_CTX_ctrl(context, type, argument, pointer) == 1 else {
            throw OpenSSL.failure("EVP_CIPHER_CTX_ctrl")
        }
    }
}
