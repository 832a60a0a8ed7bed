import OnionsCrypto

/// The outer layers of a KeePass KDBX 4 file, down to the inner XML (see `KDBXReader`).
///
/// Layout: signatures and version; header fields (id, 4-byte length, data) up to id 0; the
/// header's SHA-256 and its HMAC-SHA256; then HMAC'd blocks (MAC, 4-byte length, data; an
/// empty block ends them) of the payload, encrypted with AES-256-CBC or ChaCha20 and usually
/// gzip-compressed. The payload starts with the inner header (the protected-value stream's
/// cipher and key), then the XML. Keys: the composite key is SHA-256 over SHA-256(password)
/// and the key file's 32 bytes; the KDF (Argon2d, Argon2id or AES-KDF) transforms it; the
/// cipher key is SHA-256(master seed ‖ transformed); the HMAC base key SHA-512(master seed ‖
/// transformed ‖ 1), and each block's (index `i`, the header's `2^64-1`) SHA-512(i ‖ base).
struct KDBXFile {
    /// The inner XML and the protected-value key stream, both owned here.
    let xml: SecretBytes
    let stream: any KeyStream

    static let aesUUID: [UInt8] = [0x31, 0xc1, 0xf2, 0xe6, 0xbf, 0x71, 0x43, 0x50, 0xbe, 0x58, 0x05, 0x21, 0x6a, 0xfc, 0x5a, 0xff]
    static let chachaUUID: [UInt8] = [0xd6, 0x03, 0x8a, 0x2b, 0x8b, 0x6f, 0x4c, 0xb5, 0xa5, 0x24, 0x33, 0x9a, 0x31, 0xdb, 0xb5, 0x9a]
    static let argon2dUUID: [UInt8] = [0xef, 0x63, 0x6d, 0xdf, 0x8c, 0x29, 0x44, 0x4b, 0x91, 0xf7, 0xa9, 0xa4, 0x03, 0xe3, 0x0a, 0x0c]
    static let argon2idUUID: [UInt8] = [0x9e, 0x29, 0x8b, 0x19, 0x56, 0xdb, 0x47, 0x73, 0xb2, 0x3d, 0xfc, 0x3e, 0xc6, 0xf0, 0xa1, 0xe6]
    static let aesKDFUUID: [UInt8] = [0xc9, 0xd9, 0xf3, 0x9a, 0x62, 0x8a, 0x44, 0x60, 0xbf, 0x74, 0x0d, 0x08, 0xc1, 0x8a, 0x4f, 0xea]

    /// Opens `file`; a header HMAC that does not match is a wrong password or key file.
    init(_ file: [UInt8], compositeKey: SecretBytes) throws(ImportError) {
        var reader = KDBXByteReader(file)
        guard reader.u32() == 0x9AA2_D903, reader.u32() == 0xB54B_FB67, let version = reader.u32() else {
            throw .damaged("not a KeePass file")
        }
        if version >> 16 == 3 {
            (xml, stream) = try Self.openVersion3(file, compositeKey: compositeKey)
            return
        }
        guard version >> 16 == 4 else { throw .unsupported("KDBX version \(version >> 16)") }
        var fields: [UInt8: [UInt8]] = [:]
        while true {
            guard let id = reader.u8(), let size = reader.u32(), let data = reader.bytes(Int(size)) else {
                throw .damaged("the header is cut short")
            }
            if id == 0 { break }
            fields[id] = data
        }
        let headerEnd = reader.offset
        guard let hash = reader.bytes(32), let headerMAC = reader.bytes(32) else { throw .damaged("the header is cut short") }
        guard ConstantTime.equals(SHA256.hash(Array(file[0..<headerEnd])), hash) else { throw .damaged("the header hash") }
        guard let cipher = fields[2], let seed = fields[4], seed.count == 32, let iv = fields[7], let kdf = fields[11] else {
            throw .damaged("a header field is missing")
        }
        let transformed = try Self.transform(compositeKey, parameters: kdf)
        defer { transformed.wipe() }
        let macBase = seed.withUnsafeBytes { s in
            transformed.withUnsafeBytes { t in withUnsafeBytes(of: UInt8(1)) { Digest.secret(.sha512, [s, t, $0]) } }
        }
        defer { macBase.wipe() }
        let headerKey = Self.blockKey(UInt64.max, macBase)
        defer { headerKey.wipe() }
        let mac = file.withUnsafeBytes { HMAC.code(.sha256, key: headerKey, message: UnsafeRawBufferPointer(rebasing: $0[0..<headerEnd])) }
        guard ConstantTime.equals(mac, headerMAC) else { throw .wrongPassword }

        var payload: [UInt8] = []
        var index: UInt64 = 0
        while true {
            guard let blockMAC = reader.bytes(32), let size = reader.u32(), size < 1 << 30,
                  let data = reader.bytes(Int(size)) else { throw .damaged("block \(index) is cut short") }
            let key = Self.blockKey(index, macBase)
            defer { key.wipe() }
            var message = withUnsafeBytes(of: index.littleEndian) { Array($0) } + withUnsafeBytes(of: size.littleEndian) { Array($0) }
            message += data
            guard ConstantTime.equals(HMAC.code(.sha256, key: key, message: message.withUnsafeBytes { $0 }), blockMAC) else {
                throw .damaged("block \(index) does not match its MAC")
            }
            if size == 0 { break }
            payload += data
            index += 1
        }
        let cipherKey = seed.withUnsafeBytes { s in transformed.withUnsafeBytes { Digest.secret(.sha256, [s, $0]) } }
        defer { cipherKey.wipe() }
        let plain = try Self.decrypt(payload, cipher: cipher, key: cipherKey, iv: iv)
        defer { plain.wipe() }
        let inner: SecretBytes
        if fields[3] == [1, 0, 0, 0] {
            inner = try Self.gunzip(plain)
        } else {
            inner = plain.copy()
        }
        defer { inner.wipe() }
        (xml, stream) = try Self.innerHeader(inner)
    }

    private static func blockKey(_ index: UInt64, _ base: SecretBytes) -> SecretBytes {
        withUnsafeBytes(of: index.littleEndian) { i in base.withUnsafeBytes { Digest.secret(.sha512, [i, $0]) } }
    }

    /// The KDF named by the header's variant dictionary applied to the composite key.
    private static func transform(_ key: SecretBytes, parameters: [UInt8]) throws(ImportError) -> SecretBytes {
        let p = try variantDictionary(parameters)
        func u64(_ name: String) -> UInt64? {
            guard let v = p[name], v.count == 8 || v.count == 4 else { return nil }
            return v.reversed().reduce(0) { $0 << 8 | UInt64($1) }
        }
        do {
            switch p["$UUID"] {
            case argon2dUUID?, argon2idUUID?:
                guard let salt = p["S"], let lanes = u64("P"), let memory = u64("M"), let rounds = u64("I"),
                      let version = u64("V"), memory <= UInt64(Argon2.maximumMemoryKiB) * 1024, rounds <= 1 << 32 else {
                    throw ImportError.damaged("the Argon2 parameters")
                }
                guard p["K"] == nil, p["A"] == nil else { throw ImportError.unsupported("Argon2 with a secret or associated data") }
                return try Argon2.derive(password: key, salt: salt, variant: p["$UUID"] == argon2dUUID ? .d : .id,
                                         iterations: Int(rounds), memoryKiB: Int(memory / 1024), parallelism: Int(lanes),
                                         version: Int(version), count: 32)
            case aesKDFUUID?:
                guard let seed = p["S"], seed.count == 32, let rounds = u64("R"), rounds <= 1 << 40 else {
                    throw ImportError.damaged("the AES-KDF parameters")
                }
                let transformed = try AES.ECB.transform(key, seed: seed, rounds: rounds)
                defer { transformed.wipe() }
                return Digest.secret(.sha256, transformed)
            default:
                throw ImportError.unsupported("a key derivation other than Argon2 and AES-KDF")
            }
        } catch let error as ImportError {
            throw error
        } catch {
            throw .damaged("the KDF parameters (\(error))")
        }
    }

    /// KeePass's variant dictionary: version 1.x, then (type, name, value) items up to type 0.
    private static func variantDictionary(_ bytes: [UInt8]) throws(ImportError) -> [String: [UInt8]] {
        var reader = KDBXByteReader(bytes)
        guard let version = reader.u16(), version >> 8 == 1 else { throw .damaged("the KDF parameters' version") }
        var items: [String: [UInt8]] = [:]
        while true {
            guard let type = reader.u8() else { throw .damaged("the KDF parameters are cut short") }
            if type == 0 { return items }
            guard let nameSize = reader.u32(), let name = reader.bytes(Int(nameSize)), let size = reader.u32(),
                  let value = reader.bytes(Int(size)) else { throw .damaged("the KDF parameters are cut short") }
            items[String(decoding: name, as: UTF8.self)] = value
        }
    }

    static func decrypt(_ payload: [UInt8], cipher: [UInt8], key: SecretBytes, iv: [UInt8]) throws(ImportError) -> SecretBytes {
        do {
            if cipher == aesUUID { return try AES.CBC.decrypt(payload, key: key, iv: iv) }
            if cipher == chachaUUID {
                let out = SecretBytes(copying: payload)
                try ChaCha20(key: key, nonce: iv).apply(out)
                return out
            }
        } catch {
            throw .damaged("the payload does not decrypt")
        }
        throw .unsupported("a cipher other than AES-256 and ChaCha20")
    }

    /// Inflates a gzip payload into secret memory (up to 256 MiB), a chunk at a time.
    static func gunzip(_ data: SecretBytes) throws(ImportError) -> SecretBytes {
        do throws(GzipInflate.Failure) {
            return try GzipInflate.inflate(data, limit: 256 << 20)
        } catch .cannotStart {
            throw .damaged("zlib cannot start")
        } catch {
            throw .damaged("the compressed payload")
        }
    }

    /// The inner header's stream key (ChaCha20 only) and the XML after it.
    private static func innerHeader(_ inner: SecretBytes) throws(ImportError) -> (SecretBytes, any KeyStream) {
        try inner.withUnsafeBytes { raw in
            Result { () throws(ImportError) -> (SecretBytes, any KeyStream) in
                var offset = 0
                var streamID: [UInt8]?
                var streamKey: SecretBytes?
                defer { streamKey?.wipe() }
                while true {
                    guard offset + 5 <= raw.count else { throw .damaged("the inner header is cut short") }
                    let id = raw[offset]
                    let size = Int(raw[offset + 1]) | Int(raw[offset + 2]) << 8 | Int(raw[offset + 3]) << 16 | Int(raw[offset + 4]) << 24
                    offset += 5
                    guard size >= 0, offset + size <= raw.count else { throw .damaged("the inner header is cut short") }
                    let value = UnsafeRawBufferPointer(rebasing: raw[offset..<offset + size])
                    offset += size
                    if id == 0 { break }
                    if id == 1 { streamID = Array(value) }
                    if id == 2 { streamKey?.wipe(); streamKey = SecretBytes(copying: value) }
                }
                guard streamID == [3, 0, 0, 0] else { throw .unsupported("a protected-value stream other than ChaCha20") }
                guard let key = streamKey else { throw .damaged("the inner header has no stream key") }
                do {
                    let stream = try chachaStream(key)
                    return (SecretBytes(copying: UnsafeRawBufferPointer(rebasing: raw[offset...])), stream)
                } catch {
                    throw .damaged("the stream key")
                }
            }
        }.get()
    }
}

extension KDBXFile {
    /// The ChaCha20 protected-value stream: key and nonce are the first 32 and next 12 bytes
    /// of SHA-512 of the inner header's stream key.
    static func chachaStream(_ key: SecretBytes) throws -> ChaCha20 {
        let hash = Digest.secret(.sha512, key)
        defer { hash.wipe() }
        let streamCipherKey = hash.copy(prefix: 32)
        defer { streamCipherKey.wipe() }
        return try ChaCha20(key: streamCipherKey, nonce: hash.withUnsafeBytes { Array($0[32..<44]) })
    }
}

/// Little-endian reads from a byte array that say nil past its end.
struct KDBXByteReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func bytes(_ n: Int) -> [UInt8]? {
        guard n >= 0, n <= bytes.count - offset else { return nil }
        defer { offset += n }
        return Array(bytes[offset..<offset + n])
    }

    mutating func u8() -> UInt8? { bytes(1)?[0] }
    mutating func u16() -> UInt16? { bytes(2).map { UInt16($0[0]) | UInt16($0[1]) << 8 } }
    mutating func u32() -> UInt32? { bytes(4).map { $0.reversed().reduce(0) { $0 << 8 | UInt32($1) } } }
}
