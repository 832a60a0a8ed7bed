import OnionsCrypto

/// An unlocked vault: its keys, its decrypted titles, cards and tasks, and every way to change them.
///
/// Create one with `signUp` or `logIn` (SessionOpening.swift). Every key and plaintext it holds
/// is in secret memory (`SecretBytes`, `SecretTable`); `lock()` wipes all of it and leaves the
/// session unusable (`VaultError.locked`). Each save is one store transaction: the record(s) and
/// the manifest (SessionCommit.swift). Not thread-safe: use it from one thread.
///
/// The rest lives by concern: loading and checking (SessionLoading), onions, cards, tasks,
/// drafts, the account (Session<Concern>.swift) and sync (SyncSession).
public final class Session {
    public let store: Store
    public let vault: VaultID
    /// The name the person logged in with (shown on the lock screen; never stored).
    public let username: String
    /// Titles, recipients, task texts and manifest labels, addressed by the handles in the
    /// summaries.
    public let texts = SecretTable()
    /// Onions, most recently changed first.
    public internal(set) var onions: [OnionSummary] = [] {
        didSet { forgetSearchText() }
    }
    /// Cards, most recently created first.
    public internal(set) var cards: [CardSummary] = []
    /// Tasks by id.
    public internal(set) var tasks: [TaskSummary] = []
    /// The list order, pins and task order saved in the vault (SessionSettings.swift).
    public internal(set) var settings = VaultSettings()
    /// What the vault noticed about the store when it opened (and since).
    public internal(set) var issues: [IntegrityIssue] = []
    /// What the store lost, rolled back or altered of this vault's own records (found at log in
    /// or when a record was read). While there is any, the vault is read-only: no save is
    /// written (`VaultError.readOnly`) until `acceptStoreState()`.
    public internal(set) var heldIssues: [IntegrityIssue] = []
    public var isReadOnly: Bool { !heldIssues.isEmpty }
    /// A draft sealed by an earlier lock or hang-up, restored at log in.
    public internal(set) var draft: Draft?
    public internal(set) var isLocked = false
    /// When the vault last changed (milliseconds since 1970, UTC), as its manifest says; 0 when unknown.
    public var lastChanged: UInt64 { manifest.changed }
    /// The vault's manifest counter: how many saves it has seen.
    public var vaultCounter: UInt64 { manifest.counter }
    /// True when this machine had no record of the vault before this log in (a new machine, or a
    /// lost state folder): it cannot tell an emptied or older store, so the person should look at
    /// `vaultCounter` and `lastChanged`.
    public internal(set) var isNewToThisMachine = false

    let stateDirectory: String
    var parameters: VaultParameters
    var header: VaultHeaderBlob
    var passwordKeys: PasswordKeys
    var dataKey: SecretBytes
    var keys: DataKeys
    var manifest = Manifest()
    var manifestVersion: UInt64 = 0
    /// True when the store's manifest was missing or did not open at the last load.
    var manifestIsDamaged = false
    /// What accepting the store's state changes (`acceptStoreState`).
    var repair = StoreRepair()
    /// The record names of the manifest's parts (256 of them; computed once).
    lazy var manifestPartNames: [RecordName] = Manifest.partNames(keys)
    /// Live store versions of logical keys this session wrote or read (for compare-and-set).
    var versions: [LogicalKey: UInt64] = [:]
    /// Versions the store held at log in by name for every record but the live ones of listed
    /// keys (whose versions are in `versions`): tombstones, the manifest's own records, the head,
    /// anything no manifest lists. A key written again after a delete in an earlier session (a
    /// task id, the draft) continues from its tombstone.
    var heldVersions: [RecordName: UInt64] = [:]
    var localState: LocalState
    /// This machine's place in the vault's chain of commits (SessionChain.swift), set by `load`.
    var chain: ChainLink?
    /// Names of the companions of tasks and cards (live or deleted) this session knows, which a
    /// sync does not count among the records it moved.
    var companionNames: Set<RecordName> = []
    /// Names noted as keeping no versions (`noteHistoryExclusions`).
    var historyExcluded: Set<RecordName> = []
    /// When this session last removed versions past their retention (0: not yet).
    var historyExpiredAt: UInt64 = 0
    /// Names of kept versions this session removed (a purge, an expiry), to be named in the
    /// `releases` of its next commits (at most `Commit.maxReleases` each).
    var pendingReleases: [RecordName] = []
    /// The item this session deleted last, for `undoDelete`.
    public internal(set) var lastDeleted: ItemRef?
    /// Where the conflict copy the next commit saves came from (`keepingCopy`): sealed into the
    /// first onion title, card or task it writes.
    var copyOrigin: ConflictOrigin?
    /// The remote this session syncs with (SyncSession.swift), nil for a store alone.
    var sync: SyncLink?
    /// Every info, opened by the first `searchOnions` and kept with ASCII letters in lower case
    /// (only for searching), by onion.
    var infoIndex: [ItemID: Int]?
    let infoTexts = SecretTable()
    /// Every title and info in the order of `onions`, for a search that starts over; nil until
    /// a search asks for it after `onions` or the index last changed.
    var searchText: OnionSearchText?
    /// True while `reload` runs (a draft is restored once, at log in).
    var reloading = false

    init(store: Store, vault: VaultID, username: String, parameters: VaultParameters,
         header: VaultHeaderBlob, passwordKeys: PasswordKeys, dataKey: SecretBytes,
         stateDirectory: String, localState: LocalState) throws {
        self.store = store
        self.vault = vault
        self.username = username
        self.parameters = parameters
        self.header = header
        self.passwordKeys = passwordKeys
        self.dataKey = dataKey
        self.keys = try DataKeys(dataKey: dataKey)
        self.stateDirectory = stateDirectory
        self.localState = localState
        self.isNewToThisMachine = localState.headerFingerprint.isEmpty
        self.localState.headerFingerprint = LocalState.fingerprint(header)
        self.localState.parametersFingerprint = SHA256.hash(header.parameters)
    }

    deinit { lock() }

    var sealer: RecordSealer { RecordSealer(vault: vault, keys: keys) }

    func checkUnlocked() throws {
        if isLocked { throw VaultError.locked }
    }

    func check(_ text: SecretBytes, _ limit: FieldLimit) throws {
        do { try limit.check(text) } catch let e as LimitError { throw VaultError.limit(e) }
    }

    /// Runs a store call, turning its errors into the vault's.
    @discardableResult
    static func wrapStore<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as StoreError {
            switch e {
            case .noVault: throw VaultError.noSuchVault
            case .vaultExists: throw VaultError.vaultExists
            default: throw VaultError.store(e)
            }
        }
    }
}
