import OnionsCrypto

/// What this machine keeps about a vault's chain (DESIGN.md 5b), in its store's local state:
/// its machine id, the head it pinned on the server, its latest commit the server accepted as
/// head, the latest commit seen from each other machine, and how far it read the server's
/// commits. Kept with a MAC under the vault's name key, like the sync base.
struct ChainState: Equatable {
    static let key = "chain.state"
    private static let format: UInt8 = 1

    /// This machine's random id within the vault.
    var machine: MachineID
    /// The server head this machine last verified (nil before its first sync that saw one).
    var pinned: CommitRef?
    /// This machine's latest commit the server accepted as the vault's head.
    var accepted: CommitRef?
    /// True once `accepted` is sealed in one of this machine's commits.
    var acceptedSealed = false
    /// For each other machine, its latest commit seen here, with the time it says (for
    /// keeping the most recent `Commit.maxKnown`).
    var known: [MachineID: (ref: CommitRef, time: UInt64)] = [:]
    /// The server's commit sequence read up to.
    var cursor: Int64 = 0

    init(machine: MachineID) { self.machine = machine }

    static func == (a: ChainState, b: ChainState) -> Bool { a.encoded == b.encoded }

    /// The known commits to seal: the most recent `Commit.maxKnown`, never this machine's own.
    var knownForCommit: [MachineID: CommitRef] {
        let recent = known.filter { $0.key != machine }.sorted { $0.value.time > $1.value.time }.prefix(Commit.maxKnown)
        return Dictionary(uniqueKeysWithValues: recent.map { ($0.key, $0.value.ref) })
    }

    /// Notes a commit seen from another machine when it is later than the one known.
    mutating func saw(_ commit: Commit, hash: CommitHash) {
        guard commit.machine != machine else { return }
        if let current = known[commit.machine], current.ref.count >= commit.count { return }
        known[commit.machine] = (CommitRef(hash: hash, count: commit.count), commit.time)
    }

    /// The kept state, or a new one when none was kept or it does not authenticate (then the
    /// machine starts as a new one: nothing pinned, no false alarm). `machine` is this machine's
    /// id (`LocalState.machineID`, the one its drafts are stored under too): it replaces the one
    /// kept, should a store have been carried to another machine.
    static func load(_ store: SyncStateStore, vault: VaultID, keys: DataKeys, machine: MachineID) -> ChainState {
        guard let bytes = try? store.localState(vault: vault, key: key),
              let body = LocalStateSeal.open(bytes, label: label, vault: vault, keys: keys),
              var state = ChainState(decoding: body) else { return ChainState(machine: machine) }
        state.machine = machine
        return state
    }

    func save(_ store: SyncStateStore, vault: VaultID, keys: DataKeys) throws {
        try store.setLocalState(vault: vault, key: Self.key,
                                value: LocalStateSeal.seal(encoded, label: Self.label, vault: vault, keys: keys))
    }

    /// The MAC's label (`LocalStateSeal`).
    private static let label = "onions/v2/chain-state"

    /// `format(1) | machine(16) | ref? pinned | ref? accepted | sealed(u8) | cursor(i64) |
    /// n(u16) | n × (machine(16) | hash(32) | count(u64) | time(u64))`; `ref?` is `0` or
    /// `1 | hash(32) | count(u64)`.
    var encoded: [UInt8] {
        var out: [UInt8] = [Self.format] + machine.bytes
        for ref in [pinned, accepted] {
            if let ref { out += [1] + ref.hash.bytes + bigEndian(ref.count) } else { out.append(0) }
        }
        out.append(acceptedSealed ? 1 : 0)
        out += bigEndian(UInt64(bitPattern: cursor))
        out += bigEndian16(UInt16(known.count))
        for (id, entry) in known.sorted(by: { $0.key < $1.key }) {
            out += id.bytes + entry.ref.hash.bytes + bigEndian(entry.ref.count) + bigEndian(entry.time)
        }
        return out
    }

    init?(decoding bytes: [UInt8]) {
        var at = 0
        func take(_ n: Int) -> [UInt8]? {
            guard bytes.count - at >= n else { return nil }
            defer { at += n }
            return Array(bytes[at..<(at + n)])
        }
        func u64() -> UInt64? { take(8).map { $0.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } } }
        func ref() -> CommitRef?? {
            guard let flag = take(1)?.first else { return nil }
            if flag == 0 { return .some(nil) }
            guard flag == 1, let hash = take(32).flatMap(CommitHash.init), let count = u64() else { return nil }
            return .some(CommitRef(hash: hash, count: count))
        }
        guard take(1)?.first == Self.format, let id = take(16).flatMap(MachineID.init),
              let pinned = ref(), let accepted = ref(), let sealed = take(1)?.first, let cursor = u64(),
              let n = take(2).map({ Int($0[0]) << 8 | Int($0[1]) }) else { return nil }
        machine = id
        self.pinned = pinned
        self.accepted = accepted
        acceptedSealed = sealed == 1
        self.cursor = Int64(bitPattern: cursor)
        for _ in 0..<n {
            guard let other = take(16).flatMap(MachineID.init), let hash = take(32).flatMap(CommitHash.init),
                  let count = u64(), let time = u64() else { return nil }
            known[other] = (CommitRef(hash: hash, count: count), time)
        }
        guard at == bytes.count else { return nil }
    }
}
