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

    /// The notice for a key refused while work is in flight (before the dialog shows).
    static let stillWorking = "Still working; that key was not used."

    public static func update(_ state: inout AppState, _ message: AppMessage) -> [AppEffect] {
        let effects = handle(&state, message)
        let requested = state.requested
        state.requested = []
        return requested + effects
    }

    private static func handle(_ state: inout AppState, _ message: AppMessage) -> [AppEffect] {
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
        case .tick(let now):
            state.now = now
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
            return [.authenticate(AuthRequest(purpose: .fromAgent, username: username, password: SecretBytes(count: 0)))]
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
            answered(&state, result, snapshot)
            return []
        case .key(let key, let now):
            state.now = now
            return keyPressed(&state, key)
        case .mouse(let mouse, let now):
            state.now = now
            return MouseInput.handle(&state, mouse) { state, key in keyPressed(&state, key) }
        case .paste(var paste, let now):
            state.now = now
            defer { paste.wipe() }
            return pasted(&state, paste)
        }
    }

    /// A paste goes into the focused field whole or not at all, and never acts as keys.
    private static func pasted(_ state: inout AppState, _ paste: Paste) -> [AppEffect] {
        state.lastActivity = max(state.lastActivity, state.now)
        if let busy = state.busy {
            if !busy.shown { state.notice = Notice(stillWorking) }
            return []
        }
        guard state.overlay == nil else {
            state.notice = Notice("Answer the question first; nothing was pasted.", isError: true)
            return []
        }
        state.notice = nil
        return PasteInput.apply(paste, &state) { state, key in keyPressed(&state, key) }
    }

    private static func keyPressed(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        state.lastActivity = max(state.lastActivity, state.now)
        if key == .ctrl("l") {
            // The unlock agent of the same vault locks too (it is asked after the session's lock).
            let agent = AppEffect.lockAgent(username: state.username.isEmpty ? nil : state.username)
            if state.vault != nil { return lock(&state, notice: nil) + [agent] }
            return [.clearTerminal, agent]
        }
        if key == .ctrl("r") { return [.repaint] }
        if let busy = state.busy {
            // Refused, never queued into a screen that may be gone when the work ends. The
            // dialog says why once it is up; until then a notice does.
            if !busy.shown { state.notice = Notice(stillWorking) }
            return []
        }
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
        }
    }

    /// The keys every view of the vault shares while nothing is being typed there: Tab and
    /// 1, 2, 3 switch views (the one left is wiped), q quits, ? or F1 opens the help.
    /// Nil when the key is not one of them or the screen is not such a view.
    private static func vaultViewKey(_ state: inout AppState, _ key: Key) -> [AppEffect]? {
        let current: VaultView
        switch state.screen {
        case .list(let list) where !list.searching: current = .onions
        case .cards(let cards) where !cards.isTyping: current = .cards
        case .tasks(let tasks) where tasks.input == nil: current = .tasks
        default: return nil
        }
        if key == .character("q") { return quit(&state) }
        if key == .character("?") || key == .function(1) {
            state.overlay = .help
            return []
        }
        guard let view = requestedView(key, from: current) else { return nil }
        wipeScreen(&state)
        show(view, &state)
        return []
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
        case .tasks(let tasks) where tasks.input != nil:
            return "Ctrl-C does not quit: Esc leaves what is being typed, then q quits."
        case .list, .cards, .tasks:
            return "Ctrl-C does not quit: press q to quit, or Ctrl-L to lock."
        }
    }

    /// The view a key asks for (Tab cycles; 1, 2, 3 pick), or nil.
    static func requestedView(_ key: Key, from current: VaultView) -> VaultView? {
        let all = VaultView.allCases
        switch key {
        case .tab: return all[(all.firstIndex(of: current)! + 1) % all.count]
        case .backTab: return all[(all.firstIndex(of: current)! + all.count - 1) % all.count]
        case .character("1"): return current == .onions ? nil : .onions
        case .character("2"): return current == .cards ? nil : .cards
        case .character("3"): return current == .tasks ? nil : .tasks
        default: return nil
        }
    }

    /// Shows one of the three views of the vault.
    static func show(_ view: VaultView, _ state: inout AppState, selectingCard card: ItemID? = nil,
                     selectingTask task: UInt16? = nil) {
        switch view {
        case .onions:
            openList(&state, selecting: nil)
        case .cards:
            var cards = CardsState()
            CardsScreen.refresh(&cards, state.vault, selecting: card)
            state.screen = .cards(cards)
        case .tasks:
            var tasks = TasksState()
            TasksScreen.refresh(&tasks, state.vault, selecting: task)
            state.screen = .tasks(tasks)
        }
    }

    private static func overlayKey(_ state: inout AppState, _ overlay: Overlay, _ key: Key) -> [AppEffect] {
        switch overlay {
        case .help:
            switch key {
            case .down, .character("j"): state.helpScroll += 1
            case .up, .character("k"): state.helpScroll = max(0, state.helpScroll - 1)
            case .pageDown, .character(" "): state.helpScroll += 10
            case .pageUp: state.helpScroll = max(0, state.helpScroll - 10)
            default:
                state.overlay = nil
                state.helpScroll = 0
            }
            state.helpScroll = min(state.helpScroll, HelpOverlay.lineCount)
            return []
        case .confirmQuitLosingDraft:
            state.overlay = nil
            guard isYes(key) else { return [] }
            state.draftHeldInMemory = false
            return quit(&state)
        case .confirmDiscard:
            state.overlay = nil
            guard isYes(key) else { return [] }
            if case .editor(var editor) = state.screen {
                editor.wipe()
                state.request(.vault(.clearDraft))
                openList(&state, selecting: editor.target)
                state.notice = Notice("Changes discarded.")
            } else if case .cards(var cards) = state.screen, cards.form != nil {
                cards.form?.wipe()
                cards.form = nil
                state.screen = .cards(cards)
                state.request(.vault(.clearDraft))
                state.notice = Notice("Changes discarded.")
            }
            return []
        case .confirmDelete(let id):
            state.overlay = nil
            guard isYes(key), state.vault != nil else { return [] }
            startWork(&state, "Deleting")
            return [.vault(.deleteOnion(id))]
        case .confirmDeleteCard(let id):
            state.overlay = nil
            guard isYes(key), state.vault != nil, case .cards = state.screen else { return [] }
            startWork(&state, "Deleting")
            return [.vault(.deleteCard(id))]
        case .confirmDeleteTask(let id):
            state.overlay = nil
            guard isYes(key), let vault = state.vault, case .tasks = state.screen,
                  let base = TasksScreen.base(of: id, in: vault) else { return [] }
            startWork(&state, "Deleting")
            return [.vault(.deleteTask(base))]
        case .confirmCardPasswordIsVaultPassword:
            state.overlay = nil
            guard case .cards(var cards) = state.screen, var form = cards.form, state.vault != nil else { return [] }
            if isYes(key) {
                CardFormScreen.save(&form, &cards, &state, confirmed: true)
            } else {
                form.password.wipe()
                form.repeatPassword.wipe()
                form.focus = .password
                state.notice = Notice("Choose a card password other than the vault's.")
            }
            cards.form = form
            state.screen = .cards(cards)
            return []
        }
    }

    /// The answer yes to a (y/n) question.
    private static func isYes(_ key: Key) -> Bool { key == .character("y") || key == .character("Y") }

    // MARK: Log in, lock, unlock

    private static func authenticated(_ state: inout AppState, _ outcome: AuthOutcome) -> [AppEffect] {
        guard state.busy != nil else {
            // The key derivation was abandoned (suspend, hang-up) and its session wiped since.
            if case .success(let snapshot) = outcome.result { snapshot.wipe() }
            return []
        }
        state.busy = nil
        switch outcome.result {
        case .failure(let error):
            if case .login(var form) = state.screen {
                LoginScreen.failed(&form, &state, error, purpose: outcome.purpose)
                state.screen = .login(form)
            } else if case .locked(var lockState) = state.screen {
                lockState.password.wipe()
                state.screen = .locked(lockState)
                state.notice = Notice("\(error)", isError: true)
            }
            return []
        case .success(let vault):
            state.vault?.wipe()
            state.vault = vault
            state.draftHeldInMemory = false  // the runner gave it back to the session
            state.remote = vault.remote
            state.username = outcome.username
            state.lastActivity = state.now
            var resume: ResumePoint = .list(selected: nil)
            if case .locked(let lockState) = state.screen { resume = lockState.resume }
            if case .login(var form) = state.screen { form.wipe() }
            var notices: [String] = vault.issues.map { "\($0)" } + (vault.lastSyncReport?.lines ?? [])
            if let draft = vault.draft, draft.kind == .card {
                show(.cards, &state, selectingCard: draft.target)
                if case .cards(var cards) = state.screen {
                    var form = CardForm(target: draft.target.flatMap { id in vault.cards.contains { $0.id == id } ? id : nil })
                    form.recipient = TextField(characters(draft.title), limit: FieldLimit.cardRecipient.maxCharacters,
                                               byteLimit: FieldLimit.cardRecipient.maxBytes)
                    form.description = TextArea(characters(draft.info), limit: FieldLimit.cardDescription.maxCharacters,
                                                byteLimit: FieldLimit.cardDescription.maxBytes, width: 40, height: 6)
                    form.focus = .description
                    form.dirty = true
                    cards.form = form
                    state.screen = .cards(cards)
                }
                notices.append(outcome.purpose == .unlock ? "Type the card's password again to save it."
                                                          : "Restored an unsaved card.")
            } else if let draft = vault.draft {
                let target = draft.target.flatMap { id in vault.onions.contains { $0.id == id } ? id : nil }
                var editor = EditorState(target: target, title: characters(draft.title), info: characters(draft.info))
                editor.dirty = true
                if case .editor(_, let place) = resume {
                    EditorScreen.fit(&editor, state.size)
                    place.restore(&editor)
                }
                state.screen = .editor(editor)
                if outcome.purpose != .unlock { notices.append("Restored an unsaved draft.") }
            } else if case .list(let selected) = resume {
                openList(&state, selecting: selected)
            } else if case .cards(let selected) = resume {
                show(.cards, &state, selectingCard: selected)
            } else if case .tasks(let selected) = resume {
                show(.tasks, &state, selectingTask: selected)
            } else {
                openList(&state, selecting: nil)
            }
            if outcome.purpose == .signUp { notices.append("Vault created. Press n for a new onion, ? for help.") }
            if vault.isNewToThisMachine && outcome.purpose != .signUp {
                let when = ChangeTime.text(vault.lastChanged).map { "last changed \($0)" } ?? "last change not recorded"
                notices.append("First log in on this machine: the vault is at save \(vault.vaultCounter), \(when).")
            }
            if vault.isReadOnly {
                notices.append("The vault is read-only: nothing is saved until 'onions accept-rollback' accepts what the store holds.")
            }
            if !notices.isEmpty { state.notice = Notice(notices.joined(separator: " "), isError: !vault.issues.isEmpty) }
            return []
        }
    }

    /// Takes a newer snapshot of the vault (wiping the one it replaces) and shows it without
    /// losing the person's place: the lists are read again and the selection found again by
    /// id; the editor is left alone.
    static func adopt(_ snapshot: VaultSnapshot, _ state: inout AppState) {
        state.vault?.wipe()
        state.vault = snapshot
        switch state.screen {
        case .list(var list):
            list.preview?.info.wipe()
            list.preview = nil
            list.previewAsked = nil
            list.forgetSearchSteps()
            if let reader = list.reader, !snapshot.onions.contains(where: { $0.id == reader.id }) {
                ReaderScreen.close(&list)
                state.notice = Notice("The onion shown was deleted by another program.")
            }
            OnionListScreen.refresh(&list, &state, selecting: list.selectedID)
            state.screen = .list(list)
        case .cards(var cards):
            if let open = cards.open, !snapshot.cards.contains(where: { $0.id == open.id }) { cards.closeCard() }
            CardsScreen.refresh(&cards, snapshot, selecting: cards.selectedID)
            state.screen = .cards(cards)
        case .tasks(var tasks):
            TasksScreen.refresh(&tasks, snapshot, selecting: tasks.selectedID)
            state.screen = .tasks(tasks)
        default:
            break
        }
    }

    /// A sync check ended: says what another machine changed, or that the server is away.
    static func synced(_ state: inout AppState, _ report: SyncReport?, _ remote: RemoteStatus) {
        state.syncing = false
        state.remote = remote
        guard let report else { return }
        let lines = report.lines
        if !lines.isEmpty {
            state.notice = Notice(lines.joined(separator: "; "), isError: report.offline != nil || report.refused != nil
                                  || !report.issues.isEmpty || !report.conflicts.isEmpty)
        } else if report.changedLocally {
            state.notice = Notice("Updated from another machine.")
        }
    }

    /// Wipes every plaintext on screen and the snapshot, shows the lock screen, and asks the
    /// runner to seal any unsaved draft and then wipe the session (after the work in flight).
    static func lock(_ state: inout AppState, notice: Notice?) -> [AppEffect] {
        guard state.vault != nil else { return [.clearTerminal] }
        var resume: ResumePoint = .list(selected: nil)
        var draft: Draft?
        switch state.screen {
        case .list(var list):
            resume = .list(selected: list.selectedID)
            list.wipe()
        case .editor(var editor):
            resume = .editor(target: editor.target, place: EditorPlace(editor))
            if editor.dirty {
                draft = Draft(target: editor.target, title: secretText(editor.title.characters),
                              info: secretText(editor.info.characters))
            } else {
                resume = .list(selected: editor.target)
            }
            editor.wipe()
        case .cards(var cards):
            resume = .cards(selected: cards.selectedID)
            if let form = cards.form, form.dirty {
                // The password fields are never sealed: they are typed again after unlock.
                draft = Draft(kind: .card, target: form.target, title: secretText(form.recipient.characters),
                              info: secretText(form.description.characters))
            }
            cards.wipe()
        case .tasks(var tasks):
            resume = .tasks(selected: tasks.selectedID)
            tasks.wipe()
        case .login, .locked:
            break
        }
        state.vault?.wipe()
        state.vault = nil
        state.busy = nil
        state.syncing = false
        state.overlay = nil
        state.screen = .locked(LockState(resume: resume))
        state.notice = notice
        return [.vault(.lock(draft: draft)), .clearTerminal]
    }

    /// Nothing is unlocked but a key derivation may be running: its answer will be dropped,
    /// and whatever session it opens is wiped.
    private static func abandonWork(_ state: inout AppState) -> [AppEffect] {
        state.busy = nil
        return [.vault(.lock(draft: nil)), .clearTerminal]
    }

    private static func isLocked(_ state: AppState) -> Bool {
        if case .locked = state.screen { return true }
        return false
    }

    /// Password fields typed on the log-in and lock screens (nothing is unlocked there).
    private static func wipeUnlockedInput(_ state: inout AppState) {
        switch state.screen {
        case .login(var form):
            form.password.wipe()
            form.repeatPassword.wipe()
            state.screen = .login(form)
        case .locked(var lockState):
            lockState.password.wipe()
            state.screen = .locked(lockState)
        default: break
        }
    }

    /// Leaves the program: wipes what is shown and has the session wiped first. While a draft
    /// the store would not take is held in memory, asks first (quitting loses it).
    static func quit(_ state: inout AppState) -> [AppEffect] {
        if state.draftHeldInMemory {
            state.overlay = .confirmQuitLosingDraft
            return []
        }
        wipeScreen(&state)
        state.vault?.wipe()
        state.vault = nil
        state.wantsQuit = true
        return [.vault(.lock(draft: nil)), .clearTerminal, .quit]
    }

    // MARK: Shared helpers

    /// Work on the vault the person waits for: keys are refused until its answer.
    static func startWork(_ state: inout AppState, _ label: String) {
        state.busy = Busy(label: label, since: state.now, shown: false)
    }

    /// ", by title" in a list's header when the vault's order is not the default one.
    static func orderSuffix(_ vault: VaultSnapshot?) -> String {
        guard let order = vault?.order, order != .newestChange else { return "" }
        return ", by \(order.name)"
    }

    /// The answer came: keys work again.
    static func finishWork(_ state: inout AppState) {
        state.busy = nil
        if state.notice?.text == stillWorking { state.notice = nil }
    }

    /// Wipes what the current view holds (texts typed or opened) before it is left.
    static func wipeScreen(_ state: inout AppState) {
        switch state.screen {
        case .list(var list): list.wipe(); state.screen = .list(list)
        case .cards(var cards): cards.wipe(); state.screen = .cards(cards)
        case .tasks(var tasks): tasks.wipe(); state.screen = .tasks(tasks)
        case .editor(var editor): editor.wipe(); state.screen = .editor(editor)
        default: break
        }
    }

    /// Shows the onion list, selecting `id` when it is there.
    static func openList(_ state: inout AppState, selecting id: ItemID?) {
        var list = OnionListState()
        OnionListScreen.refresh(&list, &state, selecting: id)
        state.screen = .list(list)
    }

    /// Graphemes of secret UTF-8 (for the editor's fields).
    static func characters(_ text: SecretBytes) -> [Character] {
        text.withUnsafeBytes { Array(String(decoding: $0, as: UTF8.self)) }
    }

    /// Secret UTF-8 of the editor's graphemes.
    static func secretText(_ characters: [Character]) -> SecretBytes {
        var size = 0
        for c in characters { for s in c.unicodeScalars { size += UTF8.width(s) } }
        let out = SecretBytes(count: 0, capacity: max(size, 1))
        for c in characters { for s in c.unicodeScalars { for b in s.utf8 { out.append(byte: b) } } }
        return out
    }
}
