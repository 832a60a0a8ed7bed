import OnionsCore
import OnionsCrypto
import TerminalUI

/// The program's behaviour: `update` turns a message into a new state and effects, `render`
/// draws a state. Neither touches the terminal; the loop (`AppLoop`) and the tests drive them.
///
/// Vault calls (save, delete, open an info) go through the session synchronously: they are
/// quick local store transactions. Only the slow key derivation runs in the background, as the
/// `.authenticate` effect.
public enum App {
    /// The smallest terminal any screen is laid out for; below it a notice says so.
    public static let minimumSize = Size(width: 24, height: 6)

    public static func update(_ state: inout AppState, _ message: AppMessage) -> [AppEffect] {
        switch message {
        case .resize(let size):
            state.size = size
            if case .editor(var editor) = state.screen {
                EditorScreen.fit(&editor, size)
                state.screen = .editor(editor)
            }
            return []
        case .tick(let now):
            state.tickCount += 1
            if case .cards(var cards) = state.screen, cards.animation != nil {
                CardsScreen.tick(&cards)
                state.screen = .cards(cards)
            }
            let cleared = Clipboard.tick(&state, now: now)
            if state.session != nil, now - state.lastActivity >= state.lockAfter {
                return cleared + lock(&state, notice: Notice("Locked after \(Int(state.lockAfter)) s without a key."))
            }
            return cleared
        case .suspendRequested:
            var effects = state.session != nil ? lock(&state, notice: nil) : [.clearTerminal]
            wipeUnlockedInput(&state)
            effects.append(.suspend)
            return effects
        case .resumed:
            state.notice = state.session == nil && isLocked(state) ? Notice("Locked while suspended.") : nil
            return [.clearTerminal]
        case .hangup, .terminate:
            var effects = state.session != nil ? lock(&state, notice: nil) : []
            wipeUnlockedInput(&state)
            effects.append(.quit)
            return effects
        case .authenticated(let outcome):
            return authenticated(&state, outcome)
        case .synced(let report):
            synced(&state, report)
            return []
        case .key(let key):
            return keyPressed(&state, key)
        }
    }

    private static func keyPressed(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        state.lastActivity = max(state.lastActivity, BootClock.now())
        if key == .ctrl("l") {
            if state.session != nil { return lock(&state, notice: nil) }
            return [.clearTerminal]
        }
        if state.busy != nil { return [] }  // keys wait while the key derivation runs
        if let overlay = state.overlay { return overlayKey(&state, overlay, key) }
        state.notice = nil
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
            CardsScreen.refresh(&cards, state.session, selecting: card)
            state.screen = .cards(cards)
        case .tasks:
            var tasks = TasksState()
            TasksScreen.refresh(&tasks, state.session, selecting: task)
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
        case .confirmDiscard:
            state.overlay = nil
            guard isYes(key) else { return [] }
            if case .editor(var editor) = state.screen {
                editor.wipe()
                try? state.session?.clearDraft()
                openList(&state, selecting: editor.target)
                state.notice = Notice("Changes discarded.")
            }
            return []
        case .confirmDelete(let id):
            state.overlay = nil
            guard isYes(key), let session = state.session else { return [] }
            do {
                try session.deleteOnion(id)
                openList(&state, selecting: nil)
                state.notice = Notice("Onion deleted.")
            } catch {
                state.notice = Notice("\(error)", isError: true)
            }
            return []
        case .confirmDeleteCard(let id):
            state.overlay = nil
            guard isYes(key), let session = state.session,
                  case .cards(var cards) = state.screen else { return [] }
            do {
                try session.deleteCard(id)
                cards.closeCard()
                CardsScreen.refresh(&cards, session, selecting: nil)
                state.screen = .cards(cards)
                state.notice = Notice("Card deleted.")
            } catch {
                state.notice = Notice("\(error)", isError: true)
            }
            return []
        case .confirmDeleteTask(let id):
            state.overlay = nil
            guard isYes(key), let session = state.session,
                  case .tasks(var tasks) = state.screen else { return [] }
            do {
                try session.deleteTask(id)
                TasksScreen.refresh(&tasks, session, selecting: nil)
                state.screen = .tasks(tasks)
                state.notice = Notice("Task deleted.")
            } catch {
                state.notice = Notice("\(error)", isError: true)
            }
            return []
        case .confirmCardPasswordIsVaultPassword:
            state.overlay = nil
            guard case .cards(var cards) = state.screen, var form = cards.form, let session = state.session else { return [] }
            if isYes(key) {
                CardFormScreen.save(&form, &cards, &state, session, confirmed: true)
                if cards.form != nil { cards.form = form }
            } else {
                form.password.wipe()
                form.repeatPassword.wipe()
                form.focus = .password
                cards.form = form
                state.notice = Notice("Choose a card password other than the vault's.")
            }
            state.screen = .cards(cards)
            return []
        }
    }

    /// The answer yes to a (y/n) question.
    private static func isYes(_ key: Key) -> Bool { key == .character("y") || key == .character("Y") }

    // MARK: Log in, lock, unlock

    private static func authenticated(_ state: inout AppState, _ outcome: AuthOutcome) -> [AppEffect] {
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
        case .success(let session):
            state.session = session
            state.username = outcome.username
            state.lastActivity = BootClock.now()
            var resume: ResumePoint = .list(selected: nil)
            if case .locked(let lockState) = state.screen { resume = lockState.resume }
            if case .login(var form) = state.screen { form.wipe() }
            var notices: [String] = session.issues.map { "\($0)" } + (session.lastSyncReport?.lines ?? [])
            if let draft = session.draft {
                let target = draft.target.flatMap { id in session.onions.contains { $0.id == id } ? id : nil }
                var editor = EditorState(target: target, title: characters(draft.title), info: characters(draft.info))
                editor.dirty = true
                if case .editor(_, let infoFocused) = resume, infoFocused { editor.focus = .info }
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
            if !notices.isEmpty { state.notice = Notice(notices.joined(separator: " "), isError: !session.issues.isEmpty) }
            return []
        }
    }

    /// Shows what another machine changed without losing the person's place: the lists are
    /// read again and the selection found again by id; the editor is left alone.
    static func synced(_ state: inout AppState, _ report: SyncReport) {
        guard let session = state.session else { return }
        if report.changedLocally {
            switch state.screen {
            case .list(var list):
                list.preview?.info.wipe()
                list.preview = nil
                list.forgetSearchSteps()
                OnionListScreen.refresh(&list, session, selecting: list.selectedID)
                state.screen = .list(list)
            case .cards(var cards):
                if let open = cards.open, !session.cards.contains(where: { $0.id == open.id }) { cards.closeCard() }
                CardsScreen.refresh(&cards, session, selecting: cards.selectedID)
                state.screen = .cards(cards)
            case .tasks(var tasks):
                TasksScreen.refresh(&tasks, session, selecting: tasks.selectedID)
                state.screen = .tasks(tasks)
            default:
                break
            }
        }
        let lines = report.lines
        if !lines.isEmpty {
            state.notice = Notice(lines.joined(separator: "; "), isError: report.offline != nil || report.refused != nil
                                  || !report.issues.isEmpty || !report.conflicts.isEmpty)
        } else if report.changedLocally {
            state.notice = Notice("Updated from another machine.")
        }
    }

    /// Seals any unsaved draft into the store, wipes the session and every plaintext on screen,
    /// and shows the lock screen.
    static func lock(_ state: inout AppState, notice: Notice?) -> [AppEffect] {
        guard let session = state.session else { return [.clearTerminal] }
        var resume: ResumePoint = .list(selected: nil)
        switch state.screen {
        case .list(var list):
            resume = .list(selected: list.selectedID)
            list.wipe()
        case .editor(var editor):
            resume = .editor(target: editor.target, infoFocused: editor.focus == .info)
            if editor.dirty {
                let draft = Draft(target: editor.target, title: secretText(editor.title.characters),
                                  info: secretText(editor.info.characters))
                do { try session.saveDraft(draft) } catch { resume = .list(selected: editor.target) }
                draft.wipe()
            } else {
                resume = .list(selected: editor.target)
            }
            editor.wipe()
        case .cards(var cards):
            resume = .cards(selected: cards.selectedID)
            cards.wipe()
        case .tasks(var tasks):
            resume = .tasks(selected: tasks.selectedID)
            tasks.wipe()
        case .login, .locked:
            break
        }
        session.lock()
        state.session = nil
        state.overlay = nil
        state.screen = .locked(LockState(resume: resume))
        state.notice = notice
        return [.clearTerminal]
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

    /// Leaves the program: wipes the session first.
    static func quit(_ state: inout AppState) -> [AppEffect] {
        wipeScreen(&state)
        state.session?.lock()
        state.session = nil
        state.wantsQuit = true
        return [.clearTerminal, .quit]
    }

    // MARK: Shared helpers

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
        OnionListScreen.refresh(&list, state.session, selecting: id)
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
