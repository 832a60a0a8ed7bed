import OnionsCrypto

/// What an unlocked vault shows at one moment: its summaries and its own copy of their texts.
///
/// Made by `Session.snapshot()` on the thread that owns the session and handed to another
/// thread, which then owns it alone: nothing in it refers back to the session. The summaries'
/// handles address `texts`, a copy of the session's table with the same handles. Never changes
/// after it is made; `wipe()` zeroes every text (call it when a newer snapshot replaces this
/// one, and on lock).
public final class VaultSnapshot: @unchecked Sendable {
    /// The name the person logged in with.
    public let username: String
    /// Titles, recipients and task texts, addressed by the handles in the summaries.
    public let texts: SecretTable
    /// Onions in the vault's order (`settings.order`), pinned first.
    public let onions: [OnionSummary]
    /// Cards in the vault's order, pinned first.
    public let cards: [CardSummary]
    /// Tasks in the person's order.
    public let tasks: [TaskSummary]
    /// The order of `onions` and `cards`, and the items pinned to their top.
    public let order: ListOrder
    public let pinned: Set<ItemID>
    /// What the vault noticed about the store.
    public let issues: [IntegrityIssue]
    /// A copy of the draft sealed by an earlier lock, when the session restored one.
    public let draft: Draft?
    /// The server's state as this session last saw it.
    public let remote: RemoteStatus
    /// What the last sync reported (at log in, or since); nil before any.
    public let lastSyncReport: SyncReport?
    /// The vault's save count and the time of its last change (`Session.vaultCounter`, `lastChanged`).
    public let vaultCounter: UInt64
    public let lastChanged: UInt64
    /// True on the first log in on a machine that had no record of the vault.
    public let isNewToThisMachine: Bool
    /// True while the store's lost or rolled-back records are not accepted (`Session.isReadOnly`).
    public let isReadOnly: Bool
    /// This machine's place in the vault's chain (the account view), nil before the first save.
    public let chain: ChainSummary?
    /// The six words of this machine's latest save and its count (`Session.fingerprint`), nil
    /// before the first save.
    public var headWords: (words: String, count: UInt64)? { chain.map { ($0.words, $0.count) } }

    init(username: String, texts: SecretTable, onions: [OnionSummary], cards: [CardSummary], tasks: [TaskSummary],
         order: ListOrder = .newestChange, pinned: Set<ItemID> = [], issues: [IntegrityIssue], draft: Draft?, remote: RemoteStatus, lastSyncReport: SyncReport?,
         vaultCounter: UInt64 = 0, lastChanged: UInt64 = 0, isNewToThisMachine: Bool = false, isReadOnly: Bool = false,
         chain: ChainSummary? = nil) {
        self.chain = chain
        self.vaultCounter = vaultCounter
        self.lastChanged = lastChanged
        self.isNewToThisMachine = isNewToThisMachine
        self.isReadOnly = isReadOnly
        self.username = username
        self.texts = texts
        self.onions = onions
        self.cards = cards
        self.tasks = tasks
        self.order = order
        self.pinned = pinned
        self.issues = issues
        self.draft = draft
        self.remote = remote
        self.lastSyncReport = lastSyncReport
    }

    /// The title of an onion as a transient String (for display).
    public func title(_ onion: OnionSummary) -> String { texts.string(onion.title) }

    /// The folder path of an onion as a transient String ("" at the top), for display.
    public func folder(_ onion: OnionSummary) -> String { onion.folder.map { texts.string($0) } ?? "" }

    /// The bytes of an onion's folder path (empty at the top), for the caller to wipe.
    public func folderBytes(_ onion: OnionSummary) -> [UInt8] {
        onion.folder.map { texts.withBytes($0) { Array($0) } } ?? []
    }

    /// The onions of `list` in `folder` (a normalized path) or below it.
    public func onions(_ list: [OnionSummary], under folder: [UInt8]) -> [OnionSummary] {
        folder.withUnsafeBytes { parent in
            texts.withAllBytes { all in
                list.filter { onion in
                    FolderPath.isUnder(onion.folder.map { all[$0] } ?? UnsafeRawBufferPointer(start: nil, count: 0), parent)
                }
            }
        }
    }

    /// Zeroes every text; the snapshot shows nothing afterwards.
    public func wipe() {
        texts.wipe()
        draft?.wipe()
    }
}

/// Whether a session syncs with a server, and why not right now.
public struct RemoteStatus: Sendable, Equatable {
    /// True when the session syncs with a server.
    public var configured: Bool
    /// Why the server is unreachable, nil when it is reachable (or there is none).
    public var offlineReason: String?
    /// Why the server refused the session's key, nil otherwise.
    public var refusedReason: String?

    public init(configured: Bool = false, offlineReason: String? = nil, refusedReason: String? = nil) {
        self.configured = configured
        self.offlineReason = offlineReason
        self.refusedReason = refusedReason
    }
}

extension Session {
    /// What the views show now, copied out of the session (see `VaultSnapshot`).
    public func snapshot() -> VaultSnapshot {
        let copy = texts.copyKeepingHandles()
        let restored = draft.map { Draft(kind: $0.kind, target: $0.target, title: $0.title.copy(), info: $0.info.copy()) }
        return VaultSnapshot(username: username, texts: copy, onions: orderedOnions, cards: orderedCards,
                             tasks: orderedTasks, order: settings.order, pinned: settings.pinned, issues: issues, draft: restored, remote: remoteStatus, lastSyncReport: lastSyncReport,
                             vaultCounter: vaultCounter, lastChanged: lastChanged,
                             isNewToThisMachine: isNewToThisMachine, isReadOnly: isReadOnly,
                             chain: chainSummary())
    }

    /// The server's state as this session sees it now.
    public var remoteStatus: RemoteStatus {
        RemoteStatus(configured: hasRemote, offlineReason: offlineReason, refusedReason: syncRefusedReason)
    }
}

extension SecretTable {
    /// A new table holding a copy of every entry under the same handle (freed handles come
    /// back empty).
    func copyKeepingHandles() -> SecretTable {
        withAllBytes { all in
            let total = (0..<all.handleCount).reduce(0) { $0 + all[$1].count }
            let copy = SecretTable(capacity: total + 64)
            copy.reserve(bytes: total, handles: all.handleCount)
            for handle in 0..<all.handleCount { _ = copy.add(all[handle]) }
            return copy
        }
    }
}
