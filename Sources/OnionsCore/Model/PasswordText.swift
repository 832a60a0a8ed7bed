import OnionsCrypto

/// Passwords as the key derivation sees them: Unicode NFC, UTF-8.
///
/// A password must be non-empty, valid UTF-8: bytes that do not decode are refused rather
/// than replaced, so two different byte strings never derive the same key.
public enum PasswordText {
    /// Refuses an empty password (`VaultError.emptyPassword`) or one that is not valid UTF-8
    /// (`VaultError.passwordNotUTF8`). Reads the bytes in place; makes no String.
    public static func check(_ raw: SecretBytes) throws {
        guard raw.count > 0 else { throw VaultError.emptyPassword }
        let valid = raw.withUnsafeBytes { bytes -> Bool in
            var iterator = bytes.makeIterator()
            var decoder = UTF8()
            while true {
                switch decoder.decode(&iterator) {
                case .scalarValue: continue
                case .emptyInput: return true
                case .error: return false
                }
            }
        }
        guard valid else { throw VaultError.passwordNotUTF8 }
    }

    /// A normalised copy of a UTF-8 password; throws as `check` does. ASCII passes through
    /// without any String; other text is decoded into a transient String (freed heap is
    /// scrubbed, see ProcessHardening) whose NFC form the standard library streams straight
    /// into secret memory.
    public static func normalized(_ raw: SecretBytes) throws -> SecretBytes {
        try check(raw)
        let ascii = raw.withUnsafeBytes { $0.allSatisfy { $0 < 0x80 } }
        if ascii { return raw.copy() }
        // NFC makes UTF-8 at most three times longer (Unicode's stated bound).
        let out = SecretBytes(count: 0, capacity: max(raw.count * 3, 1))
        let text = raw.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        text._withNFCCodeUnits { byte in _ = out.append(byte: byte) }
        return out
    }
}
