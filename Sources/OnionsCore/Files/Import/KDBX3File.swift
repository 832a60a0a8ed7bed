import OnionsCrypto

/// KeePass KDBX 3.1, as `keepassxc-cli db-create` still writes it: the layers down to the XML.
///
/// Header fields have 2-byte lengths; the key is AES-KDF (transform seed and rounds in the
/// header); the whole payload is AES-256-CBC (or ChaCha20), starts with the header's 32 stream
/// start bytes (a wrong key shows there), then SHA-256-hashed blocks (index, hash, length,
/// data; an empty one ends them), usually gzip-compressed. Protected values use Salsa20 keyed
/// by SHA-256 of the header's stream key with KeePass's fixed nonce (or ChaCha20 as in KDBX 4).
extension KDBXFile {
    static let salsaNonce: [UInt8] = [0xE8, 0x30, 0x09, 0x4B, 0x97, 0x20, 0x5D, 0x2A]

    static func openVersion3(_ file: [UInt8], compositeKey: SecretBytes) throws(ImportError) -> (SecretBytes, any KeyStream) {
        var reader = KDBXByteReader(file)
        reader.offset = 12
        var fields: [UInt8: [UInt8]] = [:]
        while true {
            guard let id = reader.u8(), let size = reader.u16(), let data = reader.bytes(Int(size)) else {
                throw .damaged("the header is cut short")
            }
            if id == 0 { break }
            fields[id] = data
        }
        guard let cipher = fields[2], let seed = fields[4], seed.count == 32, let transformSeed = fields[5],
              let roundBytes = fields[6], roundBytes.count == 8, let iv = fields[7], let streamKey = fields[8],
              let startBytes = fields[9], startBytes.count == 32, let streamID = fields[10] else {
            throw .damaged("a header field is missing")
        }
        let rounds = roundBytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard rounds <= 1 << 40 else { throw .damaged("the AES-KDF parameters") }
        let transformed: SecretBytes
        do {
            let stretched = try AES.ECB.transform(compositeKey, seed: transformSeed, rounds: rounds)
            defer { stretched.wipe() }
            transformed = Digest.secret(.sha256, stretched)
        } catch {
            throw .damaged("the AES-KDF parameters")
        }
        defer { transformed.wipe() }
        let cipherKey = seed.withUnsafeBytes { s in transformed.withUnsafeBytes { Digest.secret(.sha256, [s, $0]) } }
        defer { cipherKey.wipe() }
        let plain: SecretBytes
        do {
            plain = try decrypt(Array(file[reader.offset...]), cipher: cipher, key: cipherKey, iv: iv)
        } catch .damaged {
            // Bad padding after CBC is what a wrong key gives here (there is no header MAC).
            throw .wrongPassword
        }
        defer { plain.wipe() }
        let startsWell = plain.withUnsafeBytes { $0.count >= 32 && ConstantTime.equals(UnsafeRawBufferPointer(rebasing: $0[0..<32]), startBytes.withUnsafeBytes { $0 }) }
        guard startsWell else { throw .wrongPassword }
        var joined = try hashedBlocks(plain)
        if fields[3] == [1, 0, 0, 0] {
            let inflated = try gunzip(joined)
            joined.wipe()
            joined = inflated
        }
        do {
            let key = SecretBytes(copying: streamKey)
            defer { key.wipe() }
            switch streamID {
            case [2, 0, 0, 0]:
                let hashed = Digest.secret(.sha256, key)
                defer { hashed.wipe() }
                return (joined, try Salsa20(key: hashed, nonce: salsaNonce))
            case [3, 0, 0, 0]:
                return (joined, try chachaStream(key))
            default:
                joined.wipe()
                throw ImportError.unsupported("a protected-value stream other than Salsa20 and ChaCha20")
            }
        } catch let error as ImportError {
            throw error
        } catch {
            joined.wipe()
            throw .damaged("the stream key")
        }
    }

    /// The data of the hashed blocks after the 32 start bytes, each checked by its SHA-256.
    private static func hashedBlocks(_ plain: SecretBytes) throws(ImportError) -> SecretBytes {
        var out = SecretBytes(count: 0, capacity: max(1, plain.count))
        let ok: Bool = plain.withUnsafeBytes { raw in
            var offset = 32
            while true {
                guard offset + 40 <= raw.count else { return false }
                let size = Int(raw[offset + 36]) | Int(raw[offset + 37]) << 8 | Int(raw[offset + 38]) << 16 | Int(raw[offset + 39]) << 24
                let hash = UnsafeRawBufferPointer(rebasing: raw[(offset + 4)..<(offset + 36)])
                offset += 40
                guard size >= 0, offset + size <= raw.count else { return false }
                if size == 0 { return hash.allSatisfy { $0 == 0 } }
                let data = UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + size)])
                guard ConstantTime.equals(SHA256.hash(data), Array(hash)), SecretGrowth.append(data, to: &out, limit: 256 << 20)
                else { return false }
                offset += size
            }
        }
        guard ok else {
            out.wipe()
            throw .damaged("a hashed block")
        }
        return out
    }
}
