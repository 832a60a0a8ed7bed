import OnionsCrypto

/// Many short secrets (titles, labels) in one secret mapping, addressed by handle.
///
/// One `SecretBytes` per title would cost a page each; the table packs them and grows by
/// moving into a mapping twice the size, wiping the old one. A replaced or removed entry is
/// zeroed in place; `compact()` reclaims the space. Handles stay valid across growth.
public final class SecretTable: @unchecked Sendable {
    private var storage: SecretBytes
    private var spans: [(offset: Int, count: Int)] = []
    private var freeHandles: [Int] = []
    private var deadBytes = 0

    public init(capacity: Int = 16_384) {
        storage = SecretBytes(count: 0, capacity: max(capacity, 64))
    }

    /// Makes room for `bytes` more bytes in `handles` more entries without moving again.
    public func reserve(bytes: Int, handles: Int) {
        reserve(bytes)
        spans.reserveCapacity(spans.count + handles)
    }

    /// Stores a copy of `bytes` and returns its handle.
    public func add(_ bytes: UnsafeRawBufferPointer) -> Int {
        reserve(bytes.count)
        let offset = storage.count
        storage.append(bytes)
        let span = (offset: offset, count: bytes.count)
        if let handle = freeHandles.popLast() {
            spans[handle] = span
            return handle
        }
        spans.append(span)
        return spans.count - 1
    }

    /// Stores a copy of a secret and returns its handle.
    public func add(_ secret: SecretBytes) -> Int {
        secret.withUnsafeBytes { add($0) }
    }

    /// Stores a copy of a secret with ASCII letters in lower case (a search index) and returns
    /// its handle.
    public func addFolded(_ secret: SecretBytes) -> Int {
        let handle = add(secret)
        let span = spans[handle]
        storage.withUnsafeMutableBytes { all in
            for i in span.offset..<(span.offset + span.count) { all[i] = TextSearch.asciiLower(all[i]) }
        }
        return handle
    }

    /// Replaces the bytes of a handle (the old bytes are zeroed).
    public func replace(_ handle: Int, with secret: SecretBytes) {
        reserve(secret.count)
        zero(handle)
        let offset = storage.count
        secret.withUnsafeBytes { _ = storage.append($0) }
        spans[handle] = (offset, secret.count)
    }

    /// Zeroes and frees a handle.
    public func remove(_ handle: Int) {
        zero(handle)
        spans[handle] = (0, 0)
        freeHandles.append(handle)
    }

    /// Calls `body` with the bytes of a handle.
    public func withBytes<R>(_ handle: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let span = spans[handle]
        return try storage.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[span.offset..<(span.offset + span.count)]))
        }
    }

    /// Calls `body` once with the whole table and a way to cut a handle's bytes out of it, for
    /// loops over thousands of handles (a search as you type).
    public func withAllBytes<R>(_ body: (SecretTableBytes) throws -> R) rethrows -> R {
        let spans = self.spans
        return try storage.withUnsafeBytes { try body(SecretTableBytes(all: $0, spans: spans)) }
    }

    /// A copy of a handle's bytes in its own secret owner.
    public func copy(_ handle: Int) -> SecretBytes {
        withBytes(handle) { SecretBytes(copying: $0) }
    }

    /// The bytes of a handle as a transient String (for display; freed heap is scrubbed, see ProcessHardening).
    public func string(_ handle: Int) -> String {
        withBytes(handle) { String(decoding: $0, as: UTF8.self) }
    }

    public func count(_ handle: Int) -> Int { spans[handle].count }

    /// Zeroes everything and forgets every handle.
    public func wipe() {
        storage.wipe()
        spans.removeAll()
        freeHandles.removeAll()
        deadBytes = 0
    }

    private func zero(_ handle: Int) {
        let span = spans[handle]
        storage.withUnsafeMutableBytes { all in
            for i in span.offset..<(span.offset + span.count) { all[i] = 0 }
        }
        deadBytes += span.count
    }

    private func reserve(_ extra: Int) {
        if storage.capacity - storage.count >= extra { return }
        let live = storage.count - deadBytes
        let newCapacity = max(storage.capacity, (live + extra) * 2)
        let moved = SecretBytes(count: 0, capacity: newCapacity)
        var newSpans = spans
        storage.withUnsafeBytes { all in
            for (i, span) in spans.enumerated() where span.count > 0 {
                newSpans[i] = (moved.count, span.count)
                moved.append(UnsafeRawBufferPointer(rebasing: all[span.offset..<(span.offset + span.count)]))
            }
        }
        storage.wipe()
        storage = moved
        spans = newSpans
        deadBytes = 0
    }
}

/// The bytes of a whole `SecretTable`, valid only inside `withAllBytes`.
public struct SecretTableBytes {
    let all: UnsafeRawBufferPointer
    let spans: [(offset: Int, count: Int)]

    /// The bytes of one handle.
    public subscript(handle: Int) -> UnsafeRawBufferPointer {
        let span = spans[handle]
        return UnsafeRawBufferPointer(rebasing: all[span.offset..<(span.offset + span.count)])
    }
}
