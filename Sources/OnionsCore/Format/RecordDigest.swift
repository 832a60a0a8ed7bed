/// What a manifest binds a record's content with: the GCM tag of its sealed blob (its last 16 bytes).
///
/// The tag authenticates nonce, ciphertext and place, so another blob at the same name and
/// version (a replay after a hidden delete, a swap) has another digest. Held as two words in
/// place (a log in makes and compares one per record, with no heap buffer).
struct RecordDigest: Hashable, Sendable {
    private let high: UInt64, low: UInt64

    init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "a record digest is 16 bytes")
        (high, low) = bytes.withUnsafeBytes { Self.words($0) }
    }

    /// The digest whose 16 bytes are `high` then `low`, each big-endian (as a manifest part
    /// lists it, read as two numbers without a buffer).
    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The digest of a sealed blob; nil for a tombstone or a blob too short to hold a tag.
    init?(blob: [UInt8]) {
        guard let digest = blob.withUnsafeBytes({ RecordDigest(blob: $0) }) else { return nil }
        self = digest
    }

    /// The same, for a blob read in place.
    init?(blob: UnsafeRawBufferPointer) {
        guard blob.count >= 2 + 12 + 16 else { return nil }
        (high, low) = Self.words(UnsafeRawBufferPointer(rebasing: blob[(blob.count - 16)...]))
    }

    /// The 16 bytes.
    var bytes: [UInt8] {
        (0..<16).map { i in UInt8(truncatingIfNeeded: (i < 8 ? high : low) >> UInt64(56 - 8 * (i % 8))) }
    }

    private static func words(_ raw: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        var high: UInt64 = 0, low: UInt64 = 0
        for i in 0..<8 { high = high << 8 | UInt64(raw[i]) }
        for i in 8..<16 { low = low << 8 | UInt64(raw[i]) }
        return (high, low)
    }
}
