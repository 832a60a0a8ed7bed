import Foundation
@testable import OnionsCore
import OnionsCrypto
import OnionsStore

/// The record and backup vectors of `FormatVectorGenerator`.
extension FormatVectorGenerator {
    func writeRecords(_ records: [StoredRecord], listed: [RecordName: LogicalKey], sealer: RecordSealer,
                      keys: FormatVector) throws {
        let live = records.filter { !$0.deleted }
        func stored(_ key: LogicalKey) throws -> StoredRecord {
            try required(live.first { $0.name == sealer.keys.name(key) }, key.text)
        }
        func filler(_ kind: LogicalKey.Filler) throws -> LogicalKey {
            let found = live.compactMap { listed[$0.name] }.first { key in
                if case .filler(let k, _) = key { return k == kind }
                return false
            }
            guard let found else { throw FormatVector.Problem(description: "the new vault has no \(kind.word) filler") }
            return found
        }
        // The machine's own draft key (`draft/<machine>`, its id random per state folder).
        let draft = try required(Set(listed.values).first { if case .draft = $0 { return true } else { return false } }, "draft")
        let cases: [(LogicalKey, String, String)] = [
            (.onionTitle(groceries), "record-onion-title.txt", "An onion's title and times (small class)."),
            (.onionInfo(groceries), "record-onion-info.txt", "An onion's info (large class)."),
            (.card(cardID), "record-card.txt", "A card, its description sealed again under the card's own password."),
            (.task(0), "record-task-done.txt", "A task marked done."),
            (.task(2), "record-task.txt", "A task not done."),
            (.taskCounter, "record-task-counter.txt", "task_max: one more than the highest task id in use."),
            (.settings, "record-settings.txt", "The settings: order by title, one pin, a task order."),
            (draft, "record-draft.txt", "The draft of an edit of an onion (form 1: onion with a target)."),
            (try filler(.small), "record-filler-small.txt", "A small filler record (payload kind 11 alone)."),
            (try filler(.large), "record-filler-large.txt", "A large filler record (payload kind 11 alone)."),
        ]
        for (key, file, what) in cases {
            try write(try recordVector(what, key: key, record: try stored(key), sealer: sealer, keys: keys), file)
        }
        try writeCardCases(try stored(.card(cardID)), sealer: sealer, keys: keys)
        try writeSettingsOfANewerProgram(try stored(.settings), sealer: sealer, keys: keys)
        try writeMisplacedRecords(try stored(.onionTitle(groceries)), sealer: sealer, keys: keys)
    }

    /// A record that opens, with its payload and every decoded field.
    func recordVector(_ what: String, key: LogicalKey, record: StoredRecord, sealer: RecordSealer, keys: FormatVector,
                      cardPassword: String = FormatVectorGenerator.cardPassword, expect: String = "opens") throws -> FormatVector {
        var v = placed(what, key: key, record: record, sealer: sealer, keys: keys)
        let payload = try sealer.open(record)
        defer { payload.wipe() }
        let raw = bytes(payload)
        v.add("size-class", record.blob[1])
        v.add("nonce", hex: Array(record.blob[2..<14]))
        v.add("digest", hex: Array(record.blob.suffix(16)))
        v.add("payload", hex: raw)
        v.add("payload-kind", raw[0])
        try addFields(key, payload, to: &v, vault: sealer.vault, cardPassword: cardPassword, expect: expect)
        v.add("expect", expect)
        return v
    }

    /// The fields every record vector has: keys, logical key, name, version, blob.
    func placed(_ what: String, key: LogicalKey, record: StoredRecord, sealer: RecordSealer, keys: FormatVector) -> FormatVector {
        var v = vector("record", what)
        v.fields += keys.fields
        v.add("logical-key", key.text)
        v.add("name", hex: sealer.keys.name(key).bytes)
        v.add("version", record.version)
        v.add("blob", base64: record.blob)
        return v
    }

    private func addFields(_ key: LogicalKey, _ payload: SecretBytes, to v: inout FormatVector, vault: VaultID,
                           cardPassword: String, expect: String) throws {
        func text(_ field: String, _ value: SecretBytes) {
            v.add(field, hex: bytes(value))
            v.comments.append("\(field): \(String(reflecting: String(decoding: bytes(value), as: UTF8.self)))")
        }
        switch key {
        case .onionTitle:
            let t = try RecordPayload.read(payload) { try RecordPayload.OnionTitle.read(&$0, text: RecordPayload.copy) }
            v.add("created", t.created)
            v.add("modified", t.modified)
            text("title", t.title)
        case .onionInfo:
            text("info", try RecordPayload.read(payload) { try RecordPayload.OnionInfo.read(&$0) }.info)
        case .card:
            let c = try RecordPayload.read(payload) { try RecordPayload.Card.read(&$0, text: RecordPayload.copy) }
            v.add("created", c.created)
            v.add("modified", c.modified)
            text("recipient", c.recipient)
            v.add("card-salt", hex: c.salt)
            v.add("card-logN", c.kdf.logN)
            v.add("card-r", c.kdf.r)
            v.add("card-p", c.kdf.p)
            v.add("sealed-description", hex: c.sealedDescription)
            v.add("sealed-under", hex: c.sealedUnder.bytes)
            let password = SecretBytes(copying: Array(cardPassword.utf8))
            v.add("card-password", text: cardPassword)
            guard expect == "opens" else { return }
            let cardKey = try CardKey.derive(password: password, salt: c.salt, kdf: c.kdf)
            v.add("card-key", hex: bytes(cardKey))
            text("description", try AES.GCM.open(c.sealedDescription, using: cardKey,
                                                 authenticating: CardKey.aad(vault: vault, card: c.sealedUnder)))
        case .task:
            let t = try RecordPayload.read(payload) { try RecordPayload.Task.read(&$0, text: RecordPayload.copy) }
            v.add("done", t.done ? 1 : 0)
            text("text", t.text)
        case .taskCounter:
            v.add("task-max", try RecordPayload.read(payload) { try RecordPayload.readTaskCounter(&$0) })
        case .draft:
            let d = try RecordPayload.read(payload) { try RecordPayload.Draft.read(&$0) }
            v.add("form", (d.kind == .card ? 2 : 0) + (d.target == nil ? 0 : 1))
            v.add("target", hex: d.target?.bytes ?? [UInt8](repeating: 0, count: 16))
            text("title", d.title)
            text("info", d.info)
        case .settings:
            var raw = try RecordPayload.read(payload) { try RecordPayload.Settings.read(&$0) }
            for tag in raw.values.keys.sorted() { v.add("setting", "\(tag) \(Hex.encode(bytes(raw.values[tag]!)))") }
            let s = try VaultSettings(taking: &raw)
            v.add("order", s.order.rawValue)
            v.add("order-changed", s.orderChanged)
            v.add("pinned", s.pinned.map { Hex.encode($0.bytes) }.sorted().joined(separator: " "))
            v.add("task-order", s.taskOrder.map(String.init).joined(separator: " "))
            v.add("task-order-changed", s.taskOrderChanged)
        case .filler, .taskBody, .cardHead, .draftHead, .settingsHead, .manifest, .manifestPart:
            break
        }
    }

    /// The card with a wrong card password, and a conflict copy that keeps the id its
    /// description was sealed under (the optional trailing `sealedUnderID`).
    private func writeCardCases(_ card: StoredRecord, sealer: RecordSealer, keys: FormatVector) throws {
        try write(try recordVector("The card with a wrong card password: the vault opens it, the card key does not.",
                                   key: .card(cardID), record: card, sealer: sealer, keys: keys,
                                   cardPassword: "card password 8", expect: "wrong password"), "record-card-wrong-password.txt")
        let payload = try sealer.open(card)
        defer { payload.wipe() }
        let c = try RecordPayload.read(payload) { try RecordPayload.Card.read(&$0, text: RecordPayload.copy) }
        let copyID = ItemID.random()
        let copy = try RecordPayload.Card(id: copyID, created: c.created, modified: c.modified,
                                          recipient: SecretBytes(copying: Array("Bob (conflict 2)".utf8)), salt: c.salt,
                                          kdf: c.kdf, sealedDescription: c.sealedDescription, sealedUnder: cardID).encoded()
        defer { copy.wipe() }
        let name = sealer.keys.name(.card(copyID))
        let record = StoredRecord(name: name, version: 1, blob: try sealer.seal(copy, name: name, version: 1, sizeClass: .large),
                                  deleted: false, sequence: 0)
        try write(try recordVector("A conflict copy of the card (sync's kind): its description stays sealed under the "
                                   + "first card's id, which ends the payload (sealedUnderID).",
                                   key: .card(copyID), record: record, sealer: sealer, keys: keys), "record-card-conflict-copy.txt")
    }

    /// The onion title's blob where it does not belong, cut short, flipped, or with another kind inside.
    private func writeMisplacedRecords(_ title: StoredRecord, sealer: RecordSealer, keys: FormatVector) throws {
        let key = LogicalKey.onionTitle(groceries)
        func misplaced(_ what: String, at place: LogicalKey, version: UInt64, blob: [UInt8], expect: String) -> FormatVector {
            var v = placed(what, key: place, record: StoredRecord(name: title.name, version: version, blob: blob,
                                                                  deleted: false, sequence: 0), sealer: sealer, keys: keys)
            v.add("sealed-at-logical-key", key.text)
            v.add("sealed-at-version", title.version)
            v.add("expect", expect)
            return v
        }
        try write(misplaced("The onion title presented under another onion's title name: it opens only where it was sealed.",
                            at: .onionTitle(reading), version: title.version, blob: title.blob, expect: "moved"),
                  "record-moved-to-another-name.txt")
        try write(misplaced("The onion title presented at the next version (a replay): it opens only at its own.",
                            at: key, version: title.version + 1, blob: title.blob, expect: "moved"),
                  "record-moved-to-another-version.txt")
        var flipped = title.blob
        flipped[100] ^= 0x01
        try write(misplaced("The onion title with one bit of its ciphertext flipped.", at: key, version: title.version,
                            blob: flipped, expect: "damaged"), "record-flipped-byte.txt")
        try write(misplaced("The onion title cut to 700 bytes.", at: key, version: title.version,
                            blob: Array(title.blob.prefix(700)), expect: "damaged"), "record-truncated.txt")
        let task = try RecordPayload.Task(id: 0, done: false, text: SecretBytes(copying: Array("a task".utf8))).encoded()
        defer { task.wipe() }
        let wrongKind = try sealer.seal(task, name: title.name, version: title.version, sizeClass: .small)
        try write(misplaced("A task's payload sealed at the onion title's place: it opens, but the kind is not the key's.",
                            at: key, version: title.version, blob: wrongKind, expect: "damaged"), "record-wrong-kind.txt")
    }

    /// The settings with a value under a tag this version does not know (200): read, and kept.
    private func writeSettingsOfANewerProgram(_ settings: StoredRecord, sealer: RecordSealer, keys: FormatVector) throws {
        let payload = try sealer.open(settings)
        defer { payload.wipe() }
        var raw = try RecordPayload.read(payload) { try RecordPayload.Settings.read(&$0) }
        defer { raw.wipe() }
        raw.values[200] = SecretBytes(copying: Array("a newer program's value".utf8))
        let newer = try raw.encoded()
        defer { newer.wipe() }
        let record = StoredRecord(name: settings.name, version: settings.version,
                                  blob: try sealer.seal(newer, name: settings.name, version: settings.version, sizeClass: .large),
                                  deleted: false, sequence: 0)
        try write(try recordVector("The settings as a newer program writes them: a value under tag 200, which this version "
                                   + "keeps without reading it.", key: .settings, record: record, sealer: sealer, keys: keys),
                  "record-settings-unknown-tag.txt")
    }

    // MARK: A rotated data key

    static let rotatedUsername = "vector-bob"
    static let rotatedPassword = "after the rotation 2"

    /// A second vault whose data key was rotated (`passwd --rotate`, FORMAT.md section 3: 64
    /// bytes, records sealed again), with a draft of a new card saved afterwards.
    func writeRotatedVault(in work: URL) throws {
        let store = try SQLiteStore(path: work.appendingPathComponent("rotated.sqlite").path)
        let first = secret("before the rotation 1")
        defer { first.wipe() }
        let session = try Session.signUp(store: store, username: Self.rotatedUsername, password: first, kdf: Self.kdf,
                                         stateDirectory: work.appendingPathComponent("state-rotated").path)
        defer { session.lock() }
        let onion = try session.saveOnion(id: nil, title: secret("Sealed twice"), info: secret("before and after"))
        try session.changePassword(to: secret(Self.rotatedPassword), rotate: true)
        try session.saveDraft(Draft(kind: .card, target: nil, title: secret("Carol"), info: secret("a card not saved yet")))
        let vault = session.vault
        guard let header = try store.header(vault: vault) else { throw VaultError.noSuchVault }
        let live = try store.records(vault: vault)
        let password = secret(Self.rotatedPassword)
        defer { password.wipe() }
        let parameters = try VaultParameters(decoding: header.parameters)
        let pk = try PasswordKeys(typed: password, parameters: parameters)
        defer { pk.wipe() }
        let dataKey = try pk.unwrap(header.wrappedKey, vault: vault, parameters: header.parameters)
        defer { dataKey.wipe() }
        let keys = try DataKeys(dataKey: dataKey)
        defer { keys.wipe() }
        let sealer = RecordSealer(vault: vault, keys: keys)
        var keyFields = FormatVector(file: "")
        keyFields.add("vault-id", vault.value)
        keyFields.add("data-key", hex: bytes(dataKey))
        keyFields.add("record-key", hex: bytes(keys.recordKey))
        keyFields.add("name-key", hex: bytes(keys.nameKey))
        var opens = headerVector("A header after a rotation: the wrapped data key is 64 bytes, a new record seed and then "
                                 + "the naming seed the vault began with.", username: Self.rotatedUsername, vault: vault,
                                 password: Self.rotatedPassword, blob: header, decoded: parameters)
        try addKeySchedule(to: &opens, password: Self.rotatedPassword, parameters: parameters, pk: pk, keys: keyFields)
        try write(opens, "header-rotated.txt")
        for (key, file, what) in [
            (LogicalKey.onionTitle(onion), "record-onion-title-rotated.txt",
             "An onion title sealed again by the rotation (at its version + 1) under the new record key."),
            (session.draftKey, "record-draft-card.txt", "The draft of a new card (form 2: title is the recipient, info the description)."),
        ] {
            let record = try required(live.first { $0.name == keys.name(key) }, key.text)
            try write(try recordVector(what, key: key, record: record, sealer: sealer, keys: keyFields), file)
        }
    }

    // MARK: Older forms and this machine's files

    /// A manifest of format 1 (payload kind 7: one record, no digests, no tombstones, no parts),
    /// which no version writes any more and today's reads: the live entries of `manifest`.
    func writeFormat1Manifest(_ manifest: Manifest, labels: SecretTable, root: StoredRecord, sealer: RecordSealer,
                              keys: FormatVector) throws {
        let live = manifest.entries.map { (text: $0.key.text, entry: $0.value) }.sorted { $0.text < $1.text }
        let w = PayloadWriter(capacity: 16_000)
        try w.u8(RecordKind.manifest.rawValue)
        try w.u64(manifest.counter)
        try w.u32(UInt32(live.count))
        for (text, entry) in live {
            try w.bytes(Array(text.utf8))
            try w.u64(entry.version)
            try labels.withBytes(entry.label) { try w.bytes($0) }
        }
        defer { w.buffer.wipe() }
        let blob = try sealer.seal(w.buffer, name: root.name, version: root.version, sizeClass: .manifest)
        var v = vector("manifest", "A manifest of format 1 (kind 7), still read: one record, no digests, no tombstones.")
        v.fields += keys.fields
        v.add("root-name", hex: root.name.bytes)
        v.add("root-version", root.version)
        v.add("root-blob", base64: blob)
        v.add("payload", hex: bytes(w.buffer))
        v.add("counter", manifest.counter)
        v.add("changed", 0)
        for (text, entry) in live {
            v.add("entry", "\(text) \(entry.version) live - \(FormatVectorCheck.dash(labels.withBytes(entry.label) { Array($0) }))")
        }
        v.add("expect", "opens")
        try write(v, "manifest-format-1.txt")
    }

    /// The state folder the generating machine was left with (FORMAT.md section 9), and the same
    /// with a counter above the vault's: a rollback this machine must see.
    func writeLocalState(_ state: URL, vault: VaultID, parameters: VaultParameters) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: state.path).filter { !$0.hasPrefix(".") }.sorted()
        var files: [(String, [UInt8])] = []
        for name in names { files.append((name, [UInt8](try Data(contentsOf: state.appendingPathComponent(name))))) }
        let counterFile = LocalState.fileName(vault: vault, vaultUUID: parameters.vaultUUID)
        let counter = try LocalState.load(directory: state.path, vault: vault, vaultUUID: parameters.vaultUUID).counter
        func stateVector(_ what: String, _ files: [(String, [UInt8])], counter: UInt64, expect: String) -> FormatVector {
            var v = vector("local-state", what)
            v.comments += files.map { "\($0.0): \(String(reflecting: String(decoding: $0.1, as: UTF8.self)))" }
            v.add("file", "vault.sqlite")
            v.add("username", Self.username)
            v.add("password", text: Self.password)
            v.add("vault-id", vault.value)
            v.add("vault-uuid", hex: parameters.vaultUUID)
            for (name, content) in files { v.add("state-file", "\(name) \(Hex.encode(content))") }
            v.add("counter", counter)
            v.add("expect", expect)
            return v
        }
        try write(stateVector("This machine's state files after making the vault: the counter seen and the KDF pin.",
                              files, counter: counter, expect: "opens"), "local-state.txt")
        let ahead = files.map { name, content in
            name == counterFile
                ? (name, Array(String(decoding: content, as: UTF8.self)
                    .replacingOccurrences(of: "counter \(counter)\n", with: "counter \(counter + 1)\n").utf8))
                : (name, content)
        }
        try write(stateVector("The state files with a counter one above the vault's: the store rolled back.",
                              ahead, counter: counter + 1, expect: "rolled back"), "local-state-rolled-back.txt")
    }

    // MARK: Backups

    func writeBackups(_ backup: BackupFile) throws {
        let file = backup.encoded()
        try Data(file).write(to: folder.appendingPathComponent("vault.onions-backup"))
        func backupVector(_ what: String, file: String, password: String, expect: String) -> FormatVector {
            var v = vector("backup", what)
            v.add("file", file)
            v.add("username", Self.username)
            v.add("password", text: password)
            if expect == "opens" { v.fields += contents.map { (key: $0.0, value: $0.1) } }
            v.add("expect", expect)
            return v
        }
        try write(backupVector("A sealed backup ('onions export --encrypted') of the whole vault, restored and opened.",
                               file: "vault.onions-backup", password: Self.password, expect: "opens"), "backup.txt")
        try write(backupVector("The backup restored, then opened with a wrong password.",
                               file: "vault.onions-backup", password: Self.wrongPassword, expect: "wrong password"),
                  "backup-wrong-password.txt")
        let lines = file.split(separator: UInt8(ascii: "\n"))
        let kept = lines.prefix(lines.count / 2).map { Array($0) + [UInt8(ascii: "\n")] }.joined()
        try Data(kept).write(to: folder.appendingPathComponent("vault-cut-off.onions-backup"))
        try write(backupVector("The backup cut after a whole line, half way: no 'end' line.",
                               file: "vault-cut-off.onions-backup", password: Self.password, expect: "cut off"),
                  "backup-cut-off.txt")
        // Cut inside a record's base64 (one character of a group of four): not base64.
        let recordLine = try required(lines.firstIndex { $0.starts(with: Array("record ".utf8)) }, "a record line")
        let before = lines[..<recordLine].map { $0.count + 1 }.reduce(0, +)
        let blobStart = lines[recordLine].lastIndex(of: UInt8(ascii: " "))! - lines[recordLine].startIndex + 1
        let truncated = Array(file.prefix(before + blobStart + 41))
        try Data(truncated).write(to: folder.appendingPathComponent("vault-truncated.onions-backup"))
        try write(backupVector("The backup cut inside a record's base64.", file: "vault-truncated.onions-backup",
                               password: Self.password, expect: "unreadable"), "backup-truncated.txt")
    }
}
