import Foundation
@testable import OnionsCore
import OnionsCrypto
import OnionsStore

/// Opens a frozen format vector through the product's own code (key schedule, `RecordSealer`,
/// the payload readers, `Manifest.read`, `BackupFile`, `Session.logIn` on a SQLite store) and
/// lists every way the result differs from what the vector says: its `expect:` outcome and, for
/// a vector that opens, every decoded field. An empty list is a vector that holds.
struct FormatVectorCheck {
    /// The folder the vector's `file:` names are in.
    let folder: URL
    private(set) var failures: [String] = []
    private(set) var file = ""

    init(folder: URL) { self.folder = folder }

    static func failures(of vector: FormatVector, in folder: URL) -> [String] {
        var check = FormatVectorCheck(folder: folder)
        check.run(vector)
        return check.failures
    }

    mutating func run(_ v: FormatVector) {
        file = v.file
        do {
            let expected = try v.value("expect")
            let found: String
            switch try v.value("case") {
            case "header": found = try header(v)
            case "record": found = try record(v)
            case "manifest": found = try manifest(v)
            case "backup": found = try backup(v)
            case "sqlite-vault": found = try sqliteVault(v)
            case "local-state": found = try localState(v)
            case let other: throw FormatVector.Problem(description: "unknown case '\(other)'")
            }
            if found != expected { fail("expected '\(expected)', found '\(found)'") }
        } catch {
            fail("\(error)")
        }
    }

    mutating func fail(_ what: String) { failures.append("\(file): \(what)") }

    mutating func same<T: Equatable>(_ found: T, _ expected: T, _ what: String) {
        if found != expected { fail("\(what): found \(found), the vector says \(expected)") }
    }

    mutating func same(_ found: [UInt8], _ expected: [UInt8], _ what: String) {
        if found != expected { fail("\(what): found \(Hex.encode(found)), the vector says \(Hex.encode(expected))") }
    }

    mutating func same(_ found: SecretBytes, _ expected: [UInt8], _ what: String) {
        same(bytes(found), expected, what)
    }

    func bytes(_ secret: SecretBytes) -> [UInt8] { secret.withUnsafeBytes { Array($0) } }

    // MARK: Header and key schedule

    private mutating func header(_ v: FormatVector) throws -> String {
        let encoded = try v.hex("parameters")
        let username = try v.value("username")
        let vault = VaultID(CredentialStretching.stretch(username))
        same(vault.value, try v.value("vault-id"), "vault id of the username")
        let blob = VaultHeaderBlob(parameters: encoded, wrappedKey: try v.hex("wrapped-key"), verifier: try v.hex("verifier"))
        let password = SecretBytes(copying: try v.hex("password"))
        defer { password.wipe() }
        let atLogIn = try logInOutcome(header: blob, vault: vault, username: username, password: password)
        let parameters: VaultParameters
        do {
            parameters = try VaultParameters(decoding: encoded)
        } catch {
            same(atLogIn, "refused", "log in")
            return "refused"
        }
        same(parameters.kdf, ScryptParameters(logN: UInt8(try v.number("logN")), r: UInt32(try v.number("r")),
                                              p: UInt32(try v.number("p"))), "scrypt parameters")
        same(parameters.salt, try v.hex("salt"), "salt")
        same(parameters.vaultUUID, try v.hex("vault-uuid"), "vault UUID")
        let normalized = try PasswordText.normalized(password)
        defer { normalized.wipe() }
        if v.has("password-nfc") { same(normalized, try v.hex("password-nfc"), "NFC password") }
        let pk = try PasswordKeys(typed: password, parameters: parameters)
        defer { pk.wipe() }
        let found: String
        if pk.verifier != blob.verifier {
            found = "wrong password"
        } else if let dataKey = try? pk.unwrap(blob.wrappedKey, vault: vault, parameters: encoded) {
            defer { dataKey.wipe() }
            found = "opens"
            let master = try Scrypt.derive(password: normalized, salt: parameters.salt, parameters: parameters.kdf)
            defer { master.wipe() }
            same(master, try v.hex("master"), "master")
            same(pk.kek, try v.hex("kek"), "kek")
            same(pk.authKey, try v.hex("auth-key"), "authKey")
            same(dataKey, try v.hex("data-key"), "dataKey")
            let keys = try DataKeys(dataKey: dataKey)
            defer { keys.wipe() }
            same(keys.recordKey, try v.hex("record-key"), "recordKey")
            same(keys.nameKey, try v.hex("name-key"), "nameKey")
        } else {
            found = "tampered"
        }
        same(atLogIn, found, "log in")
        return found
    }

    /// What `Session.logIn` makes of a header alone in a fresh SQLite store.
    private func logInOutcome(header: VaultHeaderBlob, vault: VaultID, username: String,
                              password: SecretBytes) throws -> String {
        try Self.inTemporaryFolder { folder in
            let store = try SQLiteStore(path: folder.appendingPathComponent("onions.db").path)
            try store.createVault(vault, header: header)
            do {
                let session = try Session.logIn(store: store, username: username, password: password,
                                                stateDirectory: folder.appendingPathComponent("state").path)
                session.lock()
                return "opens"
            } catch let error as VaultError {
                return Self.outcome(of: error)
            }
        }
    }

    static func outcome(of error: VaultError) -> String {
        switch error {
        case .wrongPassword: return "wrong password"
        case .headerAltered: return "tampered"
        case .headerUnreadable, .kdfRefused: return "refused"
        default: return "failed: \(error)"
        }
    }

    static func inTemporaryFolder<R>(_ body: (URL) throws -> R) throws -> R {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onions-vectors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try body(folder)
    }

    // MARK: Records

    /// The data keys of a vector, checked against its `record-key` and `name-key`.
    private mutating func dataKeys(_ v: FormatVector) throws -> DataKeys {
        let dataKey = SecretBytes(copying: try v.hex("data-key"))
        defer { dataKey.wipe() }
        let keys = try DataKeys(dataKey: dataKey)
        same(keys.recordKey, try v.hex("record-key"), "recordKey")
        same(keys.nameKey, try v.hex("name-key"), "nameKey")
        return keys
    }

    private func logicalKey(_ v: FormatVector, _ field: String) throws -> LogicalKey {
        guard let key = LogicalKey(text: try v.value(field)) else {
            throw FormatVector.Problem(description: "\(field) is not a logical key")
        }
        return key
    }

    private mutating func record(_ v: FormatVector) throws -> String {
        let keys = try dataKeys(v)
        defer { keys.wipe() }
        let sealer = RecordSealer(vault: VaultID(try v.value("vault-id")), keys: keys)
        let key = try logicalKey(v, "logical-key")
        let name = RecordName(try v.hex("name"))
        same(keys.name(key), name, "name of \(key.text)")
        let blob = try v.base64("blob")
        let record = StoredRecord(name: name, version: try v.number("version"), blob: blob, deleted: false, sequence: 0)
        let payload: SecretBytes
        do {
            payload = try sealer.open(record)
        } catch {
            guard v.has("sealed-at-logical-key") else { return "damaged" }
            let home = StoredRecord(name: keys.name(try logicalKey(v, "sealed-at-logical-key")),
                                    version: try v.number("sealed-at-version"), blob: blob, deleted: false, sequence: 0)
            guard let atHome = try? sealer.open(home) else { return "damaged" }
            atHome.wipe()
            return "moved"
        }
        defer { payload.wipe() }
        // The path a log in takes (one scratch buffer for many records) must read the same.
        let scratch = SecretBytes(count: 0, capacity: RecordSealer.scratchCapacity)
        defer { scratch.wipe() }
        if blob.count <= 30 + RecordSealer.scratchCapacity, let reader = try? sealer.open(record, into: scratch) {
            same(Array(bytes(scratch)[reader.offset...]), bytes(payload), "payload opened in place")
        }
        if v.has("size-class") { same(UInt64(blob[1]), try v.number("size-class"), "size class") }
        if v.has("nonce") { same(Array(blob[2..<14]), try v.hex("nonce"), "nonce") }
        if v.has("digest") { same(Array(blob.suffix(16)), try v.hex("digest"), "digest") }
        if v.has("payload") { same(payload, try v.hex("payload"), "payload") }
        do {
            return try decode(payload, as: key, v, sealer: sealer)
        } catch VaultError.malformed {
            return "damaged"
        }
    }

    /// Reads a payload as the session does for `key`, and compares its fields with the vector's.
    private mutating func decode(_ payload: SecretBytes, as key: LogicalKey, _ v: FormatVector,
                                 sealer: RecordSealer) throws -> String {
        switch key {
        case .onionTitle(let id):
            let t = try RecordPayload.read(payload) { try RecordPayload.OnionTitle.read(&$0, text: RecordPayload.copy) }
            defer { t.title.wipe() }
            guard t.id == id else { return "damaged" }
            same(t.created, try v.number("created"), "created")
            same(t.modified, try v.number("modified"), "modified")
            same(t.title, try v.text("title"), "title")
        case .onionInfo(let id):
            let i = try RecordPayload.read(payload) { try RecordPayload.OnionInfo.read(&$0) }
            defer { i.info.wipe() }
            guard i.id == id else { return "damaged" }
            same(i.info, try v.text("info"), "info")
        case .card(let id):
            let c = try RecordPayload.read(payload) { try RecordPayload.Card.read(&$0, text: RecordPayload.copy) }
            defer { c.recipient.wipe() }
            guard c.id == id else { return "damaged" }
            return try card(c, v, vault: sealer.vault)
        case .task(let n):
            let t = try RecordPayload.read(payload) { try RecordPayload.Task.read(&$0, text: RecordPayload.copy) }
            defer { t.text.wipe() }
            guard t.id == n else { return "damaged" }
            same(t.done ? 1 : 0, try v.number("done"), "done")
            same(t.text, try v.text("text"), "text")
        case .taskCounter:
            same(UInt64(try RecordPayload.read(payload) { try RecordPayload.readTaskCounter(&$0) }),
                 try v.number("task-max"), "task_max")
        case .draft:
            let d = try RecordPayload.read(payload) { try RecordPayload.Draft.read(&$0) }
            defer { d.wipe() }
            same(UInt64((d.kind == .card ? 2 : 0) + (d.target == nil ? 0 : 1)), try v.number("form"), "form")
            same(d.target?.bytes ?? [UInt8](repeating: 0, count: 16), try v.hex("target"), "target")
            same(d.title, try v.text("title"), "title")
            same(d.info, try v.text("info"), "info")
        case .settings:
            try settings(payload, v)
        case .filler, .taskBody, .cardHead, .draftHead, .settingsHead:
            same(bytes(payload), [RecordKind.filler.rawValue], "filler payload")
        case .manifest, .manifestPart:
            throw FormatVector.Problem(description: "a manifest record is a 'manifest' vector")
        }
        return "opens"
    }

    private mutating func card(_ c: RecordPayload.Card<SecretBytes>, _ v: FormatVector, vault: VaultID) throws -> String {
        same(c.created, try v.number("created"), "created")
        same(c.modified, try v.number("modified"), "modified")
        same(c.recipient, try v.text("recipient"), "recipient")
        same(c.salt, try v.hex("card-salt"), "card salt")
        same(c.kdf, ScryptParameters(logN: UInt8(try v.number("card-logN")), r: UInt32(try v.number("card-r")),
                                     p: UInt32(try v.number("card-p"))), "card scrypt parameters")
        same(c.sealedDescription, try v.hex("sealed-description"), "sealed description")
        same(c.sealedUnder.bytes, try v.hex("sealed-under"), "sealed under")
        let password = SecretBytes(copying: try v.hex("card-password"))
        defer { password.wipe() }
        let cardKey = try CardKey.derive(password: password, salt: c.salt, kdf: c.kdf)
        defer { cardKey.wipe() }
        if v.has("card-key") { same(cardKey, try v.hex("card-key"), "card key") }
        guard let description = try? AES.GCM.open(c.sealedDescription, using: cardKey,
                                                  authenticating: CardKey.aad(vault: vault, card: c.sealedUnder)) else {
            return "wrong password"
        }
        defer { description.wipe() }
        same(description, try v.text("description"), "description")
        return "opens"
    }

    private mutating func settings(_ payload: SecretBytes, _ v: FormatVector) throws {
        var raw = try RecordPayload.read(payload) { try RecordPayload.Settings.read(&$0) }
        let tags = raw.values.keys.sorted().map { tag in raw.values[tag]!.withUnsafeBytes { "\(tag) \(Hex.encode(Array($0)))" } }
        same(tags, v.values("setting"), "settings values")
        var settings = try VaultSettings(taking: &raw)
        defer { settings.wipe() }
        // Written back unchanged, values under unknown tags included (a newer program's survive).
        let again = try settings.encoded()
        defer { again.wipe() }
        same(bytes(again), bytes(payload), "settings written back")
        same(UInt64(settings.order.rawValue), try v.number("order"), "order")
        same(settings.orderChanged, try v.number("order-changed"), "order changed")
        same(settings.pinned.map { Hex.encode($0.bytes) }.sorted().joined(separator: " "), try v.value("pinned"), "pinned")
        same(settings.taskOrder.map(String.init).joined(separator: " "), try v.value("task-order"), "task order")
        same(settings.taskOrderChanged, try v.number("task-order-changed"), "task order changed")
    }

    // MARK: Manifest

    private mutating func manifest(_ v: FormatVector) throws -> String {
        let keys = try dataKeys(v)
        defer { keys.wipe() }
        let sealer = RecordSealer(vault: VaultID(try v.value("vault-id")), keys: keys)
        same(keys.name(.manifest), RecordName(try v.hex("root-name")), "root name")
        let root = StoredRecord(name: keys.name(.manifest), version: try v.number("root-version"),
                                blob: try v.base64("root-blob"), deleted: false, sequence: 0)
        if v.has("payload"), let payload = try? sealer.open(root) {
            defer { payload.wipe() }
            same(payload, try v.hex("payload"), "root payload")
        }
        var parts: [StoredRecord] = []
        for line in v.values("part") {
            let f = line.split(separator: " ", omittingEmptySubsequences: false)
            guard f.count == 3, let index = UInt8(f[0]), let version = UInt64(f[1]), let blob = Base64.decode(String(f[2])) else {
                throw FormatVector.Problem(description: "part line '\(line.prefix(40))…' is not 'index version base64'")
            }
            parts.append(StoredRecord(name: keys.name(.manifestPart(index)), version: version, blob: blob,
                                      deleted: false, sequence: 0))
        }
        let labels = SecretTable()
        defer { labels.wipe() }
        let found = try Manifest.read(root: root, sealer: sealer, labels: labels) { names in
            parts.filter { names.contains($0.name) }
        }
        guard case .found(let m, let version) = found else { return "damaged" }
        same(version, root.version, "root version")
        same(m.counter, try v.number("counter"), "counter")
        same(m.changed, try v.number("changed"), "changed")
        same(Self.entryLines(m, labels: labels), v.values("entry").sorted(), "entries")
        return "opens"
    }

    /// `key version live digest label` (digest and label hex, `-` when none) or `key version deleted`, sorted.
    static func entryLines(_ m: Manifest, labels: SecretTable) -> [String] {
        let live = m.entries.map { key, entry in
            let label = labels.withBytes(entry.label) { Array($0) }
            return "\(key.text) \(entry.version) live \(dash(entry.digest?.bytes ?? [])) \(dash(label))"
        }
        return (live + m.tombstones.map { "\($0.key.text) \($0.value) deleted" }).sorted()
    }

    /// Hex of a field inside a line of several: `-` when empty.
    static func dash(_ bytes: [UInt8]) -> String { bytes.isEmpty ? "-" : Hex.encode(bytes) }

    static func undash(_ text: Substring) -> [UInt8]? { text == "-" ? [] : Hex.decode(String(text)) }
}
