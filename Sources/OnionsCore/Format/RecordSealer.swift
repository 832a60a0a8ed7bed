import OnionsCrypto

/// The size classes of sealed records. Every record of a class has the same sealed length.
public enum SizeClass: UInt8, Sendable, CaseIterable {
    /// Titles, tasks, counters: 1,280 bytes of padded payload.
    case small = 1
    /// Infos, cards, drafts: 8,448 bytes of padded payload.
    case large = 2
    /// The manifest's root and parts: padded in coarse steps that follow their content, 4, 8
    /// or 16 KiB, then multiples of 16 KiB (a part grows with the number of records, which a
    /// store knows anyway). Readers take any padding (parts written before were padded to
    /// multiples of 16 KiB).
    case manifest = 3

    /// Padded payload size for a payload of `length` bytes, or nil when it does not fit.
    func paddedSize(for length: Int) -> Int? {
        let framed = length + 4
        switch self {
        case .small: return framed <= 1_280 ? 1_280 : nil
        case .large: return framed <= 8_448 ? 8_448 : nil
        case .manifest:
            let unit = 16_384
            guard framed > unit else {
                var step = 4_096
                while step < framed { step *= 2 }
                return step
            }
            return (framed + unit - 1) / unit * unit
        }
    }

    /// The sealed length of a record of this class with a padded payload of `padded` bytes.
    static func sealedLength(padded: Int) -> Int { 2 + 12 + padded + 16 }

    /// The sealed length of every small record (1,310 bytes).
    static var smallSealedLength: Int { sealedLength(padded: SizeClass.small.paddedSize(for: 0)!) }
}

/// Seals and opens records: AES-256-GCM, padded to the size class, bound to their place.
///
/// Blob layout: `format(1)=1 | class(1) | nonce(12) | ciphertext | tag(16)`; the plaintext is
/// `length(u32) | payload | zero padding`. The associated data binds vault id, record name,
/// version and class, so a blob moved to another name or version does not open.
struct RecordSealer {
    static let format: UInt8 = 1
    let vault: VaultID
    let keys: DataKeys

    static func aad(vault: VaultID, name: RecordName, version: UInt64, sizeClass: SizeClass) -> [UInt8] {
        Array("onions/v1/record".utf8) + [0] + Array(vault.value.utf8) + [0]
            + name.bytes + bigEndian(version) + [sizeClass.rawValue]
    }

    /// Who wrote the records this sealer seals (`VersionStamp`), or nil: none is written.
    var stamp: VersionStamp?
    /// Where the conflict copy this sealer seals came from (`ConflictOrigin`), written before
    /// the stamp; nil: none.
    var origin: ConflictOrigin?

    init(vault: VaultID, keys: DataKeys, stamp: VersionStamp? = nil) {
        self.vault = vault
        self.keys = keys
        self.stamp = stamp
    }

    /// This sealer with `stamp` written into what it seals.
    func stamping(_ stamp: VersionStamp?) -> RecordSealer { RecordSealer(vault: vault, keys: keys, stamp: stamp) }

    /// This sealer with `origin` written into what it seals (when it stamps, and there is room).
    func marking(_ origin: ConflictOrigin?) -> RecordSealer {
        var marked = self
        marked.origin = origin
        return marked
    }

    /// `paddedAtLeast`: a payload length to pad as if the payload were that long when it is
    /// shorter (the manifest's root, whose journal varies: `Manifest.rootFloor`).
    func seal(_ payload: SecretBytes, name: RecordName, version: UInt64, sizeClass: SizeClass,
              paddedAtLeast: Int = 0) throws -> [UInt8] {
        guard let padded = sizeClass.paddedSize(for: max(payload.count, paddedAtLeast)) else { throw VaultError.internalLimit }
        let plain = SecretBytes(count: 0, capacity: padded)
        defer { plain.wipe() }
        plain.append(byte: UInt8((payload.count >> 24) & 0xff))
        plain.append(byte: UInt8((payload.count >> 16) & 0xff))
        plain.append(byte: UInt8((payload.count >> 8) & 0xff))
        plain.append(byte: UInt8(payload.count & 0xff))
        plain.append(payload)
        let stamped = sizeClass != .manifest && stamp != nil && plain.count + VersionStamp.size <= padded
        let marked = stamped && origin != nil && plain.count + VersionStamp.size + ConflictOrigin.size <= padded
        let trailer = (stamped ? VersionStamp.size : 0) + (marked ? ConflictOrigin.size : 0)
        while plain.count < padded - trailer { plain.append(byte: 0) }
        if marked, let origin { origin.write(to: plain) }
        if stamped, let stamp { stamp.write(to: plain) }
        let sealed = try AES.GCM.seal(plain, using: keys.recordKey,
                                      authenticating: Self.aad(vault: vault, name: name, version: version,
                                                               sizeClass: sizeClass))
        return [Self.format, sizeClass.rawValue] + sealed
    }

    /// The largest padded payload of the fixed-size classes (a scratch buffer for `open(_:into:)`).
    static let scratchCapacity = 8_448 + 16

    /// Opens a record of a fixed-size class into `scratch` (reused across many records, so
    /// that opening ten thousand titles maps secret memory once) and returns a reader over the
    /// payload. Throws `VaultError.malformed` like `open(_:)`.
    func open(_ record: StoredRecord, into scratch: SecretBytes) throws -> PayloadReader {
        try record.blob.withUnsafeBytes { try open(name: record.name, version: record.version, blob: $0, into: scratch) }
    }

    /// `open(_:into:)` for a blob the caller holds as raw bytes (a store's row, read in place).
    func open(name: RecordName, version: UInt64, blob: UnsafeRawBufferPointer,
              into scratch: SecretBytes) throws -> PayloadReader {
        guard blob.count >= 2 + 12 + 16 + 4, blob[0] == Self.format,
              let sizeClass = SizeClass(rawValue: blob[1]) else { throw VaultError.malformed }
        do {
            try AES.GCM.open(UnsafeRawBufferPointer(rebasing: blob[2...]), using: keys.recordKey,
                             authenticating: Self.aad(vault: vault, name: name, version: version, sizeClass: sizeClass),
                             into: scratch)
        } catch {
            throw VaultError.malformed
        }
        var reader = PayloadReader(scratch)
        let length = Int(try reader.u32())
        guard length <= reader.remaining else { throw VaultError.malformed }
        scratch.truncate(to: 4 + length)
        return reader
    }

    /// Opens a stored record into its payload. Throws `VaultError.malformed` for anything that
    /// does not authenticate or parse (the caller names the record).
    func open(_ record: StoredRecord) throws -> SecretBytes {
        try openStamped(record).payload
    }

    /// Opens a stored record into its payload and its stamp (nil when it has none).
    func openStamped(_ record: StoredRecord) throws -> (payload: SecretBytes, stamp: VersionStamp?) {
        let (payload, stamp, _) = try openMarked(record)
        return (payload, stamp)
    }

    /// Opens a stored record into its payload, its stamp and its conflict origin (each nil
    /// when it has none).
    func openMarked(_ record: StoredRecord) throws -> (payload: SecretBytes, stamp: VersionStamp?, origin: ConflictOrigin?) {
        let blob = record.blob
        guard blob.count >= 2 + 12 + 16 + 4, blob[0] == Self.format,
              let sizeClass = SizeClass(rawValue: blob[1]) else { throw VaultError.malformed }
        let plain: SecretBytes
        do {
            plain = try AES.GCM.open(Array(blob[2...]), using: keys.recordKey,
                                     authenticating: Self.aad(vault: vault, name: record.name,
                                                              version: record.version, sizeClass: sizeClass))
        } catch {
            throw VaultError.malformed
        }
        defer { plain.wipe() }
        var reader = PayloadReader(plain)
        let length = Int(try reader.u32())
        guard length <= reader.remaining else { throw VaultError.malformed }
        return plain.withUnsafeBytes {
            (SecretBytes(copying: UnsafeRawBufferPointer(rebasing: $0[4..<(4 + length)])),
             VersionStamp.read($0, payloadEnd: 4 + length), ConflictOrigin.read($0, payloadEnd: 4 + length))
        }
    }
}

/// Who wrote a record, sealed in the last bytes of its padding (FORMAT.md "Versions and
/// trash"): `1 | machine(16) | count(u64) | time(u64)`, the machine's id in this vault, the
/// count of the commit the save wrote and the machine's clock. Older records have zero padding
/// there, which reads as no stamp; readers of older versions ignore the padding.
struct VersionStamp: Equatable, Sendable {
    static let size = 1 + 16 + 8 + 8
    var machine: [UInt8]
    var count: UInt64
    var time: UInt64

    func write(to plain: SecretBytes) {
        plain.append(byte: 1)
        for byte in machine.prefix(16) { plain.append(byte: byte) }
        for _ in machine.count..<16 { plain.append(byte: 0) }
        for value in [count, time] {
            for shift in stride(from: 56, through: 0, by: -8) { plain.append(byte: UInt8((value >> UInt64(shift)) & 0xff)) }
        }
    }

    /// The stamp at the end of an opened plaintext (`length | payload | padding`), or nil.
    static func read(_ plain: UnsafeRawBufferPointer, payloadEnd: Int) -> VersionStamp? {
        guard plain.count - size >= payloadEnd, plain[plain.count - size] == 1 else { return nil }
        let start = plain.count - size + 1
        func u64(_ at: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(plain[at + $1]) } }
        return VersionStamp(machine: Array(plain[start..<(start + 16)]), count: u64(start + 16), time: u64(start + 24))
    }
}
