import OnionsCrypto

/// The names a server sees for records (FORMAT.md "Names on the server"): a record of name `n`
/// at version `v` is stored there under `E(n | v)`, 40 bytes, where `E` is a keyed permutation
/// of 40 bytes, so that no name on the server is written twice and a name tells nothing of the
/// item or of its earlier versions. It is a permutation, not a hash: every name the server
/// hands back turns into its `(n, v)` with no table kept anywhere.
///
/// `E` is a balanced Feistel network of four rounds over two halves of 20 bytes, each round
/// `R' = L xor F_i(R)` with `F_i(x)` the first 20 bytes of HMAC-SHA-256(k, i | x); four rounds
/// of a pseudorandom function make a strong pseudorandom permutation (Luby and Rackoff). The
/// key is HKDF-SHA-256 of the vault's naming key with the label `onions/v1/server-names`: it
/// follows the naming seed, which a data key rotation keeps, so names stay readable across one.
final class ServerNames: @unchecked Sendable {
    static let length = 40
    private static let half = 20
    private static let rounds = 4
    private var key: HMACKey?

    init(nameKey: SecretBytes) throws {
        let derived = try HKDF.sha256(key: nameKey, salt: [], info: Array("onions/v1/server-names".utf8), count: 32)
        defer { derived.wipe() }
        key = try HMACKey(derived)
    }

    /// Forgets the key (a lock); a name asked for after this is a programming error.
    func wipe() { key = nil }

    /// The server's name of record `name` at `version`.
    func seal(_ name: RecordName, version: UInt64) -> RecordName {
        var block = name.bytes
        precondition(block.count == 32, "only names of 32 bytes go to the server under a version")
        for shift in stride(from: 56, through: 0, by: -8) { block.append(UInt8(truncatingIfNeeded: version >> UInt64(shift))) }
        permute(&block, forward: true)
        return RecordName(block)
    }

    /// The record name and version a server's name of 40 bytes stands for; nil for another length.
    func open(_ serverName: RecordName) -> (name: RecordName, version: UInt64)? {
        var block = serverName.bytes
        guard block.count == Self.length else { return nil }
        permute(&block, forward: false)
        let version = block[32..<40].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return (RecordName(Array(block[0..<32])), version)
    }

    private func permute(_ block: inout [UInt8], forward: Bool) {
        guard let key else { preconditionFailure("a server name asked for after the keys were wiped") }
        var left = Array(block[0..<Self.half]), right = Array(block[Self.half..<Self.length])
        var input = [UInt8](repeating: 0, count: 1 + Self.half)
        var code = [UInt8](repeating: 0, count: 32)
        func round(_ i: Int, _ x: [UInt8]) {
            input[0] = UInt8(i)
            for j in 0..<Self.half { input[1 + j] = x[j] }
            input.withUnsafeBytes { message in code.withUnsafeMutableBytes { key.code(for: message, into: $0) } }
        }
        if forward {
            for i in 0..<Self.rounds {
                round(i, right)
                for j in 0..<Self.half { left[j] ^= code[j] }
                swap(&left, &right)
            }
        } else {
            for i in (0..<Self.rounds).reversed() {
                swap(&left, &right)
                round(i, right)
                for j in 0..<Self.half { left[j] ^= code[j] }
            }
        }
        block = left + right
    }
}
