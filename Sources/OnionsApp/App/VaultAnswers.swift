import OnionsCore
import OnionsCrypto

extension App {
    /// Takes the answer of a `.vault` effect: adopts the snapshot that came with it, then
    /// shows what the work came to on the screen that asked for it.
    ///
    /// Answers that arrive after a lock find no vault: their secrets and snapshot are wiped
    /// and nothing else changes (the lock's own answer only corrects where to resume).
    ///
    /// A change that went through is then pushed to the server, when there is one, as an
    /// effect of its own (`.sync`): the save never waited on the network.
    static func answered(_ state: inout AppState, _ result: VaultResult, _ snapshot: VaultSnapshot?) -> [AppEffect] {
        let effects = shown(&state, result, snapshot)
        guard state.vault != nil, state.remote.configured, result.changedTheVault else { return effects }
        state.syncing = true
        state.lastSyncCheck = state.now
        return effects + [.vault(.sync)]
    }

    private static func shown(_ state: inout AppState, _ result: VaultResult, _ snapshot: VaultSnapshot?) -> [AppEffect] {
        if case .locked(let draftSealed, let held) = result {
            if held != nil && !state.draftHeldInMemory, case .locked = state.screen {
                state.notice = Notice("The store would not take your draft; it is kept sealed in memory and comes "
                                      + "back when you unlock.", isError: true)
            }
            if let held { state.heldDraft = held }
            if !draftSealed, case .locked(var lockState) = state.screen, case .editor(let target, _) = lockState.resume {
                lockState.resume = .list(selected: target)
                state.screen = .locked(lockState)
            }
            return []
        }
        guard state.vault != nil else {
            result.wipe()
            snapshot?.wipe()
            return []
        }
        let effects = snapshot.map { adopt($0, &state) } ?? []
        return effects + shown(&state, result)
    }

    /// Shows what the work came to (after the snapshot that came with it was adopted).
    private static func shown(_ state: inout AppState, _ result: VaultResult) -> [AppEffect] {
        switch result {
        case .synced(let report, let remote, let peersWrote):
            synced(&state, report, remote)
            // Said only when nothing else is: it must not hide the answer to the person's own work.
            if peersWrote, report?.lines.isEmpty ?? true, state.notice == nil {
                state.notice = Notice("Updated with what another program saved.")
            }
        case .searched(let query, let ids):
            guard case .list(var list) = state.screen, OnionListScreen.query(list) == query else { return [] }
            let found = Set(ids)
            list.searchSteps.append((query, state.vault?.onions.filter { found.contains($0.id) } ?? []))
            let effects = OnionListScreen.refresh(&list, &state, selecting: nil)
            state.screen = .list(list)
            return effects
        case .info(let id, .preview, let opened):
            guard case .success(let info) = opened else { return [] }
            guard case .list(var list) = state.screen, list.selectedID == id, list.previewAsked == id else {
                info.wipe()
                return []
            }
            list.preview?.info.wipe()
            list.preview = (id, info)
            state.screen = .list(list)
        case .info(_, .edit, let opened):
            // The runner answers an opening for the editor with `.openedForEdit` (with its base).
            finishWork(&state)
            if case .success(let info) = opened { info.wipe() }
        case .openedForEdit(let id, let opened):
            finishWork(&state)
            switch opened {
            case .success(let (info, base)):
                defer { info.wipe() }
                guard case .list(var list) = state.screen, let vault = state.vault,
                      let onion = vault.onions.first(where: { $0.id == id }) else {
                    base?.wipe()
                    return []
                }
                let title = vault.texts.withBytes(onion.title) { Array(String(decoding: $0, as: UTF8.self)) }
                list.wipe()
                state.screen = .editor(EditorState(target: id, title: title, info: characters(info), base: base))
            case .failure(let error):
                state.notice = Notice("\(error)", isError: true)
            }
        case .info(let id, .read, let opened):
            finishWork(&state)
            switch opened {
            case .success(let info):
                guard case .list(var list) = state.screen, state.vault?.onions.contains(where: { $0.id == id }) == true else {
                    info.wipe()
                    return []
                }
                ReaderScreen.open(&list, state, id: id, info: info)
                state.screen = .list(list)
            case .failure(let error):
                state.notice = Notice("\(error)", isError: true)
            }
        case .info(_, .copy, let opened):
            finishWork(&state)
            switch opened {
            case .success(let info):
                defer { info.wipe() }
                return Clipboard.copy(info, &state)
            case .failure(let error):
                state.notice = Notice("\(error)", isError: true)
            }
        case .onionSaved(let saved, let outcome, let base):
            finishWork(&state)
            guard case .editor(var editor) = state.screen else {
                base?.wipe()
                return []
            }
            editor.base = base
            state.screen = .editor(editor)
            return EditorScreen.saved(&editor, &state, saved, outcome)
        case .onionAdded(let added, let title):
            finishWork(&state)
            switch added {
            case .success: state.notice = Notice("The rest of the paste is saved as the onion “\(title)”.")
            case .failure(let error): state.notice = Notice("The rest of the paste was not saved: \(error)", isError: true)
            }
        case .onionDeleted(let deleted):
            finishWork(&state)
            switch deleted {
            case .success:
                let effects = openList(&state, selecting: nil)
                state.notice = Notice("Onion deleted.")
                return effects
            case .failure(let error):
                state.notice = Notice("\(error)", isError: true)
            }
        case .cardOpened(let id, let opened):
            finishWork(&state)
            guard case .cards(var cards) = state.screen, cards.selectedID == id else {
                result.wipe()
                return []
            }
            CardsScreen.opened(&cards, &state, id, opened)
            state.screen = .cards(cards)
        case .cardPasswordIsVaultPassword:
            finishWork(&state)
            guard case .cards(let cards) = state.screen, cards.form != nil else { return [] }
            state.overlay = .confirmCardPasswordIsVaultPassword
        case .cardSaved(let saved, let outcome):
            finishWork(&state)
            guard case .cards(var cards) = state.screen else { return [] }
            CardFormScreen.saved(&cards, &state, saved, outcome)
            state.screen = .cards(cards)
        case .cardDeleted(let deleted):
            finishWork(&state)
            guard case .cards(var cards) = state.screen else { return [] }
            switch deleted {
            case .success:
                cards.closeCard()
                CardsScreen.refresh(&cards, state.vault, selecting: nil)
                state.notice = Notice("Card deleted.")
            case .failure(let error):
                state.notice = Notice("\(error)", isError: true)
            }
            state.screen = .cards(cards)
        case .taskSaved(let saved, let outcome):
            finishWork(&state)
            guard case .tasks(var tasks) = state.screen else { return [] }
            TasksScreen.saved(&tasks, &state, saved, outcome)
            state.screen = .tasks(tasks)
        case .taskDeleted(let deleted):
            finishWork(&state)
            guard case .tasks(var tasks) = state.screen else { return [] }
            switch deleted {
            case .success(let gone):
                TasksScreen.refresh(&tasks, state.vault, selecting: nil)
                state.notice = Notice(gone ? "Task deleted."
                                           : "Another program had changed this task; it is kept (delete it again to drop it).")
            case .failure(let error):
                state.notice = Notice("\(error)", isError: true)
            }
            state.screen = .tasks(tasks)
        case .settingsChanged(let change, let result):
            finishWork(&state)
            switch result {
            case .success: state.notice = change.done.map { Notice($0) }
            case .failure(let error): state.notice = Notice("\(error)", isError: true)
            }
        case .undone, .historyOpened, .versionOpened, .versionRestored, .trashListed, .restoredFromTrash,
             .otherSideRestored:
            return historyShown(&state, result)
        case .draftCleared, .locked:
            break
        }
        return []
    }
}

extension VaultResult {
    /// True for the answer of a change that went through (worth pushing to a server).
    var changedTheVault: Bool {
        switch self {
        case .onionSaved(.success, _, _), .onionAdded(.success, _), .onionDeleted(.success), .cardSaved(.success, _), .cardDeleted(.success),
             .taskSaved(.success, _), .taskDeleted(.success), .settingsChanged(_, .success), .undone(.success(_?)),
             .versionRestored(_, _, .success), .restoredFromTrash(.success), .otherSideRestored(.success):
            return true
        default:
            return false
        }
    }
}
