import OnionsCrypto

extension Scenario {
    /// `legacy-login-1000`: what the original Onions app did to show its list: decrypt the
    /// title of each of 1,000 onions, each title its own RNCryptor v3 password-form message
    /// (two PBKDF2-HMAC-SHA1 derivations of 10,000 iterations each), stored as base64 in
    /// 64-character lines. Measured: base64 decoding and decrypting all 1,000 titles.
    ///
    /// Only titles are built: the app's info messages were opened one at a time on demand, so
    /// they take no part in showing the list.
    static var legacyLogIn1000: Scenario {
        Scenario(name: "legacy-login-1000", runs: 3, quickRuns: 1) { _ in
            let password = Array(VaultFixture.passwordText.utf8)
            var text = SampleText(seed: 1_000)
            var stored: [String] = []
            for i in 0..<1_000 {
                let title = text.title(i)
                let message = try title.withUnsafeBytes { plain in
                    try password.withUnsafeBytes { try RNCryptor.encrypt(plain, password: $0) }
                }
                stored.append(Base64.encode(message, lineLength: 64))
            }
            return Trial(run: {
                var opened = 0
                let ms = try Clock.time {
                    for field in stored {
                        guard let message = Base64.decode(field) else { throw BenchFailure("legacy title not base64") }
                        let title = try password.withUnsafeBytes { try RNCryptor.decrypt(message, password: $0) }
                        opened += title.count > 0 ? 1 : 0
                        title.wipe()
                    }
                }
                guard opened == stored.count else { throw BenchFailure("legacy-login-1000: a title did not open") }
                return ms
            })
        }
    }
}
