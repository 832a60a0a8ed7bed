import OnionsCore
import OnionsCrypto
import TerminalUI

/// Everything the program shows and remembers between two messages.
///
/// The only way it changes is `App.update`; `App.render` draws from it alone. It holds no
/// session (the effect runner does) but a snapshot of what the views show. Plaintext it holds:
/// the snapshot's texts (secret memory), an open info or card, the editor's fields, the search
/// query and password fields, all wiped on lock.
public struct AppState {
    public var size: Size
    public var screen: Screen
    /// A dialog or the help drawn over the screen; it takes the keys while shown.
    public var overlay: Overlay?
    /// First row of the help or the messages view shown (they scroll on small terminals).
    public var helpScroll = 0
    /// A notice above the status line (errors in the error style), wrapped onto more rows
    /// when long; the messages view (`m`) shows it in full.
    public var notice: Notice?
    /// The session's last notices, oldest first, for the messages view; emptied on lock.
    public var messages: [Notice] = []
    /// Notices kept in `messages` at most.
    public static let messagesKept = 50
    /// What the unlocked vault shows, nil before log in and while locked. Replaced (and the
    /// old one wiped) by every answer that changed the vault.
    public var vault: VaultSnapshot?
    /// The server's state as the last answer told it.
    public var remote = RemoteStatus()
    /// Who logged in last (the lock screen shows it).
    public var username: String = ""
    /// The latest `BootClock` seconds a message brought.
    public var now: Double
    /// Seconds on `BootClock` of the last key.
    public var lastActivity: Double = 0
    /// Idle seconds before the vault locks itself.
    public var lockAfter: Double
    /// Work the person waits for (a key derivation, a save): input waits in `queued` meanwhile.
    public var busy: Busy?
    /// A sync check is in flight, and when the last one was asked for.
    public var syncing = false
    /// A draft the store would not take at a lock, sealed for its vault (ciphertext only): it
    /// goes back into the session at the next unlock of that vault, and is lost if the program
    /// quits first.
    public var heldDraft: HeldDraft?
    /// What a paste into the info could not take, while `.offerPasteRest` asks about it.
    public var pasteRest: SecretBytes?
    /// A draft is held sealed in memory (see `heldDraft`).
    public var draftHeldInMemory: Bool { heldDraft != nil }
    public var lastSyncCheck: Double = -.infinity
    /// Keys, pastes and mouse reports waiting for the answer to `busy` (wiped on lock).
    public var queued = InputQueue()
    public var tickCount = 0
    /// Seconds since 1970 at the last tick (`WallClock`, 0 before the first): one-time codes.
    public var wallTime: Double = 0
    public var wantsQuit = false
    /// Our copy on the terminal's clipboard and when it is cleared (see `Clipboard`).
    public var clipboard = ClipboardState()

    public init(size: Size, lockAfter: Double = 300, now: Double = 0) {
        self.size = size
        self.screen = .login(LoginForm())
        self.lockAfter = lockAfter
        self.lastActivity = now
        self.now = now
    }

    /// The last left click (cell and time), so that a second one there makes a double click.
    public var lastClick: (x: Int, y: Int, at: Double)?

    /// Mouse reports are wanted: only while the vault is open (on the log-in and lock screens
    /// the terminal keeps its own selection).
    public var wantsMouse: Bool {
        switch screen {
        case .login, .locked: return false
        default: return vault != nil
        }
    }
}

/// The screens.
public enum Screen {
    case login(LoginForm)
    case list(OnionListState)
    case editor(EditorState)
    case cards(CardsState)
    case tasks(TasksState)
    /// An item's versions (`H`), over the view it was opened from.
    case history(HistoryState)
    /// Deleted items (the view bar's fourth view).
    case trash(TrashState)
    case locked(LockState)
}

/// The views of an unlocked vault (Tab, 1, 2, 3, 4).
public enum VaultView: Equatable, CaseIterable {
    case onions, cards, tasks, trash
}

/// What is drawn over the screen.
public enum Overlay: Equatable {
    case help
    /// The session's last notices in full (`m`).
    case messages
    /// The vault's six words, this machine's id and the server head it verified (`v`).
    case account
    case confirmDiscard
    case confirmDelete(ItemID)
    case confirmDeleteCard(ItemID)
    case confirmDeleteTask(UInt16)
    /// The card password typed is the vault's own password: save anyway?
    case confirmCardPasswordIsVaultPassword
    /// A draft the store would not take is held only in memory: quit and lose it?
    case confirmQuitLosingDraft
    /// A paste into the info went past its limit: `count` characters did not fit (held in
    /// `AppState.pasteRest`): a new onion, or dropped?
    case offerPasteRest(count: Int)
}

public struct Notice: Equatable {
    public var text: String
    public var isError: Bool
    /// The item the notice is about: its name is added to `text` only when the notice is drawn
    /// (`App.noticeText`), from the snapshot, so that no String holds it meanwhile.
    public var subject: ItemRef?
    public init(_ text: String, isError: Bool = false, subject: ItemRef? = nil) {
        self.text = text
        self.isError = isError
        self.subject = subject
    }
}

/// Work in flight that the person waits for.
public struct Busy: Equatable {
    public var label: String
    /// When it started (`BootClock` seconds).
    public var since: Double
    /// The "working…" dialog is up (at once for a key derivation, after a moment otherwise).
    public var shown: Bool

    public init(label: String, since: Double, shown: Bool) {
        self.label = label
        self.since = since
        self.shown = shown
    }

    /// Seconds of vault work before the dialog shows (quick work never flashes it).
    public static let showAfter = 0.25
}
