/// What a manifest binds a record's content with: the GCM tag of its sealed blob (its last 16 bytes).
///
/// The tag authenticates nonce, ciphertext and place, so another blob at the same name and
/// version (a replay after a hidden delete, a swap) has another digest.
struct RecordDigest: Hashable, Sendable {
    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "a record digest is 16 bytes")
        self.bytes = bytes
    }

    /// The digest of a sealed blob; nil for a tombstone or a blob too short to hold a tag.
    init?(blob: [UInt8]) {
        guard blob.count >= 2 + 12 + 16 else { return nil }
        bytes = Array(blob.suffix(16))
    }
}
