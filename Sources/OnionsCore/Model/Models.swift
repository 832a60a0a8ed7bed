import Glibc
import OnionsCrypto

/// A random 128-bit identity of an onion or a card.
public struct ItemID: Hashable, Sendable, CustomStringConvertible {
    /// The 16 bytes as two big-endian halves: a plain value, so that the tens of thousands of
    /// keys a log in parses, hashes and compares are copied without a heap buffer to count.
    private let high: UInt64
    private let low: UInt64

    /// `bytes` must be 16 bytes long (every id is read or made as 16).
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "an item id is 16 bytes")
        high = bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        low = bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
    }

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public static func random() -> ItemID { ItemID(bytes: SecureRandom.bytes(16)) }

    /// The two words, high first (their order is the order of the bytes).
    var words: (high: UInt64, low: UInt64) { (high, low) }

    /// Both words in one number (for `LogicalKey`'s hash): the high word spread by an odd
    /// multiplier, then the low one mixed in.
    var folded: UInt64 { (high &* 0x9e37_79b9_7f4a_7c15) ^ low }

    public var bytes: [UInt8] { (0..<16).map(byte) }

    /// Byte `index` (0 ..< 16) of the id.
    func byte(_ index: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: (index < 8 ? high : low) >> UInt64(56 - 8 * (index % 8)))
    }

    public var description: String { String(lowercaseHex: bytes) }
}

/// An onion as the list knows it: its title (in the session's secret table) and times.
/// The info is opened on demand (`Session.info(of:)`).
public struct OnionSummary: Sendable, Equatable {
    public let id: ItemID
    /// Handle of the title in `Session.texts`.
    public let title: Int
    /// Milliseconds since 1970.
    public let created: UInt64
    public let modified: UInt64
    /// Handle of the folder path in `Session.texts`, nil when the onion sits at the top.
    public var folder: Int? = nil
}

/// A card as the grid knows it: whom it is for. The description stays sealed under the card's
/// own password until `Session.openCard` is given that password.
public struct CardSummary: Sendable, Equatable {
    public let id: ItemID
    /// Handle of the recipient in `Session.texts`.
    public let recipient: Int
    public let created: UInt64
    public let modified: UInt64
}

/// A task of the checklist. Ids follow the Todo seed: the lowest free id, reused after delete.
public struct TaskSummary: Sendable, Equatable {
    public let id: UInt16
    /// Handle of the description in `Session.texts`.
    public let text: Int
    public let done: Bool
}

/// An unsaved draft (the onion editor's or the card form's), sealed into the store on lock,
/// hang-up or termination.
public final class Draft: @unchecked Sendable {
    /// What the draft is of.
    public enum Kind: Sendable, Equatable {
        /// An onion: `title` and `info`.
        case onion
        /// A card: `title` holds the recipient, `info` the description (never its password).
        case card
    }

    public let kind: Kind
    /// The onion or card being edited, or nil for a new one.
    public let target: ItemID?
    public let title: SecretBytes
    public let info: SecretBytes

    public init(kind: Kind = .onion, target: ItemID?, title: SecretBytes, info: SecretBytes) {
        self.kind = kind
        self.target = target
        self.title = title
        self.info = info
    }

    public func wipe() {
        title.wipe()
        info.wipe()
    }
}

/// Milliseconds since 1970, from the wall clock.
func nowMilliseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return UInt64(ts.tv_sec) * 1000 + UInt64(ts.tv_nsec / 1_000_000)
}
