import CArgon2

/// Argon2 (RFC 9106) through the reference library, for formats that name it (KeePass KDBX 4,
/// Bitwarden's Argon2id exports). Onions' own vaults use scrypt.
public enum Argon2 {
    /// The variant a file names.
    public enum Variant: Sendable {
        case d, id
    }

    /// The most memory a file may ask for (KiB): 4 GiB, above any peer's default.
    public static let maximumMemoryKiB = 4 * 1024 * 1024

    /// Derives `count` bytes from `password` into secret memory.
    ///
    /// Throws `.invalidLength` for parameters outside what the library or this program takes
    /// (memory over `maximumMemoryKiB`, zero iterations or lanes), and `.failure` when the
    /// library refuses (naming its error, never data).
    public static func derive(password: SecretBytes, salt: [UInt8], variant: Variant, iterations: Int,
                              memoryKiB: Int, parallelism: Int, version: Int = 0x13,
                              count: Int = 32) throws -> SecretBytes {
        guard iterations >= 1, iterations <= Int(UInt32.max) else { throw CryptoError.invalidLength("Argon2 iterations") }
        guard parallelism >= 1, parallelism <= 255 else { throw CryptoError.invalidLength("Argon2 parallelism") }
        guard memoryKiB >= 8 * parallelism, memoryKiB <= maximumMemoryKiB else { throw CryptoError.invalidLength("Argon2 memory") }
        guard version == 0x10 || version == 0x13 else { throw CryptoError.invalidLength("Argon2 version") }
        guard salt.count >= 8, count >= 4, count <= 1024 else { throw CryptoError.invalidLength("Argon2 salt or output") }
        let out = SecretBytes(count: count)
        let result = password.withUnsafeBytes { p in
            salt.withUnsafeBytes { s in
                out.withUnsafeMutableBytes { o in
                    var context = argon2_context()
                    context.out = o.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    context.outlen = UInt32(count)
                    // The library takes a mutable pointer but only reads the password (no
                    // ARGON2_FLAG_CLEAR_PASSWORD), so the caller's secret memory stays as it was.
                    context.pwd = UnsafeMutablePointer(mutating: p.baseAddress?.assumingMemoryBound(to: UInt8.self))
                    context.pwdlen = UInt32(p.count)
                    context.salt = UnsafeMutablePointer(mutating: s.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    context.saltlen = UInt32(s.count)
                    context.t_cost = UInt32(iterations)
                    context.m_cost = UInt32(memoryKiB)
                    context.lanes = UInt32(parallelism)
                    context.threads = UInt32(min(parallelism, 4))
                    context.version = UInt32(version)
                    context.flags = 0  // ARGON2_DEFAULT_FLAGS: the password is neither cleared nor kept
                    return argon2_ctx(&context, variant == .d ? Argon2_d : Argon2_id)
                }
            }
        }
        guard result == Int32(ARGON2_OK.rawValue) else {
            out.wipe()
            throw CryptoError.failure("argon2 (\(String(cString: argon2_error_message(result))))")
        }
        return out
    }
}
