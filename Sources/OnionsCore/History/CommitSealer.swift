import OnionsCrypto

/// Seals and opens commits: AES-256-GCM, padded to one fixed size, bound to the vault.
///
/// Blob layout: `format(1)=2 | class(1)=4 | nonce(12) | ciphertext | tag(16)`; the plaintext is
/// `length(u32) | payload | zero padding` up to `padded` bytes, as for records, with
/// `AAD = "onions/v2/commit" | 0x00 | UTF-8(vaultID)`. A commit is named by the SHA-256 of its
/// blob (`CommitHash`), so it needs no place in the AAD: a blob that changes changes its name.
struct CommitSealer {
    static let format: UInt8 = 2
    static let sizeClass: UInt8 = 4
    /// Every commit's padded plaintext; its sealed blob is 2 + 12 + 2,048 + 16 = 2,078 bytes.
    static let padded = 2_048
    static let sealedLength = 2 + 12 + padded + 16

    let vault: VaultID
    let key: SecretBytes

    static func aad(vault: VaultID) -> [UInt8] {
        Array("onions/v2/commit".utf8) + [0] + Array(vault.value.utf8)
    }

    /// The sealed blob and its hash.
    func seal(_ commit: Commit) throws -> (blob: [UInt8], hash: CommitHash) {
        let payload = try commit.encoded()
        guard payload.count + 4 <= Self.padded else { throw VaultError.internalLimit }
        var plain = bigEndian(UInt32(payload.count)) + payload
        plain += [UInt8](repeating: 0, count: Self.padded - plain.count)
        let sealed = try plain.withUnsafeBytes {
            try AES.GCM.seal($0, using: key, authenticating: Self.aad(vault: vault))
        }
        let blob = [Self.format, Self.sizeClass] + sealed
        return (blob, CommitHash(sealed: blob))
    }

    /// Opens a blob into its commit; `VaultError.malformed` for anything that does not
    /// authenticate, has another length, or does not parse; `VaultError.needsNewerVersion` for a
    /// commit of a later format (its outer format byte, or the one sealed in its payload).
    func open(_ blob: [UInt8]) throws -> Commit {
        // A later layout may have another length: the format byte is read first. It is not
        // authenticated, so a server can claim it: then this version only stops writing.
        if blob.count >= 2, blob[0] > Self.format, blob[1] == Self.sizeClass {
            throw VaultError.needsNewerVersion("a commit sealed in format \(blob[0]) (this version reads \(Self.format))")
        }
        guard blob.count == Self.sealedLength, blob[0] == Self.format, blob[1] == Self.sizeClass else {
            throw VaultError.malformed
        }
        let plain: SecretBytes
        do {
            plain = try AES.GCM.open(Array(blob[2...]), using: key, authenticating: Self.aad(vault: vault))
        } catch {
            throw VaultError.malformed
        }
        defer { plain.wipe() }
        let payload: [UInt8] = try plain.withUnsafeBytes { raw in
            guard raw.count == Self.padded else { throw VaultError.malformed }
            let length = Int(raw[0]) << 24 | Int(raw[1]) << 16 | Int(raw[2]) << 8 | Int(raw[3])
            guard length <= raw.count - 4, raw[(4 + length)...].allSatisfy({ $0 == 0 }) else { throw VaultError.malformed }
            return Array(raw[4..<(4 + length)])
        }
        return try Commit(decoding: payload)
    }
}
