/// The Salsa20/20 stream cipher (Bernstein), unauthenticated, only as KeePass KDBX 3.1 uses it
/// for protected values; OpenSSL does not offer it. The state (with the key) and the current
/// key-stream block live in secret memory.
public final class Salsa20: KeyStream {
    private let state = SecretBytes(count: 64)
    private let block = SecretBytes(count: 64)
    private var used = 64

    /// A key stream from a 32-byte key and an 8-byte nonce, block counter 0.
    public init(key: SecretBytes, nonce: [UInt8]) throws {
        guard key.count == 32 else { throw CryptoError.invalidLength("Salsa20 key") }
        guard nonce.count == 8 else { throw CryptoError.invalidLength("Salsa20 nonce") }
        let constants: [UInt32] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574]
        state.withUnsafeMutableBytes { s in
            key.withUnsafeBytes { k in
                let words = s.bindMemory(to: UInt32.self)
                for (i, at) in [0, 5, 10, 15].enumerated() { words[at] = constants[i] }
                for i in 0..<4 {
                    words[1 + i] = k.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian
                    words[11 + i] = k.loadUnaligned(fromByteOffset: 16 + 4 * i, as: UInt32.self).littleEndian
                }
                nonce.withUnsafeBytes { n in
                    words[6] = n.loadUnaligned(fromByteOffset: 0, as: UInt32.self).littleEndian
                    words[7] = n.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
                }
                words[8] = 0
                words[9] = 0
            }
        }
    }

    deinit {
        state.wipe()
        block.wipe()
    }

    /// XORs the next `bytes.count` bytes of the key stream into `bytes`, in place.
    public func apply(_ bytes: UnsafeMutableRawBufferPointer) throws {
        for i in 0..<bytes.count {
            if used == 64 { nextBlock() }
            bytes[i] ^= block.withUnsafeBytes { $0[used] }
            used += 1
        }
    }

    /// Fills `block` with the next 64 bytes of key stream and steps the counter.
    private func nextBlock() {
        state.withUnsafeMutableBytes { s in
            block.withUnsafeMutableBytes { b in
                let input = s.bindMemory(to: UInt32.self)
                let x = b.bindMemory(to: UInt32.self)
                for i in 0..<16 { x[i] = input[i] }
                func quarter(_ a: Int, _ b: Int, _ c: Int, _ d: Int) {
                    x[b] ^= (x[a] &+ x[d]).rotatedLeft(7)
                    x[c] ^= (x[b] &+ x[a]).rotatedLeft(9)
                    x[d] ^= (x[c] &+ x[b]).rotatedLeft(13)
                    x[a] ^= (x[d] &+ x[c]).rotatedLeft(18)
                }
                for _ in 0..<10 {
                    quarter(0, 4, 8, 12); quarter(5, 9, 13, 1); quarter(10, 14, 2, 6); quarter(15, 3, 7, 11)
                    quarter(0, 1, 2, 3); quarter(5, 6, 7, 4); quarter(10, 11, 8, 9); quarter(15, 12, 13, 14)
                }
                for i in 0..<16 { x[i] = (x[i] &+ input[i]).littleEndian }
                input[8] &+= 1
                if input[8] == 0 { input[9] &+= 1 }
            }
        }
        used = 0
    }
}

/// A stream cipher whose key stream is XORed into data in place, as KeePass protects values.
public protocol KeyStream: AnyObject {
    func apply(_ bytes: UnsafeMutableRawBufferPointer) throws
}

extension KeyStream {
    /// XORs the key stream into the bytes held by `secret`, in place.
    public func apply(_ secret: SecretBytes) throws {
        try secret.withUnsafeMutableBytes { try apply($0) }
    }
}

extension UInt32 {
    fileprivate func rotatedLeft(_ n: UInt32) -> UInt32 { self << n | self >> (32 - n) }
}
