import COpenSSL
import Glibc

/// An owner of secret bytes (keys, passwords, plaintext) in memory that can be wiped.
///
/// The bytes live in their own page-aligned mapping from `mmap`, locked into RAM where the
/// process may (`mlock`), and excluded from core dumps (`MADV_DONTDUMP`). The capacity is
/// fixed at creation, so the bytes are never copied by a reallocation; `count` may grow up to
/// it. `wipe()` zeroes the whole mapping with `OPENSSL_cleanse`; release wipes it again and
/// unmaps it. Bytes are written only below `count`, and the owner remembers the highest count
/// since its last wipe, so a wipe cleanses that many bytes: everything past them is still zero
/// (a fresh mapping is zero-filled), and a buffer reused for thousands of small records pays
/// for what they held, not for its capacity. The bytes are reachable only inside
/// `withUnsafeBytes` / `withUnsafeMutableBytes`: a caller that copies them out owns the copy and
/// its risk.
public final class SecretBytes: @unchecked Sendable {
    private let base: UnsafeMutableRawPointer
    private let mappedCount: Int
    /// How many bytes this owner can ever hold.
    public let capacity: Int
    /// How many bytes it holds now.
    public internal(set) var count: Int {
        didSet { if count > touched { touched = count } }
    }
    /// The highest `count` since the last wipe: no byte at or past it was written since.
    private var touched: Int

    /// A zero-filled owner of `count` bytes (and at least that capacity).
    public init(count: Int, capacity: Int? = nil) {
        precondition(count >= 0, "negative SecretBytes count")
        let cap = max(capacity ?? count, count)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let mapped = max(page, (cap + page - 1) / page * page)
        guard let p = mmap(nil, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              p != MAP_FAILED else {
            fatalError("SecretBytes: mmap of \(mapped) bytes failed")
        }
        _ = madvise(p, mapped, MADV_DONTDUMP)
        _ = mlock(p, mapped)  // best effort: RLIMIT_MEMLOCK may refuse it
        base = p
        mappedCount = mapped
        self.capacity = cap
        self.count = count
        touched = count
    }

    /// A new owner holding a copy of `bytes`.
    public convenience init<C: Collection>(copying bytes: C, capacity: Int? = nil) where C.Element == UInt8 {
        self.init(count: bytes.count, capacity: capacity)
        var i = 0
        for b in bytes {
            base.storeBytes(of: b, toByteOffset: i, as: UInt8.self)
            i += 1
        }
    }

    /// A new owner holding a copy of raw bytes.
    public convenience init(copying raw: UnsafeRawBufferPointer, capacity: Int? = nil) {
        self.init(count: raw.count, capacity: capacity)
        if let src = raw.baseAddress, raw.count > 0 { base.copyMemory(from: src, byteCount: raw.count) }
    }

    /// A new owner holding a copy of these bytes (or a prefix of them).
    public func copy(prefix: Int? = nil) -> SecretBytes {
        let n = min(prefix ?? count, count)
        return SecretBytes(copying: UnsafeRawBufferPointer(start: base, count: n))
    }

    deinit {
        OPENSSL_cleanse(base, touched)
        _ = munlock(base, mappedCount)
        _ = munmap(base, mappedCount)
    }

    /// Calls `body` with the held bytes. Do not let the pointer escape.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Calls `body` with the held bytes, writable. Do not let the pointer escape.
    public func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(start: base, count: count))
    }

    /// Appends bytes. Returns false (and appends nothing) when they would pass `capacity`.
    @discardableResult
    public func append(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard raw.count <= capacity - count else { return false }
        if let src = raw.baseAddress, raw.count > 0 {
            (base + count).copyMemory(from: src, byteCount: raw.count)
        }
        count += raw.count
        return true
    }

    /// Appends the bytes held by another owner. Returns false when they do not fit.
    @discardableResult
    public func append(_ other: SecretBytes) -> Bool {
        other.withUnsafeBytes { append($0) }
    }

    /// Appends one byte. Returns false when it does not fit.
    @discardableResult
    public func append(byte: UInt8) -> Bool {
        guard count < capacity else { return false }
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
        return true
    }

    /// Shortens the held bytes to `newCount`, wiping what was cut off.
    public func truncate(to newCount: Int) {
        guard newCount < count else { return }
        let keep = max(0, newCount)
        OPENSSL_cleanse(base + keep, count - keep)
        count = keep
    }

    /// Zeroes every byte of the mapping and sets `count` to 0 (the bytes past the highest
    /// count since the last wipe were never written, so they are zero already).
    public func wipe() {
        OPENSSL_cleanse(base, touched)
        count = 0
        touched = 0
    }

    /// True when every held byte equals the other owner's, in constant time for equal lengths.
    public func constantTimeEquals(_ other: SecretBytes) -> Bool {
        withUnsafeBytes { a in other.withUnsafeBytes { b in ConstantTime.equals(a, b) } }
    }

    /// Reads the whole mapping (not only `count` bytes) for tests that check a wipe.
    public func withWholeMappingForTesting<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: mappedCount))
    }
}

/// Comparison of secrets in constant time: the one place it is done.
public enum ConstantTime {
    /// True when `a` and `b` hold the same bytes. Lengths are not secret; contents are.
    public static func equals(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        if a.count == 0 { return true }
        return CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0
    }

    /// True when two byte arrays are equal (for MACs and other non-secret-length values).
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in equals(pa, pb) } }
    }
}
