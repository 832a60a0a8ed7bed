import OnionsCore
import OnionsCrypto

/// How the runner answers the requests of the history and Trash views and of undo.
extension EffectRunner {
    func runHistory(_ request: VaultRequest, _ session: Session) -> AppMessage {
        switch request {
        case .undoDelete:
            let result = Result<ItemRef?, any Error> { try session.afterPeers { try undoDelete(session) } }
            if case .success(.none) = result { return .vault(.undone(result), nil) }
            return .vault(.undone(result), changed(result))
        case .history(let item, let password):
            let result = Result<HistoryListing, any Error> {
                let versions = try session.versions(of: item)
                guard let current = versions.last(where: \.isCurrent) ?? versions.last else {
                    throw VaultError.noSuchItem("the \(item.kind)'s versions")
                }
                let currentText = try text(of: current, item, session, password: password, isCurrent: true)
                let previous = versions.last { $0.number < current.number } ?? current
                let selected = previous.number == current.number
                    ? VersionText(number: current.number, text: currentText.text.copy())
                    : try text(of: previous, item, session, password: password, isCurrent: false)
                let lines = versions.map { VersionLine(version: $0, when: Self.when($0.time), machine: machine($0, session)) }
                let listing = HistoryListing(lines: lines, current: currentText, selected: selected, password: password?.copy())
                listing.origin = session.conflictSource(in: versions).map { origin($0, session) }
                return listing
            }
            return .vault(.historyOpened(item, result), nil)
        case .openVersion(let item, let version, let password):
            let result = Result<VersionText, any Error> {
                try text(of: version, item, session, password: password, isCurrent: false)
            }
            return .vault(.versionOpened(item, result), nil)
        case .restoreVersion(let item, let version):
            let result = Result<Void, any Error> { try session.afterPeers { try session.restore(version, of: item) } }
            return .vault(.versionRestored(item, number: version.number, result), changed(result))
        case .trash:
            let result = Result<[TrashLine], any Error> {
                let entries = try session.trash()
                defer { session.forget(entries) }
                return entries.map { entry in
                    TrashLine(entry: entry, name: session.texts.withBytes(entry.label) { SecretBytes(copying: $0) },
                              when: Self.when(entry.deletedAt))
                }
            }
            return .vault(.trashListed(result), nil)
        case .restoreFromTrash(let entry):
            let result = Result<ItemRef, any Error> { try session.afterPeers { try session.restoreFromTrash(entry) } }
            return .vault(.restoredFromTrash(result), changed(result))
        case .restoreOtherSide(let copy):
            let result = Result<ItemRef, any Error> { try session.afterPeers { try session.restoreOtherSide(copy) } }
            return .vault(.otherSideRestored(result), changed(result))
        default:
            fatalError("not a request of the history")
        }
    }

    /// Brings back what the session deleted last, as `Session.undoDelete` does, with the trash's
    /// labels freed before the restore: the restore reloads the session's texts, after which
    /// their handles may name the restored item's own title.
    private func undoDelete(_ session: Session) throws -> ItemRef? {
        guard let item = session.lastDeleted else { return nil }
        let entries = try session.trash()
        session.forget(entries)
        guard let entry = entries.first(where: { $0.item == item }) else { return nil }
        return try session.restoreFromTrash(entry)
    }

    /// "2026-11-26 16:30 UTC".
    static func when(_ milliseconds: UInt64) -> String { ChangeTime.text(milliseconds) ?? "time unknown" }

    /// "Conflict copy of version 3 of the onion, saved by machine 1a2b3c4d (commit 5)": what
    /// the history of a conflict copy says it came from (no text of the vault in it).
    private func origin(_ source: ConflictSource, _ session: Session) -> HistoryOrigin {
        let origin = source.origin
        var text = "Conflict copy of "
        if let item = origin.item {
            text += source.version.map { "version \($0) of the \(item.kind)" } ?? "the \(item.kind)'s version"
            text += ", saved by " + machine(origin.machine, session)
            if let commit = origin.commit { text += " (commit \(commit))" }
            if !source.originalListed { text += "; the \(item.kind) is no longer in the vault" }
        } else {
            text += "an unsaved draft of " + machine(origin.machine, session)
        }
        return HistoryOrigin(text: text, restorable: origin.item != nil && source.originalListed)
    }

    /// "this machine", or the first bytes of the saving machine's id.
    private func machine(_ version: ItemVersion, _ session: Session) -> String {
        guard let id = version.machine else { return "machine unknown" }
        return machine(id, session)
    }

    private func machine(_ id: [UInt8], _ session: Session) -> String {
        if id == session.thisMachine { return "this machine" }
        return "machine " + id.prefix(4).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    /// The text of `version` as the history view shows it. A card's current version must open
    /// with `password` (else the card's "wrong password"); an older one that does not (the card's
    /// password changed since) shows its recipient alone.
    private func text(of version: ItemVersion, _ item: ItemRef, _ session: Session, password: SecretBytes?,
                      isCurrent: Bool) throws -> VersionText {
        let texts = try session.texts(of: version, of: item)
        defer { texts.wipe() }
        switch item {
        case .onion:
            return VersionText(number: version.number, text: Self.joined(texts.name, texts.info))
        case .task:
            return VersionText(number: version.number, text: texts.name.copy())
        case .card(let id):
            guard let password else { throw VaultError.cardWrongPassword }
            do {
                let description = try session.openCard(texts, id: id, password: password)
                defer { description.wipe() }
                return VersionText(number: version.number, text: Self.joined(texts.name, description))
            } catch VaultError.cardWrongPassword where !isCurrent {
                return VersionText(number: version.number, text: texts.name.copy(), sealed: true)
            }
        }
    }

    /// `first`, a line break, then `second`, in one secret buffer.
    static func joined(_ first: SecretBytes, _ second: SecretBytes) -> SecretBytes {
        let out = SecretBytes(count: 0, capacity: max(1, first.count + 1 + second.count))
        _ = out.append(first)
        _ = out.append(byte: 0x0A)
        _ = out.append(second)
        return out
    }
}
