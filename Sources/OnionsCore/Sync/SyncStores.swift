import Glibc
import OnionsCrypto

/// A local store that can also keep sync bookkeeping for a vault (SQLiteStore's `local_state`).
///
/// Values are public bytes (versions, sequence numbers, sealed blobs); never plaintext.
public protocol SyncStateStore: Store {
    /// A value kept for a vault on this machine only, or nil when unset.
    func localState(vault: VaultID, key: String) throws -> [UInt8]?
    /// Sets (or with nil, removes) a value kept for a vault on this machine only.
    func setLocalState(vault: VaultID, key: String, value: [UInt8]?) throws
}

/// A server store that announces changes (PostgresStore's LISTEN/NOTIFY).
public protocol RemoteStore: Store {
    /// Asks to be told about every change to `vault` made through another connection.
    func listen(vault: VaultID) throws
    /// Waits up to `timeoutMs` (0: only looks); true when another session changed a listened
    /// vault after change sequence value `sequence` (what this machine read already: a push of
    /// records, then of the chain's head, announces twice, and a round that read both is not
    /// told of them again), or when the connection was re-opened and changes may have been missed.
    func pollNotifications(timeoutMs: Int, after sequence: Int64) -> Bool
    /// The connection's socket (-1 without one), to wait on with poll(2) for reading.
    var socketDescriptor: Int32 { get }
    /// Waits a short while for the vault's turn to sync: until this store's next `apply` (which
    /// ends the turn with its commit) or `endTurn`, no other session taking turns reads or writes
    /// the vault, so a round is never overtaken between its reads and its writes. False when
    /// the turn could not be had in time; the round then goes on without it, as compare-and-set
    /// still guards every write. A hostile server may pretend: turns only spare honest machines
    /// lost races, they protect nothing.
    func takeTurn(vault: VaultID) throws -> Bool
    /// Ends the vault's turn without writing; nothing when none is held.
    func endTurn(vault: VaultID)
    /// Starts a sync round: what the server's answers may make the client hold is counted
    /// afresh from here, over every answer until `endRound` (PostgresStore refuses an answer
    /// past its round's budget, so a server cannot grow the client without bound by answering
    /// many calls). Default: nothing.
    func beginRound()
    /// Ends the round: each answer is counted alone again. Default: nothing.
    func endRound()
}

extension RemoteStore {
    public func beginRound() {}
    public func endRound() {}
}

/// How a session reaches its server: connects on demand and again after the server was away.
///
/// `connect` opens a new connection (for PostgreSQL: `PostgresStore.remote(url:)`). It is
/// called again after a failure, at most once per `retryInterval` seconds, so a program that
/// works offline does not wait on an unreachable server at every tick.
///
/// With `check`, an idle session holds no connection (SyncIdle.swift): `idleAfter` seconds
/// after its last save the connection goes, and the server is asked every `checkInterval`
/// seconds at most whether the vault changed (`check`: true when the server holds a record
/// other than `skipping` above the given sequence value, or when it could not tell).
public final class SyncRemote {
    public typealias Check = (_ vault: VaultID, _ authKey: SecretBytes, _ since: Int64, _ skipping: RecordName?) throws -> Bool
    private let connect: () throws -> RemoteStore
    let check: Check?
    private var current: RemoteStore? {
        didSet {
            guard current !== oldValue else { return }
            named?.names.wipe()
            named = nil
        }
    }
    /// The connection under server names (NamedServer), which goes with the connection.
    var named: NamedServer?
    private var lastAttempt: Double = -.infinity
    /// Seconds between attempts to reach a server that was unreachable.
    public var retryInterval: Double = 5
    /// Why the server is unreachable now (for "offline" messages), nil when connected or untried.
    public internal(set) var offlineReason: String?
    /// Vaults this connection listens for.
    var listening: Set<VaultID> = []
    /// Seconds after the last save (this session's) that an open connection is let go.
    public var idleAfter: Double = SyncRemote.defaultIdleAfter
    /// The longest wait between two checks while idle: what an idle session's delay is at most.
    public var checkInterval: Double = SyncRemote.defaultCheckInterval
    public static let defaultIdleAfter: Double = 60
    public static let defaultCheckInterval: Double = 30
    /// When this session last saved (monotonic seconds); never yet: -infinity.
    var lastActive: Double = -.infinity
    /// When the next check is due while idle; nil while a connection is held.
    var nextCheck: Double?
    /// Called while a round copies records a page at a time (a first sync, a first push): how
    /// many of how many are written. Set it before logging in to hear about the first sync.
    public var progress: ((SyncProgress) -> Void)?

    public init(connect: @escaping () throws -> RemoteStore, check: Check? = nil) {
        self.connect = connect
        self.check = check
    }

    /// The connected store; throws `StoreError.unavailable` while the server is unreachable.
    /// `force` tries again even within `retryInterval`.
    func store(force: Bool = false) throws -> RemoteStore {
        if let current { return current }
        let now = monotonicSeconds()
        if !force, let offlineReason, now - lastAttempt < retryInterval {
            throw StoreError.unavailable(offlineReason)
        }
        lastAttempt = now
        do {
            let store = try connect()
            current = store
            offlineReason = nil
            listening = []
            nextCheck = nil
            return store
        } catch let e as StoreError {
            offlineReason = Self.reason(e)
            // The wait starts when the attempt gave up: a connect that timed out must not be
            // tried again at once.
            lastAttempt = monotonicSeconds()
            throw e
        }
    }

    /// The connected store if there is one, without trying to connect.
    var connected: RemoteStore? { current }

    /// Lets the connection go without a failure (an idle session); the next use connects again.
    func release() {
        current = nil
        listening = []
    }

    /// Forgets the connection after it failed; the next use connects again.
    func dropConnection(because error: StoreError) {
        current = nil
        listening = []
        offlineReason = Self.reason(error)
        lastAttempt = monotonicSeconds()
    }

    static func reason(_ e: StoreError) -> String {
        if case .unavailable(let why) = e { return why }
        return e.description
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
