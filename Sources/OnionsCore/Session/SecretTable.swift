import OnionsCrypto

/// Many short secrets (titles, labels, infos) in a few secret mappings, addressed by handle.
///
/// One `SecretBytes` per title would cost a page each; the table packs entries into chunks
/// (each its own locked, undumped mapping) and adds a chunk when the last one is full, so it
/// never copies its entries to grow and its size stays within one chunk of what it holds. A
/// replaced or removed entry is zeroed in place; when more than half of what the table holds
/// is zeroed, the live entries move into fresh chunks and the old ones are wiped. Handles stay
/// valid throughout.
public final class SecretTable: @unchecked Sendable {
    private typealias Span = SecretTableSpan

    /// The largest chunk a table adds for ordinary entries (a larger entry gets a chunk of its size).
    private static let largestChunk = 256 * 1024

    private var chunks: [SecretBytes] = []
    private let firstChunk: Int
    private var spans: [Span] = []
    private var freeHandles: [Int] = []
    private var liveBytes = 0
    private var deadBytes = 0

    /// `capacity`: the size of the first chunk (later ones double, up to 256 KiB).
    public init(capacity: Int = 16_384) {
        firstChunk = max(capacity, 64)
    }

    /// Makes room for `handles` more entries (and a first chunk of at least `bytes`).
    public func reserve(bytes: Int, handles: Int) {
        if chunks.isEmpty { addChunk(fitting: min(bytes, Self.largestChunk)) }
        spans.reserveCapacity(spans.count + handles)
    }

    /// Stores a copy of `bytes` and returns its handle.
    public func add(_ bytes: UnsafeRawBufferPointer) -> Int {
        let span = place(bytes)
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
        secret.withUnsafeBytes { addFolded($0) }
    }

    /// Stores a copy of `bytes` with ASCII letters in lower case and returns its handle.
    public func addFolded(_ bytes: UnsafeRawBufferPointer) -> Int {
        let handle = add(bytes)
        let span = spans[handle]
        guard span.count > 0 else { return handle }
        chunks[Int(span.chunk)].withUnsafeMutableBytes { all in
            for i in Int(span.offset)..<Int(span.offset + span.count) { all[i] = TextSearch.asciiLower(all[i]) }
        }
        return handle
    }

    /// Replaces the bytes of a handle (the old bytes are zeroed).
    public func replace(_ handle: Int, with secret: SecretBytes) {
        zero(handle)
        spans[handle] = secret.withUnsafeBytes { place($0) }
    }

    /// Zeroes and frees a handle.
    public func remove(_ handle: Int) {
        zero(handle)
        spans[handle] = Span(chunk: 0, offset: 0, count: 0)
        freeHandles.append(handle)
    }

    /// Calls `body` with the bytes of a handle.
    public func withBytes<R>(_ handle: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let span = spans[handle]
        if span.count == 0 { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try chunks[Int(span.chunk)].withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[Int(span.offset)..<Int(span.offset + span.count)]))
        }
    }

    /// Calls `body` once with the whole table and a way to cut a handle's bytes out of it, for
    /// loops over thousands of handles (a search as you type).
    public func withAllBytes<R>(_ body: (SecretTableBytes) throws -> R) rethrows -> R {
        // A chunk's mapping never moves while the chunk lives, and `chunks` keeps every one
        // alive until `body` returns.
        try withExtendedLifetime(chunks) {
            let bases = chunks.map { chunk in chunk.withUnsafeBytes { $0.baseAddress } }
            return try body(SecretTableBytes(bases: bases, spans: spans))
        }
    }

    /// A copy of a handle's bytes in its own secret owner.
    public func copy(_ handle: Int) -> SecretBytes {
        withBytes(handle) { SecretBytes(copying: $0) }
    }

    /// The bytes of a handle as a transient String (for display; freed heap is scrubbed, see ProcessHardening).
    public func string(_ handle: Int) -> String {
        withBytes(handle) { String(decoding: $0, as: UTF8.self) }
    }

    public func count(_ handle: Int) -> Int { Int(spans[handle].count) }

    /// Zeroes everything and forgets every handle.
    public func wipe() {
        for chunk in chunks { chunk.wipe() }
        chunks.removeAll()
        spans.removeAll()
        freeHandles.removeAll()
        liveBytes = 0
        deadBytes = 0
    }

    private func zero(_ handle: Int) {
        let span = spans[handle]
        guard span.count > 0 else { return }
        chunks[Int(span.chunk)].withUnsafeMutableBytes { all in
            for i in Int(span.offset)..<Int(span.offset + span.count) { all[i] = 0 }
        }
        liveBytes -= Int(span.count)
        deadBytes += Int(span.count)
    }

    /// Copies `bytes` to the end of the last chunk (a new one when they do not fit) and returns where.
    private func place(_ bytes: UnsafeRawBufferPointer) -> Span {
        if bytes.count == 0 { return Span(chunk: 0, offset: 0, count: 0) }
        if deadBytes > liveBytes && deadBytes > Self.largestChunk { compact() }
        if chunks.last.map({ $0.capacity - $0.count < bytes.count }) ?? true { addChunk(fitting: bytes.count) }
        let index = chunks.count - 1
        let chunk = chunks[index]
        let offset = chunk.count
        chunk.append(bytes)
        liveBytes += bytes.count
        return Span(chunk: Int32(index), offset: Int32(offset), count: Int32(bytes.count))
    }

    private func addChunk(fitting count: Int) {
        let grown = chunks.last.map { min($0.capacity * 2, Self.largestChunk) } ?? firstChunk
        chunks.append(SecretBytes(count: 0, capacity: max(grown, count)))
    }

    /// Moves every live entry into fresh chunks and wipes the old ones.
    private func compact() {
        let old = chunks
        chunks = []
        liveBytes = 0
        deadBytes = 0
        for handle in spans.indices where spans[handle].count > 0 {
            let span = spans[handle]
            spans[handle] = old[Int(span.chunk)].withUnsafeBytes { all in
                place(UnsafeRawBufferPointer(rebasing: all[Int(span.offset)..<Int(span.offset + span.count)]))
            }
        }
        for chunk in old { chunk.wipe() }
    }
}

/// The bytes of a whole `SecretTable`, valid only inside `withAllBytes`.
public struct SecretTableBytes {
    let bases: [UnsafeRawPointer?]
    let spans: [SecretTableSpan]

    /// How many handles the table has given out (freed ones read as empty).
    public var handleCount: Int { spans.count }

    /// The bytes of one handle.
    public subscript(handle: Int) -> UnsafeRawBufferPointer {
        let span = spans[handle]
        guard span.count > 0, let base = bases[Int(span.chunk)] else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + Int(span.offset), count: Int(span.count))
    }
}

/// Where a `SecretTable` entry is: its chunk, offset and length (all 0 for an empty or freed one).
struct SecretTableSpan {
    var chunk: Int32
    var offset: Int32
    var count: Int32
}
