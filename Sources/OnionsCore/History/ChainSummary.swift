/// What the interface's account view shows of the vault's chain (DESIGN.md 5b): the six words
/// of this machine's head with its count and time (as `onions verify` prints them), this
/// machine's id within the vault, and the server head it last verified (its pin).
public struct ChainSummary: Sendable, Equatable {
    /// The head's six words, separated by single spaces.
    public let words: String
    public let count: UInt64
    /// The writer's clock when the head was sealed (milliseconds since 1970; shown, never proof).
    public let time: UInt64
    /// This machine's id, as reports name machines: the first 3 bytes in lower-case hex.
    public let machine: String
    /// The server head this machine last verified: its count and words; nil before a sync saw one.
    public let pinned: (count: UInt64, words: String)?

    public init(words: String, count: UInt64, time: UInt64, machine: String, pinned: (count: UInt64, words: String)?) {
        self.words = words
        self.count = count
        self.time = time
        self.machine = machine
        self.pinned = pinned
    }

    public static func == (a: ChainSummary, b: ChainSummary) -> Bool {
        a.words == b.words && a.count == b.count && a.time == b.time && a.machine == b.machine
            && a.pinned?.count == b.pinned?.count && a.pinned?.words == b.pinned?.words
    }
}

extension Session {
    /// The account view's summary of the chain; nil before the vault's first save.
    public func chainSummary() -> ChainSummary? {
        guard let head = try? fingerprint(), let chain else { return nil }
        let pinned = chain.state.pinned.map { (count: $0.count, words: Fingerprint($0.hash).description) }
        return ChainSummary(words: head.words, count: head.count, time: head.time,
                            machine: String(lowercaseHex: chain.state.machine.bytes.prefix(3)), pinned: pinned)
    }
}
