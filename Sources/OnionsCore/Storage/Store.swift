import OnionsCrypto

/// The storage protocol: the only view of a store the rest of the program has.
///
/// A store keeps, per vault id, one public header and a set of records
/// `(opaque name) -> (version, sealed blob)`. It never sees a logical key, a username,
/// a password or any plaintext: names are HMACs and blobs are AES-GCM ciphertext of fixed sizes.
///
/// Versions: 0 means "never written". Every write names the version it expects to replace and
/// the record's new version, which must be greater (one more unless the write says otherwise),
/// so two writers can never both win (compare-and-set) and a version never goes back.
/// A deleted record keeps its version as a tombstone, so a later write continues counting.
/// Every change also takes the next value of a per-store change sequence, which `changes` reads.
public protocol Store: AnyObject {
    /// The public KDF parameters of a vault (`VaultHeaderBlob.parameters`), or nil when there is
    /// no vault with that id. Needs no credentials: a client needs them to derive its keys. A
    /// server may answer for every id (made-up parameters for unknown ones, so that it tells no
    /// one which usernames have a vault); then only `authorize` or sign up can tell.
    func prelogin(vault: VaultID) throws -> [UInt8]?

    /// Presents the vault's auth key for the calls that follow. A store checks
    /// `SHA-256(authKey)` against the stored verifier and throws `StoreError.unauthorized` on a
    /// mismatch. Throws `StoreError.noVault` when absent (a server that does not tell which
    /// vaults exist throws `.unauthorized` then too).
    func authorize(vault: VaultID, authKey: SecretBytes) throws

    /// The whole header of a vault (after `authorize`), or nil when there is none.
    func header(vault: VaultID) throws -> VaultHeaderBlob?

    /// Creates a vault. Throws `StoreError.vaultExists` when the id is taken.
    func createVault(_ vault: VaultID, header: VaultHeaderBlob) throws

    /// Creates a vault with its first records (sign-up's first manifest) and presents `authKey`.
    /// A store that can makes header and records one transaction, so that an interrupted
    /// sign-up leaves no vault at all; the default creates, authorizes, then applies.
    /// Throws `StoreError.vaultExists` when the id is taken.
    func createVault(_ vault: VaultID, header: VaultHeaderBlob, authKey: SecretBytes, records: [RecordWrite]) throws

    /// Replaces a vault's header if it still equals `expected` (change password).
    func replaceHeader(_ vault: VaultID, expected: VaultHeaderBlob, with new: VaultHeaderBlob) throws

    /// Replaces a vault's header as above and presents `authKey`, the new password's, for the
    /// calls that follow. A server that logs each vault in with its key (PostgreSQL) needs it to
    /// move the vault to the new login; the default replaces, then authorizes.
    func replaceHeader(_ vault: VaultID, expected: VaultHeaderBlob, with new: VaultHeaderBlob,
                       authKey: SecretBytes) throws

    /// Replaces the header and applies `writes` (a data key rotation: every record sealed again).
    /// A store that can makes both one transaction; the default replaces, then applies.
    func replaceHeader(_ vault: VaultID, expected: VaultHeaderBlob, with new: VaultHeaderBlob,
                       applying writes: [RecordWrite]) throws

    /// Removes the header and every record of a vault, tombstones included.
    func deleteVault(_ vault: VaultID) throws

    /// One live record, or nil when it was never written or is deleted.
    func record(vault: VaultID, name: RecordName) throws -> StoredRecord?

    /// Every live record of a vault.
    func records(vault: VaultID) throws -> [StoredRecord]

    /// Applies every write or none (one transaction). Throws `StoreError.conflict` naming the
    /// first record whose current version is not the expected one, or whose new version is not
    /// greater than it. Returns the new sequence value.
    @discardableResult
    func apply(vault: VaultID, writes: [RecordWrite]) throws -> Int64

    /// Every record (tombstones included) changed after sequence value `since`.
    func changes(vault: VaultID, since: Int64) throws -> [StoredRecord]

    /// Name, version and tombstone flag of every record of a vault, without reading any blob.
    func recordVersions(vault: VaultID) throws -> [RecordVersion]

    /// The live records among `names` (in any order; absent ones are left out).
    func records(vault: VaultID, names: [RecordName]) throws -> [StoredRecord]

    /// What a log in reads of the store, in one read: `held` with the name, version and
    /// tombstone flag of every record of the vault (as `recordVersions`), and `sized` with every
    /// live record whose blob is `blobLength` bytes long (one size class: the titles), its blob
    /// read in place and valid only during the call; in any order except that a record's `sized`
    /// call comes after its `held` call.
    func scanForLogIn(vault: VaultID, blobLength: Int,
                      held: (RecordName, UInt64, Bool) throws -> Void,
                      sized: (RecordName, UInt64, UnsafeRawBufferPointer) throws -> Void) throws

    /// Applies `writes` as `apply(vault:writes:)` does and inserts `commits` (sealed commit
    /// blobs, FORMAT.md "Commits") in the same transaction: every write and commit, or none. A
    /// commit whose hash (SHA-256 of its blob) the store holds already is skipped. Commits are
    /// never updated or removed, except with the whole vault (`deleteVault`).
    @discardableResult
    func apply(vault: VaultID, writes: [RecordWrite], commits: [[UInt8]]) throws -> Int64

    /// Every commit of a vault inserted after sequence value `since`, in insertion order.
    func commits(vault: VaultID, since: Int64) throws -> [StoredCommit]

    /// The live record `name` (the vault's head record) and how many commits the store holds
    /// for the vault, read at one moment (nil: the store cannot tell). A sync reads its server's
    /// head this way: a count below the commits this machine knows the head to follow says that
    /// the server lacks some (cut or withheld), without a call of its own.
    func headRecord(vault: VaultID, name: RecordName) throws -> (record: StoredRecord?, commits: Int?)

    /// The commits among `hashes` that the store holds for the vault.
    func heldCommits(vault: VaultID, hashes: [CommitHash]) throws -> Set<CommitHash>
}

/// A sealed commit as a store keeps it: its blob and the sequence value its insert took.
public struct StoredCommit: Equatable, Sendable {
    public let blob: [UInt8]
    public let sequence: Int64
    public init(blob: [UInt8], sequence: Int64) {
        self.blob = blob
        self.sequence = sequence
    }
}

/// A record's name and version without its blob.
public struct RecordVersion: Equatable, Sendable {
    public let name: RecordName
    public let version: UInt64
    public let deleted: Bool
    public init(name: RecordName, version: UInt64, deleted: Bool) {
        self.name = name
        self.version = version
        self.deleted = deleted
    }
}

extension Store {
    /// Default: `recordVersions`, then every live record filtered by length (two reads).
    public func scanForLogIn(vault: VaultID, blobLength: Int,
                             held: (RecordName, UInt64, Bool) throws -> Void,
                             sized: (RecordName, UInt64, UnsafeRawBufferPointer) throws -> Void) throws {
        for entry in try recordVersions(vault: vault) { try held(entry.name, entry.version, entry.deleted) }
        for record in try records(vault: vault) where record.blob.count == blobLength {
            try record.blob.withUnsafeBytes { try sized(record.name, record.version, $0) }
        }
    }

    /// Default: three steps, not one transaction (a server whose sign-up creates a login role).
    public func createVault(_ vault: VaultID, header: VaultHeaderBlob, authKey: SecretBytes,
                            records: [RecordWrite]) throws {
        try createVault(vault, header: header)
        try authorize(vault: vault, authKey: authKey)
        try apply(vault: vault, writes: records)
    }

    /// Default: two steps, not one transaction.
    public func replaceHeader(_ vault: VaultID, expected: VaultHeaderBlob, with new: VaultHeaderBlob,
                              authKey: SecretBytes) throws {
        try replaceHeader(vault, expected: expected, with: new)
        try authorize(vault: vault, authKey: authKey)
    }

    /// Default: two steps, not one transaction.
    public func replaceHeader(_ vault: VaultID, expected: VaultHeaderBlob, with new: VaultHeaderBlob,
                              applying writes: [RecordWrite]) throws {
        try replaceHeader(vault, expected: expected, with: new)
        try apply(vault: vault, writes: writes)
    }

    /// Default: reads every change since the start. Backends override it with a blob-free query.
    public func recordVersions(vault: VaultID) throws -> [RecordVersion] {
        try changes(vault: vault, since: 0).map { RecordVersion(name: $0.name, version: $0.version, deleted: $0.deleted) }
    }

    /// Default for stores that keep no commits (test doubles wrapping another store): the
    /// writes alone. SQLiteStore and PostgresStore keep commits.
    @discardableResult
    public func apply(vault: VaultID, writes: [RecordWrite], commits: [[UInt8]]) throws -> Int64 {
        try apply(vault: vault, writes: writes)
    }

    /// Default for stores that keep no commits: none.
    public func commits(vault: VaultID, since: Int64) throws -> [StoredCommit] { [] }

    /// Default: the record alone; the store cannot tell how many commits it holds.
    public func headRecord(vault: VaultID, name: RecordName) throws -> (record: StoredRecord?, commits: Int?) {
        (try record(vault: vault, name: name), nil)
    }

    /// Default: every commit read, and the asked ones among them.
    public func heldCommits(vault: VaultID, hashes: [CommitHash]) throws -> Set<CommitHash> {
        let held = Set(try commits(vault: vault, since: 0).map { CommitHash(sealed: $0.blob) })
        return Set(hashes.filter(held.contains))
    }

    /// Default: one look-up per name. Backends override it with batched queries.
    public func records(vault: VaultID, names: [RecordName]) throws -> [StoredRecord] {
        try names.compactMap { try record(vault: vault, name: $0) }
    }
}

/// A vault id: the stretched username (base64 text), never the username itself.
public struct VaultID: Hashable, Sendable, CustomStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { value }
}

/// The header of a vault as stored.
public struct VaultHeaderBlob: Equatable, Sendable {
    /// Public: KDF algorithm, its parameters and salt (see FORMAT.md). Given out by `prelogin`.
    public var parameters: [UInt8]
    /// The data key sealed under the key-encryption key. Given out only after `authorize`.
    public var wrappedKey: [UInt8]
    /// SHA-256 of the auth key, for a store to check `authorize` against. Never given out.
    public var verifier: [UInt8]
    public init(parameters: [UInt8], wrappedKey: [UInt8], verifier: [UInt8]) {
        self.parameters = parameters
        self.wrappedKey = wrappedKey
        self.verifier = verifier
    }
}

/// A record's opaque name: HMAC-SHA256(nameKey, logicalKey), 32 bytes.
public struct RecordName: Hashable, Sendable, CustomStringConvertible {
    /// A name of 32 bytes (every name this program makes, an HMAC-SHA256) as four words held
    /// in place: a log in hashes and compares tens of thousands of names, and a name with no
    /// heap buffer is found without following a pointer or counting references. A name of
    /// another length (which only a damaged or hostile store holds) is kept in `other`.
    private let w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64
    private let other: [UInt8]?

    public init(_ bytes: [UInt8]) {
        guard bytes.count == 32 else {
            (w0, w1, w2, w3) = (0, 0, 0, 0)
            other = bytes
            return
        }
        func word(_ at: Int) -> UInt64 { bytes[at..<(at + 8)].reduce(0) { $0 << 8 | UInt64($1) } }
        (w0, w1, w2, w3) = (word(0), word(8), word(16), word(24))
        other = nil
    }

    /// A name read in place (a store's row): the same as `init(_:)` of a copy of its bytes.
    public init(raw: UnsafeRawBufferPointer) {
        guard raw.count == 32 else {
            self.init(Array(raw))
            return
        }
        func word(_ at: Int) -> UInt64 { UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        self.init(words: (word(0), word(8), word(16), word(24)))
    }

    private init(words: (UInt64, UInt64, UInt64, UInt64)) {
        (w0, w1, w2, w3) = words
        other = nil
    }

    public var bytes: [UInt8] {
        if let other { return other }
        var out = [UInt8]()
        out.reserveCapacity(32)
        for word in [w0, w1, w2, w3] {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return out
    }

    public var description: String { String(lowercaseHex: bytes) }

    /// The 32 bytes as four big-endian numbers; nil for a name of another length (which only a
    /// damaged or hostile store holds). For a name this program made, an HMAC output, the first
    /// is already evenly spread (`NameIndex`).
    var words: (UInt64, UInt64, UInt64, UInt64)? { other == nil ? (w0, w1, w2, w3) : nil }

    public static func == (a: RecordName, b: RecordName) -> Bool {
        a.w0 == b.w0 && a.w1 == b.w1 && a.w2 == b.w2 && a.w3 == b.w3 && a.other == b.other
    }

    public func hash(into hasher: inout Hasher) {
        if let other {
            other.withUnsafeBytes { hasher.combine(bytes: $0) }
        } else {
            hasher.combine(w0)
            hasher.combine(w1)
            hasher.combine(w2)
            hasher.combine(w3)
        }
    }
}

extension String {
    /// Lower-case hex digits of bytes, built in one buffer.
    init<C: Collection>(lowercaseHex bytes: C) where C.Element == UInt8 {
        let digits: StaticString = "0123456789abcdef"
        self = String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            var i = 0
            for byte in bytes {
                out[i] = digits.utf8Start[Int(byte >> 4)]
                out[i + 1] = digits.utf8Start[Int(byte & 0x0f)]
                i += 2
            }
            return i
        }
    }
}

/// A record as a store returns it. `blob` is empty for a tombstone (`deleted`).
public struct StoredRecord: Equatable, Sendable {
    public let name: RecordName
    public let version: UInt64
    public let blob: [UInt8]
    public let deleted: Bool
    public let sequence: Int64
    public init(name: RecordName, version: UInt64, blob: [UInt8], deleted: Bool, sequence: Int64) {
        self.name = name
        self.version = version
        self.blob = blob
        self.deleted = deleted
        self.sequence = sequence
    }
}

/// One write of an `apply` batch: compare-and-set on `expectedVersion`, landing at `newVersion`.
///
/// `version` nil means `expectedVersion + 1`. A larger one skips versions: a blob sealed for
/// version v (the AEAD's associated data binds it) reaches a side that holds an older version in
/// one write, with no tombstones in between. A store refuses a new version not above the expected one.
public enum RecordWrite: Equatable, Sendable {
    case put(name: RecordName, blob: [UInt8], expectedVersion: UInt64, version: UInt64? = nil)
    case delete(name: RecordName, expectedVersion: UInt64, version: UInt64? = nil)

    public var name: RecordName {
        switch self {
        case .put(let name, _, _, _), .delete(let name, _, _): return name
        }
    }

    /// The version the record must hold for the write to apply (0: never written).
    public var expectedVersion: UInt64 {
        switch self {
        case .put(_, _, let expected, _), .delete(_, let expected, _): return expected
        }
    }

    /// The version the record holds after the write; `expectedVersion` wraps to 0 at the top,
    /// which no store accepts.
    public var newVersion: UInt64 {
        switch self {
        case .put(_, _, let expected, let version), .delete(_, let expected, let version):
            return version ?? expected &+ 1
        }
    }

    /// The blob a put stores, empty for a delete.
    public var blob: [UInt8] {
        if case .put(_, let blob, _, _) = self { return blob }
        return []
    }

    /// Whether the write leaves a tombstone.
    public var isDelete: Bool {
        if case .delete = self { return true }
        return false
    }

    /// Equal when they do the same: `version` nil equals `expectedVersion + 1` spelt out.
    public static func == (a: RecordWrite, b: RecordWrite) -> Bool {
        a.name == b.name && a.isDelete == b.isDelete && a.expectedVersion == b.expectedVersion
            && a.newVersion == b.newVersion && a.blob == b.blob
    }

    /// The one write that takes a record from version `from` to `to` with `blob` (a tombstone
    /// when nil), or nil when it is there already. For a sync that catches up and a backup restored.
    public static func reaching(_ name: RecordName, from: UInt64, to: UInt64, blob: [UInt8]?) -> RecordWrite? {
        guard to > from else { return nil }
        return blob.map { .put(name: name, blob: $0, expectedVersion: from, version: to) }
            ?? .delete(name: name, expectedVersion: from, version: to)
    }
}

/// What a store can report. Messages never contain plaintext.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `createVault` on an id that exists.
    case vaultExists
    /// The vault has no header (never created, or deleted).
    case noVault
    /// A compare-and-set failed: the record's version is `current`, not the expected one.
    case conflict(name: RecordName, current: UInt64)
    /// The store cannot be reached or opened (message for the user).
    case unavailable(String)
    /// The store's own structure is damaged or of an unknown schema version.
    case damaged(String)
    /// The server refused the credentials.
    case unauthorized

    public var description: String {
        switch self {
        case .vaultExists: return "a vault for that username exists already"
        case .noVault: return "no vault for that username in this store"
        case .conflict: return "the store changed underneath this save; try again"
        case .unavailable(let why): return "the store is unavailable: \(why)"
        case .damaged(let why): return "the store is damaged: \(why)"
        case .unauthorized: return "wrong password"
        }
    }
}
