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
    /// First line of the help shown (it scrolls on small terminals).
    public var helpScroll = 0
    /// A one-line notice in the status line (errors in the error style).
    public var notice: Notice?
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
    /// Work the person waits for (a key derivation, a save): keys are refused meanwhile.
    public var busy: Busy?
    /// A sync check is in flight, and when the last one was asked for.
    public var syncing = false
    /// A draft the store would not take is held sealed in memory (it comes back at unlock and
    /// is lost if the program quits first).
    public var draftHeldInMemory = false
    public var lastSyncCheck: Double = -.infinity
    /// Effects a screen asked for while handling a message; `update` returns them.
    var requested: [AppEffect] = []
    public var tickCount = 0
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

    /// Asks for an effect on behalf of a screen (returned by the `update` under way).
    mutating func request(_ effect: AppEffect) { requested.append(effect) }
}

/// The screens.
public enum Screen {
    case login(LoginForm)
    case list(OnionListState)
    case editor(EditorState)
    case cards(CardsState)
    case tasks(TasksState)
    case locked(LockState)
}

/// The three views of an unlocked vault (Tab, 1, 2, 3).
public enum VaultView: Equatable, CaseIterable {
    case onions, cards, tasks
}

/// What is drawn over the screen.
public enum Overlay: Equatable {
    case help
    case confirmDiscard
    case confirmDelete(ItemID)
    case confirmDeleteCard(ItemID)
    case confirmDeleteTask(UInt16)
    /// The card password typed is the vault's own password: save anyway?
    case confirmCardPasswordIsVaultPassword
    /// A draft the store would not take is held only in memory: quit and lose it?
    case confirmQuitLosingDraft
}

public struct Notice: Equatable {
    public var text: String
    public var isError: Bool
    public init(_ text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
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

/// The log-in form: a username, a password, and the sign-up confirmation.
public struct LoginForm {
    public enum Focus: Equatable { case username, password, repeatPassword }
    public var username = TextField(limit: 64)
    public var password = SecretField()
    /// Set after an unknown username: the password must be typed again to create the vault.
    public var repeatPassword = SecretField()
    public var creating = false
    public var focus: Focus = .username
    /// The new password's strength while creating a vault.
    public var gate = NewPasswordGate()
    public init() {}

    public mutating func wipe() {
        username.wipe()
        password.wipe()
        repeatPassword.wipe()
        gate.wipe()
    }
}

/// The onion list: selection, search, preview.
public struct OnionListState {
    /// The onions shown (all, or those matching the search).
    public var visible: [OnionSummary] = []
    public var list = ListView(count: 0)
    /// The search being typed after `/` (active) or kept after Enter.
    public var search = TextField(limit: 64)
    public var searching = false
    /// Results of the queries typed so far, each a prefix of the next, so that typing one more
    /// character searches only the last results and Backspace needs no search at all.
    public var searchSteps: [(query: [UInt8], results: [OnionSummary])] = []
    /// The selected onion's info, opened for the preview.
    public var preview: (id: ItemID, info: SecretBytes)?
    /// The onion whose preview was asked for last.
    public var previewAsked: ItemID?
    /// The selected onion shown read-only over the list (Enter), nil on the list itself.
    public var reader: OnionReader?
    /// The way `n` (1) or `N` (-1) went when it left the read view's onion for the next one
    /// with a match: the next one opens at its first match, or at its last.
    public var readerStep = 1
    public init() {}

    public var selectedID: ItemID? { list.selection.flatMap { visible.indices.contains($0) ? visible[$0].id : nil } }

    /// Overwrites the remembered queries and drops their results (after a change to the vault).
    public mutating func forgetSearchSteps() {
        for i in searchSteps.indices {
            for j in searchSteps[i].query.indices { searchSteps[i].query[j] = 0 }
        }
        searchSteps.removeAll()
    }

    public mutating func wipe() {
        search.wipe()
        forgetSearchSteps()
        preview?.info.wipe()
        preview = nil
        previewAsked = nil
        reader?.wipe()
        reader = nil
        visible.removeAll()
    }
}

/// An onion opened read-only: its info word-wrapped and scrolled, the search's matches marked.
public struct OnionReader {
    public let id: ItemID
    /// The info as it was opened (matches are found in these bytes).
    public var info: SecretBytes
    /// The same info as graphemes, wrapped for the screen.
    public var view: TextView
    /// The match `n` and `N` went to last (an index into the matches of the current search).
    public var currentMatch: Int?

    public init(id: ItemID, info: SecretBytes, view: TextView) {
        self.id = id
        self.info = info
        self.view = view
    }

    public mutating func wipe() {
        info.wipe()
        view.wipe()
        currentMatch = nil
    }
}

/// The editor: a title field and an info area.
public struct EditorState {
    public enum Focus: Equatable { case title, info }
    /// The onion being edited; nil for a new one.
    public var target: ItemID?
    public var title: TextField
    public var info: TextArea
    public var focus: Focus = .title
    /// True once anything was typed (Esc asks before discarding).
    public var dirty = false

    public init(target: ItemID?, title: [Character], info: [Character]) {
        self.target = target
        self.title = TextField(title, limit: FieldLimit.onionTitle.maxCharacters, byteLimit: FieldLimit.onionTitle.maxBytes)
        self.info = TextArea(info, limit: FieldLimit.onionInfo.maxCharacters, byteLimit: FieldLimit.onionInfo.maxBytes)
    }

    public mutating func wipe() {
        title.wipe()
        info.wipe()
    }
}

/// The lock screen: who is locked out and where to return.
public struct LockState {
    public var password = SecretField()
    /// The screen to go back to (nothing secret: which screen, which onion).
    public var resume: ResumePoint
    public init(resume: ResumePoint) { self.resume = resume }
}

/// Where the person was when the vault locked.
public enum ResumePoint: Equatable {
    case list(selected: ItemID?)
    /// The editor; its draft was sealed into the store and comes back from there, shown at
    /// `place`.
    case editor(target: ItemID?, place: EditorPlace)
    case cards(selected: ItemID?)
    case tasks(selected: UInt16?)
}

/// Where the editor's cursors and view were (positions only, nothing typed), so that unlocking
/// shows the draft as it was left.
public struct EditorPlace: Equatable {
    public var infoFocused: Bool
    public var titleCursor: Int
    public var infoCursor: Int
    public var infoScroll: Int

    public init(infoFocused: Bool, titleCursor: Int = 0, infoCursor: Int = 0, infoScroll: Int = 0) {
        self.infoFocused = infoFocused
        self.titleCursor = titleCursor
        self.infoCursor = infoCursor
        self.infoScroll = infoScroll
    }

    /// The place `editor` is at.
    public init(_ editor: EditorState) {
        self.init(infoFocused: editor.focus == .info, titleCursor: editor.title.cursor, infoCursor: editor.info.cursor,
                  infoScroll: editor.info.scroll)
    }

    /// Puts `editor` back at this place (positions past the text end at its end).
    public func restore(_ editor: inout EditorState) {
        editor.focus = infoFocused ? .info : .title
        editor.title.setCursor(titleCursor)
        editor.info.setScroll(infoScroll)
        editor.info.setCursor(infoCursor)
    }
}

/// The card grid: selection, recipient filter, the one open card, the flip, the card form.
public struct CardsState {
    /// The cards shown (all, or those whose recipient matches the filter).
    public var visible: [CardSummary] = []
    public var selection = 0
    /// First grid row shown.
    public var scrollRow = 0
    public var filter = TextField(limit: 30)
    public var filtering = false
    /// Set while the selected card's password is being typed.
    public var passwordPrompt: SecretField?
    /// The card that is face up: its description and the password that opened it.
    public var open: OpenCard?
    public var animation: CardAnimation?
    /// The new-card or edit-card form.
    public var form: CardForm?
    public init() {}

    public var selectedID: ItemID? { visible.indices.contains(selection) ? visible[selection].id : nil }

    /// True while a key goes into a text (filter, password prompt, form).
    public var isTyping: Bool { filtering || passwordPrompt != nil || form != nil }

    /// True while a flip or shake runs (the loop ticks faster then).
    public var isAnimating: Bool { animation != nil }

    /// Closes the open card and forgets every secret typed here.
    public mutating func wipe() {
        passwordPrompt?.wipe()
        passwordPrompt = nil
        open?.wipe()
        open = nil
        animation = nil
        form?.wipe()
        form = nil
        filter.wipe()
    }

    public mutating func closeCard() {
        open?.wipe()
        open = nil
        if animation?.kind == .flip { animation = nil }
    }
}

/// A card that was opened with its password.
public struct OpenCard {
    public let id: ItemID
    public var description: SecretBytes
    public var password: SecretBytes
    public var scroll = 0

    public func wipe() {
        description.wipe()
        password.wipe()
    }
}

/// A flip (after the right password) or a shake (after a wrong one), one frame per tick.
public struct CardAnimation: Equatable {
    public enum Kind: Equatable { case flip, shake }
    public let kind: Kind
    public let id: ItemID
    public var frame = 0
    public init(kind: Kind, id: ItemID) {
        self.kind = kind
        self.id = id
    }

    public var frameCount: Int { kind == .flip ? CardArt.flipFrames.count : CardArt.shakeOffsets.count }
}

/// The form for a new card or for editing an open one.
public struct CardForm {
    public enum Focus: Equatable, CaseIterable { case recipient, description, password, repeatPassword }
    /// The card edited; nil for a new one.
    public var target: ItemID?
    public var recipient = TextField(limit: FieldLimit.cardRecipient.maxCharacters,
                                     byteLimit: FieldLimit.cardRecipient.maxBytes)
    public var description = TextArea(limit: FieldLimit.cardDescription.maxCharacters,
                                      byteLimit: FieldLimit.cardDescription.maxBytes, width: 40, height: 6)
    public var password = SecretField()
    public var repeatPassword = SecretField()
    /// The edited card's own password (a copy in secret memory), for a save that leaves the
    /// password fields empty: it outlives the card closing meanwhile (another program deleted
    /// it, and the save brings it back).
    public var keptPassword: SecretBytes?
    /// The card password's strength as it is typed.
    public var gate = NewPasswordGate()
    public var focus: Focus = .recipient
    /// True once anything was typed (Esc asks before discarding; a lock seals it as a draft).
    public var dirty = false
    public init(target: ItemID?) { self.target = target }

    public mutating func wipe() {
        recipient.wipe()
        description.wipe()
        password.wipe()
        repeatPassword.wipe()
        keptPassword?.wipe()
        keptPassword = nil
        gate.wipe()
    }
}

/// The checklist: selection, hiding done tasks, the input line for a new or edited task.
public struct TasksState {
    public var visible: [TaskSummary] = []
    public var list = ListView(count: 0)
    public var hideDone = false
    /// The input line while adding (`base` nil) or editing a task.
    public var input: TextField?
    /// The task being edited as it was when the input line opened.
    public var base: TaskBase?
    /// The number of the task being edited.
    public var editing: UInt16? { base?.id }
    public init() {}

    public var selectedID: UInt16? { list.selection.flatMap { visible.indices.contains($0) ? visible[$0].id : nil } }

    public mutating func wipe() {
        input?.wipe()
        input = nil
        base?.wipe()
        base = nil
        visible.removeAll()
    }
}
