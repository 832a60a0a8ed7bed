import OnionsCore
import OnionsCrypto
import TerminalUI

/// Lock, suspend, hang-up and quit: what is on screen and typed ahead is wiped.
extension App {
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
        case .history(var history):
            // Back where the history was opened, the item selected (its versions are wiped).
            switch history.item {
            case .onion(let id): resume = .list(selected: id)
            case .card(let id): resume = .cards(selected: id)
            case .task(let n): resume = .tasks(selected: n)
            }
            history.wipe()
        case .trash(var trash):
            resume = .trash
            trash.wipe()
        case .login, .locked:
            break
        }
        state.vault?.wipe()
        state.vault = nil
        state.busy = nil
        state.syncing = false
        state.overlay = nil
        state.pasteRest?.wipe()
        state.pasteRest = nil
        state.screen = .locked(LockState(resume: resume))
        // Notices may name onions and cards: the messages go with the rest.
        state.messages.removeAll()
        state.notice = notice
        let setAside = state.queued.wipe()
        if setAside > 0 {
            let said = setAside == 1 ? "1 key typed while locking was set aside (wiped, not used)."
                                     : "\(setAside) keys typed while locking were set aside (wiped, not used)."
            state.notice = Notice([notice?.text, said].compactMap { $0 }.joined(separator: " "))
        }
        return [.vault(.lock(draft: draft)), .clearTerminal]
    }

    /// Ctrl-L with input waiting: the waiting keys and pastes that edit the open draft (the
    /// editor's, or the card form's recipient and description), from the oldest on, are applied
    /// to it now so that the draft sealed holds them; the first that would do anything else ends
    /// that, and it and the rest are set aside by `lock`.
    static func applyQueuedDraftInput(_ state: inout AppState) -> [AppEffect] {
        state.busy = nil  // the lock that follows drops the work's answer anyway
        var effects: [AppEffect] = []
        while state.overlay == nil, let item = state.queued.first, editsDraft(item, state.screen) {
            guard let message = state.queued.takeFirst() else { break }
            effects += handle(&state, message)
        }
        return effects
    }

    /// True for a waiting key or paste that only edits the text of the draft on `screen`.
    static func editsDraft(_ item: InputQueue.Item, _ screen: Screen) -> Bool {
        let inDescription: Bool
        switch screen {
        case .editor: inDescription = true
        case .cards(let cards):
            guard let form = cards.form, form.focus == .recipient || form.focus == .description else { return false }
            inDescription = form.focus == .description
        default: return false
        }
        switch item {
        case .character, .paste: return true
        case .mouse: return false
        case .key(let key, _):
            switch key {
            case .enter: return inDescription
            case .backspace, .delete, .left, .right, .up, .down, .home, .end, .pageUp, .pageDown,
                 .ctrlLeft, .ctrlRight, .ctrlHome, .ctrlEnd, .altBackspace:
                return true
            default: return false
            }
        }
    }

    /// Nothing is unlocked but a key derivation may be running: its answer will be dropped,
    /// and whatever session it opens is wiped.
    static func abandonWork(_ state: inout AppState) -> [AppEffect] {
        state.busy = nil
        state.queued.wipe()
        return [.vault(.lock(draft: nil)), .clearTerminal]
    }

    static func isLocked(_ state: AppState) -> Bool {
        if case .locked = state.screen { return true }
        return false
    }

    /// Password fields typed on the log-in and lock screens (nothing is unlocked there).
    static func wipeUnlockedInput(_ state: inout AppState) {
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
}
