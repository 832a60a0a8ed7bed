import Foundation
import OnionsCrypto

/// Passwords as the key derivation sees them: Unicode NFC, UTF-8.
public enum PasswordText {
    /// A normalised copy of a UTF-8 password. ASCII passes through without any String; other
    /// text goes through a transient String for NFC (freed heap is scrubbed, see ProcessHardening).
    public static func normalized(_ raw: SecretBytes) -> SecretBytes {
        let ascii = raw.withUnsafeBytes { $0.allSatisfy { $0 < 0x80 } }
        if ascii { return raw.copy() }
        let nfc = raw.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }.precomposedStringWithCanonicalMapping
        var utf8 = Array(nfc.utf8)
        defer { for i in utf8.indices { utf8[i] = 0 } }
        return utf8.withUnsafeBytes { SecretBytes(copying: $0) }
    }
}
