import COpenSSL

/// Random bytes from OpenSSL's CSPRNG (`RAND_bytes`).
///
/// A CSPRNG failure is unrecoverable here: the process stops with `fatalError` rather than
/// continue with predictable keys or nonces.
public enum SecureRandom {
    /// `count` random bytes in a plain array (for salts, nonces, IVs).
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "negative random byte count")
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { fill($0) }
        return out
    }

    /// `count` random bytes written straight into secret memory (for keys).
    public static func secret(_ count: Int) -> SecretBytes {
        precondition(count >= 0, "negative random byte count")
        let out = SecretBytes(count: count)
        out.withUnsafeMutableBytes { fill($0) }
        return out
    }

    static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        var offset = 0
        while offset < buffer.count {
            let chunk = min(buffer.count - offset, Int(Int32.max))
            guard RAND_bytes((base + offset).assumingMemoryBound(to: UInt8.self), Int32(chunk)) == 1 else {
                fatalError("OpenSSL RAND_bytes failed: no secure randomness available")
            }
            offset += chunk
        }
    }
}
