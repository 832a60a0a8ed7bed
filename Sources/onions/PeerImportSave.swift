import Glibc
import OnionsCore
import OnionsCrypto

/// Saves what `PeerImport` read: the onions in one store transaction (per 5,000), then pins,
/// then a plain export's tasks and cards. Prints one line per item on standard output:
/// `imported: FOLDER/TITLE`, `shortened: …`, `cut: NAME: …`, `not imported: NAME: why`.
///
/// An entry's folder path (a pass directory, a KeePassXC group, a Bitwarden folder) becomes
/// the onion's folder; the peer's times, where it has them, the onion's created and changed times.
enum PeerImportSave {
    /// An entry ready to save.
    private struct Fitted {
        let entry: ImportedEntry
        let title: SecretBytes
        let info: SecretBytes
        let folder: SecretBytes
        func wipe() { title.wipe(); info.wipe(); folder.wipe() }

        var onion: Session.NewOnion {
            let times = entry.times
            return Session.NewOnion(title: title, info: info, folder: folder, created: times.created,
                                    modified: times.changed ?? times.created)
        }
    }

    static func save(_ contents: ImportContents, into session: Session, cardPassword: SecretBytes?,
                     from source: String) throws -> Int32 {
        // A plain export lists the newest first; the last saved shows on top, so save it first.
        let entries = contents.plain == nil ? contents.onions : contents.onions.reversed()
        var status: Int32 = 0
        for shortened in ImportNames.shorten(entries) { writeStdout("shortened: \(shortened)\n") }
        var fitted: [Fitted] = []
        defer { fitted.forEach { $0.wipe() } }
        for entry in entries {
            guard let item = fit(entry, date: contents.datesInInfo) else {
                itemLine("not imported: ", entry, ": the title or info is not UTF-8 text")
                status = 1
                continue
            }
            fitted.append(item)
        }

        // The onions: one transaction (a few for a very large import).
        var saved: [(Fitted, ItemID)] = []
        let progress = ImportProgress(verb: "saved")
        defer { progress.finish() }
        for start in stride(from: 0, to: fitted.count, by: PeerImport.batchSize) {
            let chunk = Array(fitted[start..<min(start + PeerImport.batchSize, fitted.count)])
            let batch = chunk.map(\.onion)
            let ids: [ItemID]
            do {
                ids = try session.afterPeers { try session.addOnions(batch) }
            } catch {
                guard saved.isEmpty else {
                    throw CommandFailure("\(error); the first \(saved.count) of \(fitted.count) onions (listed above) "
                                         + "were saved, the rest were not: remove those or import into an empty vault again")
                }
                throw CommandFailure("\(error); nothing imported")
            }
            for (item, id) in zip(chunk, ids) {
                saved.append((item, id))
                itemLine("imported: ", item.entry, "")
            }
            progress.update(saved.count, of: fitted.count)
        }

        do {
            try pin(saved, in: session)
            if let plain = contents.plain {
                if plain.damagedInfos > 0 {
                    writeStdout("not imported: the infos of \(plain.damagedInfos) onion(s), written as damaged in the export\n")
                    status = 1
                }
                if try PeerImportPlain.save(plain, into: session, cardPassword: cardPassword) != 0 { status = 1 }
            }
        } catch {
            throw CommandFailure("\(error); the \(saved.count) onions were saved, the rest of the import "
                                 + "(pins, tasks, cards: see the lines above) was not")
        }
        let left = entries.count - saved.count
        printError("imported \(saved.count) of \(entries.count) onions from \(source)"
                   + (left > 0 ? " (\(left) not imported)" : ""))
        return status
    }

    /// The entry's title and info as they are saved, with what was changed printed; nil when
    /// the title or info is not UTF-8.
    private static func fit(_ entry: ImportedEntry, date: Bool) -> Fitted? {
        entry.orderFields()
        let at = entry.fields.first?.name == ImportedField.password ? 1 : 0
        if date, let created = entry.created {
            entry.fields.insert(ImportedField("date", secret(localTime(created))), at: at)
        }
        guard let title = ImportTextFit.fit(entry.title, .onionTitle) else { return nil }
        let info = entry.info()
        defer { info.wipe() }
        guard let fittedInfo = ImportTextFit.fit(info, .onionInfo) else {
            title.text.wipe()
            return nil
        }
        let raw = secret(entry.folder), path = FolderPath.normalized(raw)
        defer { raw.wipe(); path.wipe() }
        guard let folder = ImportTextFit.fit(path, .onionFolder) else {
            title.text.wipe()
            fittedInfo.text.wipe()
            return nil
        }
        for note in title.notes + fittedInfo.notes + folder.notes { itemLine("cut: ", entry, ": \(note)") }
        return Fitted(entry: entry, title: title.text, info: fittedInfo.text, folder: folder.text)
    }

    /// `seconds` since 1970 as local "YYYY-MM-DD HH:MM", as jrnl shows an entry's date.
    static func localTime(_ seconds: Int64) -> String {
        var t = time_t(seconds)
        var parts = tm()
        localtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min))"
    }

    /// Pins the onions whose entries the peer marked (a starred jrnl entry, a favourite).
    private static func pin(_ saved: [(Fitted, ItemID)], in session: Session) throws {
        let marked = saved.filter { $0.0.entry.pinned }
        var room = VaultSettings.maxPinned - session.settings.pinned.count
        for (item, id) in marked {
            guard room > 0 else {
                itemLine("not pinned: ", item.entry, ": the vault holds \(VaultSettings.maxPinned) pins already")
                continue
            }
            try session.afterPeers { try session.setPinned(id, true) }
            room -= 1
        }
    }

    /// Writes `prefix`, the entry's folder and title, and `suffix` as one line.
    static func itemLine(_ prefix: String, _ entry: ImportedEntry, _ suffix: String) {
        writeStdout(prefix + (entry.folder.isEmpty ? "" : entry.folder + "/"))
        entry.title.withUnsafeBytes { writeStdout($0) }
        writeStdout(suffix + "\n")
    }
}
