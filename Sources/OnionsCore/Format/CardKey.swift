import OnionsCrypto

/// The key of a card's own password: scrypt with the card's salt and parameters.
enum CardKey {
    /// Throws `VaultError.cardKDFRefused` for parameters that break `Limits`, before deriving.
    static func derive(password: SecretBytes, salt: [UInt8], kdf: ScryptParameters) throws -> SecretBytes {
        if let problem = Limits.cardKDFProblem(kdf) { throw VaultError.cardKDFRefused(problem) }
        let normalized = try PasswordText.normalized(password)
        defer { normalized.wipe() }
        return try Scrypt.derive(password: normalized, salt: salt, parameters: kdf, count: 32)
    }

    static func aad(vault: VaultID, card: ItemID) -> [UInt8] {
        Array("onions/v1/card".utf8) + [0] + Array(vault.value.utf8) + [0] + card.bytes
    }
}

