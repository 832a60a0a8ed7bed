import Glibc
import OnionsCore
import OnionsCrypto

/// How the runner answers each vault request on the session (on the worker's thread).
extension EffectRunner {
    func run(_ request: VaultRequest, _ session: Session, caughtUp: Bool) -> AppMessage {
        switch request {
        case .saveOnion(let id, let title, let info, let base):
            var outcome = PeerSaveOutcome.saved
            let result = Result<ItemID, any Error> {
                let saved = try session.saveOnion(id: id, title: title, info: info, since: base)
                outcome = saved.outcome
                try? session.afterPeers { try session.clearDraft() }
                return saved.id
            }
            if case .success = result { base?.wipe() }
            return .vault(.onionSaved(result, outcome, base: result.isSuccess ? nil : base), changed(result))
        case .addOnion(let title, let info):
            let name = String(decoding: title.withUnsafeBytes { Array($0) }, as: UTF8.self)
            let result = Result<ItemID, any Error> {
                try session.afterPeers { try session.saveOnion(id: nil, title: title, info: info, since: nil).id }
            }
            return .vault(.onionAdded(result, title: name), changed(result))
        case .deleteOnion(let id):
            let result = Result<ItemID, any Error> { try session.afterPeers { try session.deleteOnion(id) }; return id }
            return .vault(.onionDeleted(result), changed(result))
        case .openInfo(let id, let use):
            var reloaded = false
            let opened = Result<SecretBytes, any Error> {
                let answer = try session.infoAfterPeers(of: id)
                reloaded = answer.reloaded
                return answer.info
            }
            let snapshot = reloaded ? session.snapshot() : nil
            if use == .edit {
                return .vault(.openedForEdit(id, opened.map { ($0, session.editBase(of: id, info: $0)) }), snapshot)
            }
            return .vault(.info(id, use, opened), snapshot)
        case .search(let query, let within):
            let among = within.map { ids in session.onions.filter { ids.contains($0.id) } }
            return .vault(.searched(query: query, ids: session.searchOnions(query, within: among).map(\.id)), nil)
        case .openCard(let id, let password):
            do {
                let description = try session.openCard(id, password: password)
                return .vault(.cardOpened(id, .success((description, password.copy(), session.cardBase(of: id)))), nil)
            } catch {
                return .vault(.cardOpened(id, .failure(error)), nil)
            }
        case .saveCard(let card, let confirmed, let base):
            if !confirmed, (try? session.isVaultPassword(card.password)) == true {
                return .vault(.cardPasswordIsVaultPassword, nil)
            }
            var outcome = PeerSaveOutcome.saved
            let result = Result<ItemID, any Error> {
                let saved = try session.saveCard(id: card.id, recipient: card.recipient, description: card.description,
                                                 cardPassword: card.password, since: base)
                outcome = saved.outcome
                try? session.afterPeers { try session.clearDraft() }
                return saved.id
            }
            return .vault(.cardSaved(result, outcome), changed(result))
        case .deleteCard(let id):
            let result = Result<ItemID, any Error> { try session.afterPeers { try session.deleteCard(id) }; return id }
            return .vault(.cardDeleted(result), changed(result))
        case .saveTask(let base, let text):
            var outcome = PeerSaveOutcome.saved
            let result = Result<UInt16, any Error> {
                guard let base else { return try session.afterPeers { try session.addTask(text) } }
                let saved = try session.saveTask(text: text, done: nil, since: base)
                outcome = saved.outcome
                return saved.id
            }
            return .vault(.taskSaved(result, outcome), changed(result))
        case .setTask(let base, let done):
            var outcome = PeerSaveOutcome.saved
            let result = Result<UInt16, any Error> {
                let saved = try session.saveTask(text: nil, done: done, since: base)
                outcome = saved.outcome
                return saved.id
            }
            return .vault(.taskSaved(result, outcome), changed(result))
        case .deleteTask(let base):
            let result = Result<Bool, any Error> { try session.deleteTask(since: base) }
            return .vault(.taskDeleted(result), changed(result))
        case .clearDraft:
            try? session.afterPeers { try session.clearDraft() }
            return .vault(.draftCleared, nil)
        case .changeSettings(let change):
            let result = Result<Void, any Error> {
                try session.afterPeers {
                    switch change {
                    case .order(let order): try session.setListOrder(order)
                    case .pin(let id, let pinned): try session.setPinned(id, pinned)
                    case .moveTask(let id, let offset, let among): try session.moveTask(id, by: offset, among: among)
                    }
                }
            }
            return .vault(.settingsChanged(change, result), changed(result))
        case .sync:
            var report: SyncReport?
            if session.pollRemote(timeoutMs: 0) { report = try? session.syncNow() }
            return .vault(.synced(report, session.remoteStatus, peersWrote: caughtUp),
                          report?.changedLocally == true ? session.snapshot() : nil)
        case .undoDelete, .history, .openVersion, .restoreVersion, .trash, .restoreFromTrash, .restoreOtherSide:
            return runHistory(request, session)
        case .lock:
            fatalError("handled above")
        }
    }

    /// A new snapshot after a change that went through; nil after a failed one.
    func changed<T>(_ result: Result<T, any Error>) -> VaultSnapshot? {
        guard case .success = result, let session else { return nil }
        return session.snapshot()
    }

    /// The answer to a request that came after the session was wiped.
    func unanswered(_ request: VaultRequest) -> VaultResult {
        let locked = Result<ItemID, any Error>.failure(VaultError.locked)
        switch request {
        case .saveOnion(_, _, _, let base): return .onionSaved(locked, .saved, base: base)
        case .deleteOnion: return .onionDeleted(locked)
        case .addOnion: return .onionAdded(locked, title: "")
        case .openInfo(let id, .edit): return .openedForEdit(id, .failure(VaultError.locked))
        case .openInfo(let id, let use): return .info(id, use, .failure(VaultError.locked))
        case .search(let query, _): return .searched(query: query, ids: [])
        case .openCard(let id, _): return .cardOpened(id, .failure(VaultError.locked))
        case .saveCard: return .cardSaved(locked, .saved)
        case .deleteCard: return .cardDeleted(locked)
        case .saveTask, .setTask: return .taskSaved(.failure(VaultError.locked), .saved)
        case .deleteTask: return .taskDeleted(.failure(VaultError.locked))
        case .clearDraft: return .draftCleared
        case .changeSettings(let change): return .settingsChanged(change, .failure(VaultError.locked))
        case .sync: return .synced(nil, RemoteStatus(), peersWrote: false)
        case .lock: return .locked(draftSealed: false, held: nil)
        case .undoDelete: return .undone(.failure(VaultError.locked))
        case .history(let item, _): return .historyOpened(item, .failure(VaultError.locked))
        case .openVersion(let item, _, _): return .versionOpened(item, .failure(VaultError.locked))
        case .restoreVersion(let item, let version): return .versionRestored(item, number: version.number, .failure(VaultError.locked))
        case .trash: return .trashListed(.failure(VaultError.locked))
        case .restoreFromTrash: return .restoredFromTrash(.failure(VaultError.locked))
        case .restoreOtherSide: return .otherSideRestored(.failure(VaultError.locked))
        }
    }

    /// True when the store already holds exactly the onion `draft` carries (a lock asked for
    /// while the save of the same text was in flight: the draft needs no sealing then). A new
    /// onion's draft is looked for by its title.
    func storeHolds(_ draft: Draft, _ session: Session) -> Bool {
        guard draft.kind == .onion else { return false }
        let sameTitle = session.onions.filter { onion in
            guard draft.target == nil || onion.id == draft.target else { return false }
            return session.texts.withBytes(onion.title) { title in
                draft.title.withUnsafeBytes { title.elementsEqual($0) }
            }
        }
        for onion in sameTitle {
            guard let info = try? session.info(of: onion.id) else { continue }
            defer { info.wipe() }
            if info.count == draft.info.count && info.constantTimeEquals(draft.info) { return true }
        }
        return false
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
