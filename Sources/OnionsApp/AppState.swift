import OnionsCore
import OnionsCrypto
import TerminalUI

/// Everything the program shows and remembers between two messages.
///
/// The only way it changes is `App.update`. Plaintext it holds: the open session (secret
/// memory), the editor's fields, the search query and password fields, all wiped on lock.
public struct AppState {
    public var size: Size
    public var screen: Screen
    /// A dialog or the help drawn over the screen; it takes the keys while shown.
    public var overlay: Overlay?
    /// A one-line notice in the status line (errors in the error style).
    public var notice: Notice?
    /// The unlocked vault, nil before log in and while locked.
    public var session: Session?
    /// Who logged in last (the lock screen shows it).
    public var username: String = ""
    /// Seconds on `BootClock` of the last key.
    public var lastActivity: Double = 0
    /// Idle seconds before the vault locks itself.
    public var lockAfter: Double
    /// A key derivation running in the background (the spinner's state).
    public var busy: Busy?
    public var tickCount = 0
    public var wantsQuit = false

    public init(size: Size, lockAfter: Double = 300, now: Double = 0) {
        self.size = size
        self.screen = .login(LoginForm())
        self.lockAfter = lockAfter
        self.lastActivity = now
    }
}

/// The screens.
public enum Screen {
    case login(LoginForm)
    case list(OnionListState)
    case editor(EditorState)
    case locked(LockState)
}

/// What is drawn over the screen.
public enum Overlay: Equatable {
    case help
    case confirmDiscard
    case confirmDelete(ItemID)
    case confirmQuit
}

public struct Notice: Equatable {
    public var text: String
    public var isError: Bool
    public init(_ text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}

public struct Busy: Equatable {
    public var label: String
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
    public init() {}

    public mutating func wipe() {
        username.wipe()
        password.wipe()
        repeatPassword.wipe()
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
    /// The selected onion's info, opened for the preview.
    public var preview: (id: ItemID, info: SecretBytes)?
    public init() {}

    public var selectedID: ItemID? { list.selection.flatMap { visible.indices.contains($0) ? visible[$0].id : nil } }

    public mutating func wipe() {
        search.wipe()
        preview?.info.wipe()
        preview = nil
        visible.removeAll()
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
        self.title = TextField(title, limit: FieldLimit.onionTitle.maxCharacters)
        self.info = TextArea(info, limit: FieldLimit.onionInfo.maxCharacters)
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
    /// The editor; its draft was sealed into the store and comes back from there.
    case editor(target: ItemID?, infoFocused: Bool)
}
