import OnionsCore
import OnionsCrypto
import TerminalUI

/// The program's behaviour: `update` turns a message into a new state and effects, `render`
/// draws a state. Neither touches the terminal, the vault or a clock.
///
/// Everything that reads or changes the vault (log in, save, delete, open an info or a card,
/// search, tasks, the draft, lock, sync) is an effect: the loop hands it to the effect runner,
/// which owns the session, and the answer comes back as a message with a new snapshot of what
/// the views show. Time comes in messages too (keys and ticks carry it).
public enum App {
    /// The smallest terminal any screen is laid out for; below it a notice says so.
    public static let minimumSize = Size(width: 24, height: 6)

    /// Seconds between two checks for what other programs saved to the store and, with a
    /// server, for what other machines changed.
    public static let syncInterval = 0.1

    public static func update(_ state: inout AppState, _ message: AppMessage) -> [AppEffect] {
        var before = state.notice
        var effects = handle(&state, message)
        remember(&state, since: before)
        // Input that waited for the answer now goes on, in order, until one starts new work.
        while state.busy == nil, !state.queued.isEmpty, let next = state.queued.takeFirst() {
            before = state.notice
            effects += handle(&state, next)
            remember(&state, since: before)
        }
        return effects
    }

    /// Keeps a notice that just appeared in the session's messages (the newest last).
    static func remember(_ state: inout AppState, since before: Notice?) {
        guard let notice = state.notice, notice != before, state.messages.last != notice else { return }
        state.messages.append(notice)
        if state.messages.count > AppState.messagesKept {
            state.messages.removeFirst(state.messages.count - AppState.messagesKept)
        }
    }

    static func handle(_ state: inout AppState, _ message: AppMessage) -> [AppEffect] {
        switch message {
        case .resize(let size):
            state.size = size
            if case .editor(var editor) = state.screen {
                EditorScreen.fit(&editor, size)
                state.screen = .editor(editor)
            } else if case .list(var list) = state.screen {
                ReaderScreen.fit(&list, size)
                state.screen = .list(list)
            }
            return []
        case .tick(let now, let wall):
            state.now = now
            if wall > 0 { state.wallTime = wall }
            state.tickCount += 1
            if var busy = state.busy, !busy.shown, now - busy.since >= Busy.showAfter {
                busy.shown = true
                state.busy = busy
            }
            if case .cards(var cards) = state.screen, cards.animation != nil {
                CardsScreen.tick(&cards)
                state.screen = .cards(cards)
            }
            let cleared = Clipboard.tick(&state, now: now)
            if state.vault != nil, now - state.lastActivity >= state.lockAfter {
                return cleared + lock(&state, notice: Notice("Locked after \(Int(state.lockAfter)) s without a key."))
            }
            if state.vault != nil, !state.syncing, now - state.lastSyncCheck >= syncInterval {
                state.syncing = true
                state.lastSyncCheck = now
                return cleared + [.vault(.sync)]
            }
            return cleared
        case .suspendRequested:
            var effects = state.vault != nil ? lock(&state, notice: nil) : abandonWork(&state)
            wipeUnlockedInput(&state)
            effects.append(.suspend)
            return effects
        case .resumed:
            state.notice = state.vault == nil && isLocked(state) ? Notice("Locked while suspended.") : nil
            return [.clearTerminal]
        case .hangup, .terminate:
            var effects = state.vault != nil ? lock(&state, notice: nil) : abandonWork(&state)
            wipeUnlockedInput(&state)
            effects.append(.quit)
            return effects
        case .authenticated(let outcome):
            return authenticated(&state, outcome)
        case .openFromAgent(let username):
            guard case .login(var form) = state.screen, state.busy == nil else { return [] }
            form.username = TextField(username, limit: form.username.limit)
            form.focus = .password
            state.screen = .login(form)
            startWork(&state, "Opening the vault from the agent")
            return [.authenticate(AuthRequest(purpose: .fromAgent, username: username, password: SecretBytes(count: 0),
                                              heldDraft: state.heldDraft))]
        case .fillUsername(let username):
            guard case .login(var form) = state.screen, state.busy == nil, !username.isEmpty else { return [] }
            if let reason = LoginScreen.refusal(ofGivenUsername: username, limit: form.username.limit) {
                state.notice = Notice("The user named by --user or ONIONS_USER was left out: \(reason). Type the username.",
                                      isError: true)
                return []
            }
            form.username = TextField(username, limit: form.username.limit)
            form.focus = .password
            state.screen = .login(form)
            return []
        case .vault(let result, let snapshot):
            return answered(&state, result, snapshot)
        case .leaving:
            return Clipboard.clear(&state)
        case .syncProgress(let sentence):
            state.notice = Notice(sentence)
            return []
        case .generatedPassword(let password):
            defer { password.wipe() }
            return EditorScreen.insertGenerated(&state, password)
        case .key(let key, let now):
            if key == .ctrl("l") || key == .ctrl("r") || !waits(&state, message) {
                state.now = now
                return keyPressed(&state, key)
            }
            return []
        case .mouse(let mouse, let now):
            guard !waits(&state, message) else { return [] }
            state.now = now
            return MouseInput.handle(&state, mouse) { state, key in keyPressed(&state, key) }
        case .paste(var paste, let now):
            guard !waits(&state, message) else { return [] }
            state.now = now
            defer { paste.wipe() }
            return pasted(&state, paste)
        }
    }

    /// Queues a key, paste or mouse report that arrived while work is in flight (it is handed
    /// on after the answer); false when nothing is in flight. Typing counts as activity for the
    /// idle lock even while it waits.
    static func waits(_ state: inout AppState, _ message: AppMessage) -> Bool {
        guard state.busy != nil else { return false }
        if case .key(_, let now) = message { state.lastActivity = max(state.lastActivity, now) }
        if case .paste(_, let now) = message { state.lastActivity = max(state.lastActivity, now) }
        if !state.queued.append(message) {
            state.notice = Notice("Too many keys typed ahead of the work in flight; that one was not used.", isError: true)
        }
        return true
    }

    /// A paste goes into the focused field whole or not at all, and never acts as keys.
    static func pasted(_ state: inout AppState, _ paste: Paste) -> [AppEffect] {
        state.lastActivity = max(state.lastActivity, state.now)
        guard state.overlay == nil else {
            state.notice = Notice("Answer the question first; nothing was pasted.", isError: true)
            return []
        }
        state.notice = nil
        return PasteInput.apply(paste, &state) { state, key in keyPressed(&state, key) }
    }

    static func keyPressed(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        state.lastActivity = max(state.lastActivity, state.now)
        if key == .ctrl("l") {
            // The unlock agent of the same vault locks too (it is asked after the session's lock).
            let agent = AppEffect.lockAgent(username: state.username.isEmpty ? nil : state.username)
            if state.vault != nil {
                let drafted = applyQueuedDraftInput(&state)
                return drafted + lock(&state, notice: nil) + [agent]
            }
            return [.clearTerminal, agent]
        }
        if key == .ctrl("r") { return [.repaint] }
        if let overlay = state.overlay { return overlayKey(&state, overlay, key) }
        state.notice = nil
        if key == .ctrl("c"), let hint = quitHint(state) {
            state.notice = Notice(hint)
            return []
        }
        if let effects = vaultViewKey(&state, key) { return effects }
        switch state.screen {
        case .login(var form):
            let effects = LoginScreen.update(&form, &state, key)
            if case .login = state.screen { state.screen = .login(form) }
            return effects
        case .locked(var lockState):
            let effects = LockScreen.update(&lockState, &state, key)
            if case .locked = state.screen { state.screen = .locked(lockState) }
            return effects
        case .list(var list):
            let effects = OnionListScreen.update(&list, &state, key)
            if case .list = state.screen { state.screen = .list(list) }
            return effects
        case .editor(var editor):
            let effects = EditorScreen.update(&editor, &state, key)
            if case .editor = state.screen { state.screen = .editor(editor) }
            return effects
        case .cards(var cards):
            let effects = CardsScreen.update(&cards, &state, key)
            if case .cards = state.screen { state.screen = .cards(cards) }
            return effects
        case .tasks(var tasks):
            let effects = TasksScreen.update(&tasks, &state, key)
            if case .tasks = state.screen { state.screen = .tasks(tasks) }
            return effects
        case .history(var history):
            let effects = HistoryScreen.update(&history, &state, key)
            if case .history = state.screen { state.screen = .history(history) }
            return effects
        case .trash(var trash):
            let effects = TrashScreen.update(&trash, &state, key)
            if case .trash = state.screen { state.screen = .trash(trash) }
            return effects
        }
    }

    /// The keys every view of the vault shares while nothing is being typed there: Tab and
    /// 1, 2, 3, 4 switch views (the one left is wiped), q quits (or closes the read view or the
    /// open card first), ? or F1 opens the help.
    /// Nil when the key is not one of them or the screen is not such a view.
    static func vaultViewKey(_ state: inout AppState, _ key: Key) -> [AppEffect]? {
        let current: VaultView
        switch state.screen {
        case .list(let list) where !list.searching: current = .onions
        case .cards(let cards) where !cards.isTyping: current = .cards
        case .tasks(let tasks) where !tasks.isTyping: current = .tasks
        case .trash: current = .trash
        default: return nil
        }
        if key == .character("q") {
            // In a pager (the read view, an open card) q closes it, as in less; q quits elsewhere.
            if closePager(&state) { return [] }
            return quit(&state)
        }
        if key == .character("?") || key == .function(1) {
            state.overlay = .help
            return []
        }
        if key == .character("m") {
            state.overlay = .messages
            state.helpScroll = Int.max / 2  // the newest, at the end
            return []
        }
        if key == .character("v") {
            state.overlay = .account
            state.helpScroll = 0
            return []
        }
        guard let view = requestedView(key, from: current) else { return nil }
        wipeScreen(&state)
        return show(view, &state)
    }

    /// Closes the read view or the open card when one shows (its text is wiped); false when
    /// neither does.
    static func closePager(_ state: inout AppState) -> Bool {
        switch state.screen {
        case .list(var list) where list.reader != nil:
            ReaderScreen.close(&list)
            state.screen = .list(list)
            return true
        case .cards(var cards) where cards.open != nil && cards.animation == nil:
            cards.closeCard()
            state.screen = .cards(cards)
            return true
        default:
            return false
        }
    }

    /// What Ctrl-C says in the vault's views and the editor, where it does not quit (quitting
    /// is q, which never loses typing); nil on the log-in and lock screens, where it quits.
    static func quitHint(_ state: AppState) -> String? {
        switch state.screen {
        case .login, .locked:
            return nil
        case .editor:
            return "Ctrl-C does not quit: Ctrl-S saves, Esc goes back to the list, and q there quits."
        case .list(let list) where list.searching:
            return "Ctrl-C does not quit: Esc or Enter ends the search, then q quits."
        case .cards(let cards) where cards.isTyping:
            return "Ctrl-C does not quit: Esc leaves what is being typed, then q quits."
        case .tasks(let tasks) where tasks.isTyping:
            return "Ctrl-C does not quit: Esc leaves what is being typed, then q quits."
        case .list(let list) where list.reader != nil:
            return "Ctrl-C does not quit: q or Esc closes the read view, then q quits."
        case .cards(let cards) where cards.open != nil:
            return "Ctrl-C does not quit: q or Esc closes the card, then q quits."
        case .history:
            return "Ctrl-C does not quit: Esc goes back from the history, then q quits."
        case .list, .cards, .tasks, .trash:
            return "Ctrl-C does not quit: press q to quit, or Ctrl-L to lock."
        }
    }

    /// The view a key asks for (Tab cycles; 1, 2, 3, 4 pick), or nil.
    static func requestedView(_ key: Key, from current: VaultView) -> VaultView? {
        // Tab cycles through the three views of what the vault holds; from the trash it goes on
        // to the onions (Shift-Tab to the tasks).
        let all: [VaultView] = [.onions, .cards, .tasks]
        switch key {
        case .tab: return all.firstIndex(of: current).map { all[($0 + 1) % all.count] } ?? .onions
        case .backTab: return all.firstIndex(of: current).map { all[($0 + all.count - 1) % all.count] } ?? .tasks
        case .character("1"): return current == .onions ? nil : .onions
        case .character("2"): return current == .cards ? nil : .cards
        case .character("3"): return current == .tasks ? nil : .tasks
        case .character("4"): return current == .trash ? nil : .trash
        default: return nil
        }
    }

    /// Shows one of the three views of the vault.
    static func show(_ view: VaultView, _ state: inout AppState, selectingCard card: ItemID? = nil,
                     selectingTask task: UInt16? = nil) -> [AppEffect] {
        switch view {
        case .onions:
            return openList(&state, selecting: nil)
        case .cards:
            var cards = CardsState()
            CardsScreen.refresh(&cards, state.vault, selecting: card)
            state.screen = .cards(cards)
        case .tasks:
            var tasks = TasksState()
            TasksScreen.refresh(&tasks, state.vault, selecting: task)
            state.screen = .tasks(tasks)
        case .trash:
            return TrashScreen.show(&state)
        }
        return []
    }
}
