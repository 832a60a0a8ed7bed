import OnionsCore
import OnionsCrypto
import TerminalUI

/// Log in and unlock, and the snapshots that answers bring.
extension App {
    // MARK: Log in and unlock

    static func authenticated(_ state: inout AppState, _ outcome: AuthOutcome) -> [AppEffect] {
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
            if outcome.heldDraftRestored { state.heldDraft = nil }  // the session's draft now
            state.remote = vault.remote
            state.username = outcome.username
            state.lastActivity = state.now
            var resume: ResumePoint = .list(selected: nil)
            if case .locked(let lockState) = state.screen { resume = lockState.resume }
            if case .login(var form) = state.screen { form.wipe() }
            var notices: [String] = vault.issues.map { "\($0)" } + (vault.lastSyncReport?.lines ?? [])
            var effects: [AppEffect] = []
            if let draft = vault.draft, draft.kind == .card {
                effects = show(.cards, &state, selectingCard: draft.target)
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
                effects = openList(&state, selecting: selected)
            } else if case .cards(let selected) = resume {
                effects = show(.cards, &state, selectingCard: selected)
            } else if case .tasks(let selected) = resume {
                effects = show(.tasks, &state, selectingTask: selected)
            } else if case .trash = resume {
                effects = show(.trash, &state)
            } else {
                effects = openList(&state, selecting: nil)
            }
            if outcome.purpose == .signUp { notices.append("Vault created. Press n for a new onion, ? for help.") }
            if vault.isNewToThisMachine && outcome.purpose != .signUp {
                if let head = vault.headWords {
                    notices.append("The vault's latest save (\(head.count)) reads \"\(head.words)\": compare with 'onions verify' "
                        + "on another machine.")
                }
                let when = ChangeTime.text(vault.lastChanged).map { "last changed \($0)" } ?? "last change not recorded"
                notices.append("First log in on this machine: the vault is at save \(vault.vaultCounter), \(when).")
            }
            if vault.isReadOnly {
                notices.append("The vault is read-only: nothing is saved until 'onions accept-rollback' accepts what the store holds.")
            }
            if !notices.isEmpty { state.notice = Notice(notices.joined(separator: " "), isError: !vault.issues.isEmpty) }
            return effects
        }
    }

    /// Takes a newer snapshot of the vault (wiping the one it replaces) and shows it without
    /// losing the person's place: the lists are read again and the selection found again by
    /// id; the editor is left alone.
    static func adopt(_ snapshot: VaultSnapshot, _ state: inout AppState) -> [AppEffect] {
        state.vault?.wipe()
        state.vault = snapshot
        var effects: [AppEffect] = []
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
            effects = OnionListScreen.refresh(&list, &state, selecting: list.selectedID)
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
        return effects
    }

    /// A sync check ended: says what another machine changed, or that the server is away.
    static func synced(_ state: inout AppState, _ report: SyncReport?, _ remote: RemoteStatus) {
        state.syncing = false
        state.remote = remote
        guard let report else { return }
        var lines = report.lines
        if let given = report.given {
            // A machine's first sync (nothing pinned before): the head the server gave it.
            lines.insert("First sync on this machine: the vault's latest save on the server is \(given); compare "
                         + "with 'onions verify' on another machine", at: 0)
        }
        if report.given != nil && report.lines.isEmpty && report.changedLocally {
            lines.append("Updated from another machine.")
        }
        if !lines.isEmpty {
            state.notice = Notice(lines.joined(separator: "; "), isError: report.offline != nil || report.refused != nil
                                  || !report.issues.isEmpty || !report.conflicts.isEmpty)
        } else if report.changedLocally {
            state.notice = Notice("Updated from another machine.")
        }
    }
}
