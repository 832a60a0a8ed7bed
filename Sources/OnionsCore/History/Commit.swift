import OnionsCrypto

/// The SHA-256 of a commit's sealed bytes: how a commit is named and how children point at it.
public struct CommitHash: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let length = 32
    public let bytes: [UInt8]

    public init?(_ bytes: [UInt8]) {
        guard bytes.count == Self.length else { return nil }
        self.bytes = bytes
    }

    /// The hash of a sealed commit.
    public init(sealed: [UInt8]) { bytes = SHA256.hash(sealed) }

    public static func < (a: CommitHash, b: CommitHash) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

    /// The first 12 hex digits, for logs and reports (the fingerprint is what people compare).
    public var description: String { Hex.encode(Array(bytes.prefix(6))) }
}

/// A machine's random id within one vault (16 bytes), sealed inside commits.
public struct MachineID: Hashable, Sendable, Comparable {
    public static let length = 16
    /// Held as an item id holds its 16 bytes (two words): a plain value, so that a key naming a
    /// draft (and with it every `LogicalKey`) is copied and hashed without a reference to count.
    private let value: ItemID

    public init?(_ bytes: [UInt8]) {
        guard bytes.count == Self.length else { return nil }
        value = ItemID(bytes: bytes)
    }

    public var bytes: [UInt8] { value.bytes }

    /// A new random id.
    public static func random() -> MachineID { MachineID(SecureRandom.bytes(length))! }

    /// The order of the bytes (big-endian words compare as their bytes do).
    public static func < (a: MachineID, b: MachineID) -> Bool {
        let (x, y) = (a.value.words, b.value.words)
        return (x.high, x.low) < (y.high, y.low)
    }
}

/// A commit as another commit refers to it: its hash and its count.
public struct CommitRef: Hashable, Sendable {
    public let hash: CommitHash
    public let count: UInt64

    public init(hash: CommitHash, count: UInt64) {
        self.hash = hash
        self.count = count
    }
}

/// One save of a vault: what it follows, who wrote it, what it knew, and the manifest it left.
///
/// A commit is sealed (`CommitSealer`) and named by the hash of its sealed bytes; the chain of
/// commits is the vault's history (FORMAT.md, "Commits"). Everything here came out of a sealed
/// commit that opened under the vault's key, so a server could not have written it; it can only
/// withhold, reorder or replay whole commits.
struct Commit: Equatable, Sendable {
    /// The layout version of the commit payload.
    static let format: UInt8 = 1
    /// At most this many parents (a save has one, a join two, the first commit none).
    static let maxParents = 2
    /// At most this many other machines' latest commits are carried (the most recent ones).
    static let maxKnown = 12
    /// At most this many record names released by one commit (larger purges are a run of commits).
    static let maxReleases = 24

    /// One more than the highest parent's count; the first commit has count 1.
    var count: UInt64
    /// The writer's clock, milliseconds since 1970: shown, never used as proof.
    var time: UInt64
    /// The machine that wrote this commit.
    var machine: MachineID
    /// SHA-256 of the vault header's public parts (parameters and wrapped key) when this was written.
    var headerHash: [UInt8]
    /// The commits this one follows, by hash; sorted, no hash twice.
    var parents: [CommitRef]
    /// The latest of this machine's commits that the server accepted as the vault's head (its
    /// compare-and-set succeeded), if any since the machine started writing.
    var accepted: CommitRef?
    /// For each other machine (sorted by id, no id twice), the latest of its commits known here.
    var known: [MachineID: CommitRef]
    /// Where the manifest of the vault as of this commit is: its root record's name and digest.
    var manifestName: RecordName
    var manifestDigest: RecordDigest
    /// Record names this commit allows to be removed (expired versions, purged items, used fillers).
    var releases: [RecordName]
    /// Reserved for shared vaults: the membership epoch (0) and a signature (empty).
    var epoch: UInt32
    var signature: [UInt8]

    init(count: UInt64, time: UInt64, machine: MachineID, headerHash: [UInt8], parents: [CommitRef],
                accepted: CommitRef?, known: [MachineID: CommitRef], manifestName: RecordName,
                manifestDigest: RecordDigest, releases: [RecordName] = [], epoch: UInt32 = 0, signature: [UInt8] = []) {
        self.count = count
        self.time = time
        self.machine = machine
        self.headerHash = headerHash
        self.parents = parents.sorted { $0.hash < $1.hash }
        self.accepted = accepted
        self.known = known
        self.manifestName = manifestName
        self.manifestDigest = manifestDigest
        self.releases = releases
        self.epoch = epoch
        self.signature = signature
    }

    /// The payload: `12 | format | count | time | machine | headerHash | parents | accepted |
    /// known | manifest | releases | epoch | signature` (FORMAT.md, "Commits").
    func encoded() throws -> [UInt8] {
        guard (1...Self.maxParents).contains(parents.count) || (parents.isEmpty && count == 1),
              known.count <= Self.maxKnown, releases.count <= Self.maxReleases,
              headerHash.count == 32, signature.count <= 512 else { throw VaultError.internalLimit }
        var out: [UInt8] = [RecordKind.commit.rawValue, Self.format]
        out += bigEndian(count) + bigEndian(time) + machine.bytes + headerHash
        out.append(UInt8(parents.count))
        for parent in parents { out += parent.hash.bytes + bigEndian(parent.count) }
        if let accepted {
            out += [1] + accepted.hash.bytes + bigEndian(accepted.count)
        } else {
            out.append(0)
        }
        out.append(UInt8(known.count))
        for (machine, ref) in known.sorted(by: { $0.key < $1.key }) {
            out += machine.bytes + ref.hash.bytes + bigEndian(ref.count)
        }
        out += manifestName.bytes + manifestDigest.bytes
        out += bigEndian16(UInt16(releases.count))
        for name in releases { out += name.bytes }
        out += bigEndian(epoch) + bigEndian16(UInt16(signature.count)) + signature
        return out
    }

    /// Reads a payload written by `encoded()`; anything else is `VaultError.malformed`.
    init(decoding payload: [UInt8]) throws {
        var r = BigEndianReader(payload)
        guard try r.u8() == RecordKind.commit.rawValue else { throw VaultError.malformed }
        let format = try r.u8()
        if format > Self.format {
            throw VaultError.needsNewerVersion("a commit of format \(format) (this version reads \(Self.format))")
        }
        guard format == Self.format else { throw VaultError.malformed }
        let count = try r.u64()
        self.count = count
        time = try r.u64()
        let machine = MachineID(try r.raw(MachineID.length))!
        self.machine = machine
        headerHash = try r.raw(32)
        let parentCount = Int(try r.u8())
        guard parentCount <= Self.maxParents else { throw VaultError.malformed }
        var parents: [CommitRef] = []
        for _ in 0..<parentCount {
            parents.append(CommitRef(hash: CommitHash(try r.raw(32))!, count: try r.u64()))
        }
        // Parents sorted and distinct, each below this count; only the first commit has none.
        guard zip(parents, parents.dropFirst()).allSatisfy({ $0.hash < $1.hash }),
              parents.allSatisfy({ $0.count < count }),
              parents.isEmpty ? count == 1 : count == parents.map(\.count).max()! + 1 else { throw VaultError.malformed }
        self.parents = parents
        switch try r.u8() {
        case 0: accepted = nil
        case 1:
            let ref = CommitRef(hash: CommitHash(try r.raw(32))!, count: try r.u64())
            guard ref.count < count else { throw VaultError.malformed }
            accepted = ref
        default: throw VaultError.malformed
        }
        let knownCount = Int(try r.u8())
        guard knownCount <= Self.maxKnown else { throw VaultError.malformed }
        var known: [MachineID: CommitRef] = [:]
        var previous: MachineID?
        for _ in 0..<knownCount {
            let id = MachineID(try r.raw(MachineID.length))!
            let ref = CommitRef(hash: CommitHash(try r.raw(32))!, count: try r.u64())
            guard previous.map({ $0 < id }) ?? true, id != machine, ref.count < count else { throw VaultError.malformed }
            previous = id
            known[id] = ref
        }
        self.known = known
        manifestName = RecordName(try r.raw(32))
        manifestDigest = RecordDigest(bytes: try r.raw(16))
        let releaseCount = Int(try r.u16())
        guard releaseCount <= Self.maxReleases else { throw VaultError.malformed }
        var releases: [RecordName] = []
        for _ in 0..<releaseCount { releases.append(RecordName(try r.raw(32))) }
        guard Set(releases.map(\.bytes)).count == releases.count else { throw VaultError.malformed }
        self.releases = releases
        epoch = try r.u32()
        let signatureLength = Int(try r.u16())
        guard signatureLength <= 512 else { throw VaultError.malformed }
        signature = try r.raw(signatureLength)
        guard r.atEnd else { throw VaultError.malformed }
    }
}

/// Reads public big-endian fields; every read checks the length first.
private struct BigEndianReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { offset == bytes.count }

    mutating func raw(_ count: Int) throws -> [UInt8] {
        guard count >= 0, bytes.count - offset >= count else { throw VaultError.malformed }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func u8() throws -> UInt8 { try raw(1)[0] }
    mutating func u16() throws -> UInt16 { UInt16(try uint(2)) }
    mutating func u32() throws -> UInt32 { UInt32(try uint(4)) }
    mutating func u64() throws -> UInt64 { try uint(8) }

    private mutating func uint(_ width: Int) throws -> UInt64 {
        try raw(width).reduce(0) { $0 << 8 | UInt64($1) }
    }
}

func bigEndian16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }
