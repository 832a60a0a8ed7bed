import OnionsCrypto

/// Imports the onions of an `OnionsAppFile` with the app's old password.
///
/// Every onion is decrypted, fitted to the limits (over-long texts are cut with a mark and
/// reported, never dropped) and handed to `save`, oldest change first so a list shows the
/// newest on top as the app did. When no onion opens and at least one was refused by its HMAC,
/// the old password is taken for wrong and nothing is saved; an onion that does not open
/// while others do is reported by objectId and left out. Notes name onions by objectId and
/// texts by numbers, never by their content.
public enum OnionsAppImport {
    /// What an import did.
    public struct Report: Equatable, Sendable {
        /// How many onions were saved.
        public var imported = 0
        /// How many onions the file holds.
        public var total = 0
        /// Set when the old password opened none of this many onions (nothing was saved).
        public var wrongPassword: Int?

        /// True when every onion in the file was saved.
        public var isComplete: Bool { wrongPassword == nil && imported == total }
    }

    /// Saves each onion of `file` that opens with `password` through `save`, which gets the
    /// fitted title and info (wiped after it returns) and may throw to leave one out. `note`
    /// gets a line ("onion ID: …") for each onion left out or changed on the way in, as soon
    /// as it is known; the lines of onions that may only have met a wrong password wait until
    /// another onion opens, and are dropped when none does.
    public static func run(_ file: OnionsAppFile, password: SecretBytes,
                           save: (_ title: SecretBytes, _ info: SecretBytes) throws -> Void,
                           note: (String) -> Void) -> Report {
        var report = Report(total: file.records.count)
        let records = file.records.enumerated().sorted { a, b in
            (a.element.updatedAt, a.offset) < (b.element.updatedAt, b.offset)
        }.map(\.element)
        var passwordConfirmed = false
        // Onions that did not open before any other did: damaged, or the password is wrong.
        var undecided: [String] = []
        for record in records {
            if let problem = record.problem {
                note("onion \(record.objectId): \(problem); not imported")
                continue
            }
            let title = OnionsAppFile.open(record.title, record.settings, password: password)
            let info = OnionsAppFile.open(record.info, record.settings, password: password)
            defer {
                title.opened?.wipe()
                info.opened?.wipe()
            }
            if !passwordConfirmed && (title.opened != nil || info.opened != nil) {
                passwordConfirmed = true
                undecided.forEach(note)
                undecided.removeAll()
            }
            guard let titleText = title.opened, let infoText = info.opened else {
                let broken = [title.opened == nil ? "title" : nil, info.opened == nil ? "info" : nil].compactMap { $0 }
                let line = "onion \(record.objectId): the \(broken.joined(separator: " and ")) did not open (damaged); "
                    + "not imported"
                // Only an HMAC that does not match can mean a wrong password; a message that is not
                // even shaped like RNCryptor is damaged whatever the password.
                if passwordConfirmed || !(title.isRejected || info.isRejected) {
                    note(line)
                } else {
                    undecided.append(line)
                }
                continue
            }
            saveFitted(record.objectId, titleText, infoText, save: save, note: note, imported: &report.imported)
        }
        if !passwordConfirmed && !undecided.isEmpty { report.wrongPassword = undecided.count }
        return report
    }

    /// Fits and saves one opened onion.
    private static func saveFitted(_ objectId: String, _ title: SecretBytes, _ info: SecretBytes,
                                   save: (SecretBytes, SecretBytes) throws -> Void, note: (String) -> Void,
                                   imported: inout Int) {
        guard let fittedTitle = ImportTextFit.fit(title, FieldLimit.onionTitle) else {
            return note("onion \(objectId): a field is not UTF-8 text; not imported")
        }
        defer { fittedTitle.text.wipe() }
        guard let fittedInfo = ImportTextFit.fit(info, FieldLimit.onionInfo) else {
            return note("onion \(objectId): a field is not UTF-8 text; not imported")
        }
        defer { fittedInfo.text.wipe() }
        for change in fittedTitle.notes + fittedInfo.notes { note("onion \(objectId): \(change)") }
        do {
            try save(fittedTitle.text, fittedInfo.text)
            imported += 1
        } catch {
            note("onion \(objectId): \(error); not imported")
        }
    }
}
