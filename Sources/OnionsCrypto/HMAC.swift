import COpenSSL

/// HMAC message authentication codes.
public enum HMAC {
    /// HMAC-SHA256 of `message` under `key` (32 bytes). Compare MACs with `ConstantTime.equals`.
    public static func sha256(key: SecretBytes, message: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: SHA256.byteCount)
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { k in
            OpenSSL.nonNil(k) { kBase, kCount in
                OpenSSL.nonNil(message) { mBase, mCount in
                    out.withUnsafeMutableBufferPointer { o in
                        COpenSSL.HMAC(EVP_sha256(), kBase, Int32(kCount),
                                      mBase.assumingMemoryBound(to: UInt8.self), mCount,
                                      o.baseAddress, &length)
                    }
                }
            }
        }
        guard result != nil, length == UInt32(SHA256.byteCount) else { fatalError("OpenSSL HMAC-SHA256 failed") }
        return out
    }

    /// HMAC-SHA256 of `message` under `key` (32 bytes).
    public static func sha256(key: SecretBytes, message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { sha256(key: key, message: $0) }
    }
}

/// An HMAC-SHA256 key made ready once for many messages (naming thousands of records).
///
/// HMAC's two keyed blocks (key XOR ipad, key XOR opad) are digested once, at creation, into
/// two SHA-256 contexts kept in secret memory; each message then costs a copy of each context
/// on the stack (wiped after) and the compressions of the message and of the inner digest,
/// with OpenSSL's low-level SHA-256 (no allocation). Keys longer than a block are digested
/// first, as RFC 2104 says.
public final class HMACKey: @unchecked Sendable {
    private static let block = 64
    private static let contextSize = MemoryLayout<SHA256_CTX>.stride
    /// The inner then the outer context, after their keyed block.
    private let contexts: SecretBytes

    /// Throws `CryptoError.failure` when OpenSSL's SHA-256 fails.
    public init(_ key: SecretBytes) throws {
        let block = Self.block
        let pads = SecretBytes(count: 2 * block)
        defer { pads.wipe() }
        let keyed = key.count > block ? Self.digested(key) : key
        defer { if keyed !== key { keyed.wipe() } }
        pads.withUnsafeMutableBytes { p in
            keyed.withUnsafeBytes { k in
                for i in 0..<block {
                    let byte = i < k.count ? k[i] : 0
                    p[i] = byte ^ 0x36
                    p[block + i] = byte ^ 0x5c
                }
            }
        }
        contexts = SecretBytes(count: 2 * Self.contextSize)
        let ok = contexts.withUnsafeMutableBytes { c in
            pads.withUnsafeBytes { p in
                let inner = c.baseAddress!.assumingMemoryBound(to: SHA256_CTX.self)
                let outer = (c.baseAddress! + Self.contextSize).assumingMemoryBound(to: SHA256_CTX.self)
                return SHA256_Init(inner) == 1 && SHA256_Update(inner, p.baseAddress!, block) == 1
                    && SHA256_Init(outer) == 1 && SHA256_Update(outer, p.baseAddress! + block, block) == 1
            }
        }
        guard ok else {
            contexts.wipe()
            throw OpenSSL.failure("SHA256_Init")
        }
    }

    deinit { contexts.wipe() }

    private static func digested(_ key: SecretBytes) -> SecretBytes {
        var digest = key.withUnsafeBytes { SHA256.hash($0) }
        defer { OpenSSL.cleanse(&digest) }
        return SecretBytes(copying: digest)
    }

    /// HMAC-SHA256 of `message` under this key.
    public func code(for message: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: SHA256.byteCount)
        out.withUnsafeMutableBytes { code(for: message, into: $0) }
        return out
    }

    /// HMAC-SHA256 of `message` under this key, written to `out` (at least 32 bytes): no
    /// allocation, for the tens of thousands of names a log in computes.
    public func code(for message: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= SHA256.byteCount, "an HMAC-SHA256 code takes 32 bytes")
        var work = (SHA256_CTX(), SHA256_CTX())
        let ok = contexts.withUnsafeBytes { c in
            withUnsafeMutableBytes(of: &work) { w in
                defer { OPENSSL_cleanse(w.baseAddress, w.count) }
                let inner = w.baseAddress!.assumingMemoryBound(to: SHA256_CTX.self)
                let outer = (w.baseAddress! + Self.contextSize).assumingMemoryBound(to: SHA256_CTX.self)
                w.baseAddress!.copyMemory(from: c.baseAddress!, byteCount: 2 * Self.contextSize)
                let digest = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
                return OpenSSL.nonNil(message, { SHA256_Update(inner, $0, $1) }) == 1
                    && SHA256_Final(digest, inner) == 1
                    && SHA256_Update(outer, digest, SHA256.byteCount) == 1
                    && SHA256_Final(digest, outer) == 1
            }
        }
        guard ok else { fatalError("OpenSSL HMAC-SHA256 failed") }
    }

    /// HMAC-SHA256 of `message` under this key.
    public func code(for message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { code(for: $0) }
    }
}
