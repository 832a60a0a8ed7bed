import OnionsCrypto

/// A value this machine keeps for a vault in its store's local state (the sync base, the
/// chain's state), followed by `HMAC-SHA256(nameKey, label | 0x00 | vaultID | 0x00 | body)`:
/// only this vault's keys make it, and no record name can collide with it (logical keys hold
/// no 0x00). A changed byte makes the value unreadable, never a different value.
enum LocalStateSeal {
    /// `body` followed by its MAC.
    static func seal(_ body: [UInt8], label: String, vault: VaultID, keys: DataKeys) -> [UInt8] {
        body + mac(body, label: label, vault: vault, keys: keys)
    }

    /// The body of a sealed value, nil when it is too short or its MAC does not match.
    static func open(_ bytes: [UInt8], label: String, vault: VaultID, keys: DataKeys) -> [UInt8]? {
        guard bytes.count > 32 else { return nil }
        let body = Array(bytes.dropLast(32))
        guard ConstantTime.equals(Array(bytes.suffix(32)), mac(body, label: label, vault: vault, keys: keys)) else {
            return nil
        }
        return body
    }

    private static func mac(_ body: [UInt8], label: String, vault: VaultID, keys: DataKeys) -> [UInt8] {
        HMAC.sha256(key: keys.nameKey, message: Array(label.utf8) + [0] + Array(vault.value.utf8) + [0] + body)
    }
}
