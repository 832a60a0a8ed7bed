import OnionsCrypto

/// Writes a record payload (the small binary format of FORMAT.md) straight into secret memory.
///
/// Integers are big-endian; byte strings are prefixed by their length (u16). The writer's
/// capacity is fixed: writing past it throws `VaultError.internalLimit`, never reallocates.
struct PayloadWriter {
    let buffer: SecretBytes

    init(capacity: Int) {
        buffer = SecretBytes(count: 0, capacity: capacity)
    }

    func u8(_ v: UInt8) throws {
        guard buffer.append(byte: v) else { throw VaultError.internalLimit }
    }

    func u16(_ v: UInt16) throws {
        try u8(UInt8(v >> 8))
        try u8(UInt8(v & 0xff))
    }

    func u32(_ v: UInt32) throws {
        for shift in stride(from: 24, through: 0, by: -8) { try u8(UInt8((v >> UInt32(shift)) & 0xff)) }
    }

    func u64(_ v: UInt64) throws {
        for shift in stride(from: 56, through: 0, by: -8) { try u8(UInt8((v >> UInt64(shift)) & 0xff)) }
    }

    func raw(_ bytes: [UInt8]) throws {
        guard bytes.withUnsafeBytes({ buffer.append($0) }) else { throw VaultError.internalLimit }
    }

    /// A length-prefixed (u16) byte string.
    func bytes(_ raw: UnsafeRawBufferPointer) throws {
        guard raw.count <= Int(UInt16.max) else { throw VaultError.internalLimit }
        try u16(UInt16(raw.count))
        guard buffer.append(raw) else { throw VaultError.internalLimit }
    }

    /// A length-prefixed (u16) byte string from secret memory.
    func bytes(_ secret: SecretBytes) throws {
        try secret.withUnsafeBytes { try bytes($0) }
    }

    /// A length-prefixed (u16) byte string from public bytes.
    func bytes(_ value: [UInt8]) throws {
        try value.withUnsafeBytes { try bytes($0) }
    }
}

/// Reads a record payload in place; byte strings come out as new secret owners.
///
/// Every read checks the remaining length first and throws `VaultError.malformed` on a short
/// or inconsistent payload, so no input can crash it.
struct PayloadReader {
    private let source: SecretBytes
    /// The start of `source`'s mapping, which never moves while `source` lives (the reader
    /// holds it); `source.count` still bounds every read, as it may shrink after `init`.
    private let base: UnsafeRawPointer?
    private(set) var offset: Int
    /// Where the payload ends in `source` (nil: at `source.count`), for one payload of several
    /// held in one mapping.
    private let end: Int?

    init(_ source: SecretBytes, offset: Int = 0) {
        self.source = source
        self.base = source.withUnsafeBytes { $0.baseAddress }
        self.offset = offset
        self.end = nil
    }

    /// A reader of the `count` bytes of `source` from `start`.
    init(_ source: SecretBytes, start: Int, count: Int) {
        self.source = source
        self.base = source.withUnsafeBytes { $0.baseAddress }
        self.offset = start
        self.end = start + count
    }

    /// The bytes from `start` for `count`, which the caller has checked against `remaining`.
    private func bytes(_ start: Int, _ count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: count == 0 ? nil : base.map { $0 + start }, count: count)
    }

    var remaining: Int { min(end ?? source.count, source.count) - offset }

    /// Reads the kind byte and refuses any other kind.
    mutating func expect(_ kind: RecordKind) throws {
        guard try u8() == kind.rawValue else { throw VaultError.malformed }
    }

    /// Refuses leftover bytes: a payload longer than its layout is damaged, not data.
    func expectEnd() throws {
        guard remaining == 0 else { throw VaultError.malformed }
    }

    mutating func u8() throws -> UInt8 {
        guard remaining >= 1 else { throw VaultError.malformed }
        let v = bytes(offset, 1)[0]
        offset += 1
        return v
    }

    mutating func u16() throws -> UInt16 {
        try load(UInt16.self)
    }

    mutating func u32() throws -> UInt32 {
        try load(UInt32.self)
    }

    /// A big-endian number of `T`'s size, loaded in one step (a manifest part holds thousands).
    @inline(__always)
    private mutating func load<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size, let base else { throw VaultError.malformed }
        let v = T(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return v
    }

    mutating func u64() throws -> UInt64 {
        try load(UInt64.self)
    }

    /// An item id (16 bytes), read as two numbers without a buffer.
    mutating func itemID() throws -> ItemID {
        guard remaining >= 16 else { throw VaultError.malformed }
        return ItemID(high: try u64(), low: try u64())
    }

    /// `count` public bytes (ids, salts, parameters).
    mutating func raw(_ count: Int) throws -> [UInt8] {
        guard count >= 0, remaining >= count else { throw VaultError.malformed }
        let start = offset
        offset += count
        return Array(bytes(start, count))
    }

    /// A length-prefixed byte string, copied into a new secret owner.
    mutating func secret(capacity: Int? = nil) throws -> SecretBytes {
        let n = Int(try u16())
        guard remaining >= n else { throw VaultError.malformed }
        let start = offset
        offset += n
        return SecretBytes(copying: bytes(start, n), capacity: max(capacity ?? n, n))
    }

    /// Calls `body` with a length-prefixed byte string in place (no copy, no new owner).
    mutating func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let n = Int(try u16())
        guard remaining >= n else { throw VaultError.malformed }
        let start = offset
        offset += n
        return try body(bytes(start, n))
    }

    /// A length-prefixed byte string of public bytes.
    mutating func publicBytes() throws -> [UInt8] {
        let n = Int(try u16())
        return try raw(n)
    }
}
