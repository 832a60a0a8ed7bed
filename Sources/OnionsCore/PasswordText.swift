import OnionsCrypto

/// Passwords as the key derivation sees them: Unicode NFC, UTF-8.
public enum PasswordText {
    /// A normalised copy of a UTF-8 password. ASCII passes through without any String; other
    /// text is decoded into a transient String (freed heap is scrubbed, see ProcessHardening)
    /// whose NFC form the standard library streams straight into secret memory.
    public static func normalized(_ raw: SecretBytes) -> SecretBytes {
        let ascii = raw.withUnsafeBytes { $0.allSatisfy { $0 < 0x80 } }
        if ascii { return raw.copy() }
        // NFC makes UTF-8 at most three times longer (Unicode's stated bound).
        let out = SecretBytes(count: 0, capacity: max(raw.count * 3, 1))
        let text = raw.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        text._withNFCCodeUnits { byte in _ = out.append(byte: byte) }
        return out
    }
}
