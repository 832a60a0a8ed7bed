import OnionsCore
import OnionsCrypto

/// A vault's PostgreSQL login, both parts derived from its auth key (FORMAT.md, "The server").
///
/// `role` is `onions_v_` and 32 hex digits of HKDF-SHA256(authKey, "onions/v2/postgres-role"):
/// every role can read the server's role names, so the name must not be computable from the
/// username; only who holds the auth key can name it. `password` is the auth key as 64
/// lower-case hex digits and a NUL, in secret memory, as libpq takes it; libpq proves it with
/// SCRAM and never sends it. Call `wipe()` when done.
struct PostgresVaultLogin {
    static let rolePrefix = "onions_v_"

    let role: String
    let password: SecretBytes

    init(authKey: SecretBytes) throws {
        let name = try HKDF.sha256(key: authKey, salt: [], info: Array("onions/v2/postgres-role".utf8), count: 16)
        defer { name.wipe() }
        role = Self.rolePrefix + name.withUnsafeBytes { Hex.encode(Array($0)) }
        let digits = Array("0123456789abcdef".utf8)
        password = SecretBytes(count: authKey.count * 2 + 1)
        authKey.withUnsafeBytes { key in
            password.withUnsafeMutableBytes { out in
                for (i, byte) in key.enumerated() {
                    out[2 * i] = digits[Int(byte >> 4)]
                    out[2 * i + 1] = digits[Int(byte & 15)]
                }
                out[out.count - 1] = 0
            }
        }
    }

    /// The SCRAM-SHA-256 verifier of `password` with a fresh random salt, for signup.
    func verifier() throws -> String {
        try password.withUnsafeBytes { try SCRAM.verifier(password: UnsafeRawBufferPointer(rebasing: $0.dropLast())) }
    }

    func wipe() { password.wipe() }
}
