import COpenSSL

/// The ChaCha20 stream cipher (RFC 8439), unauthenticated: for formats that authenticate
/// elsewhere (KeePass KDBX 4 payloads under their HMAC blocks, and its protected values).
public final class ChaCha20: KeyStream {
    private let context: CipherContext

    /// A key stream from a 32-byte key and a 12-byte nonce, block counter 0.
    public init(key: SecretBytes, nonce: [UInt8]) throws {
        guard nonce.count == 12 else { throw CryptoError.invalidLength("ChaCha20 nonce") }
        context = try CipherContext()
        // OpenSSL's IV is the 32-bit block counter (little-endian) followed by the nonce.
        try context.start(EVP_chacha20(), encrypt: true, key: key, iv: [0, 0, 0, 0] + nonce)
    }

    /// XORs the next `bytes.count` bytes of the key stream into `bytes`, in place.
    public func apply(_ bytes: UnsafeMutableRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        let written = try context.update(UnsafeRawBufferPointer(bytes), into: bytes, at: 0)
        guard written == bytes.count else { throw OpenSSL.failure("EVP_CipherUpdate(ChaCha20)") }
    }
}
