import OnionsCrypto

extension Scenario {
    /// `kdf-default`: one scrypt derivation at the vault default cost (N = 2^17, r = 8, p = 1)
    /// of a 16-byte password, as every log in pays it.
    static var kdfDefault: Scenario {
        Scenario(name: "kdf-default", runs: 5, quickRuns: 2) { _ in
            let salt = SecureRandom.bytes(16)
            return Trial(run: {
                let password = VaultFixture.password()
                defer { password.wipe() }
                var key: SecretBytes?
                let ms = try Clock.time {
                    key = try Scrypt.derive(password: password, salt: salt, parameters: .default, count: 32)
                }
                key?.wipe()
                return ms
            })
        }
    }
}
