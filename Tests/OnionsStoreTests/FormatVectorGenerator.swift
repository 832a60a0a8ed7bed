import Foundation
@testable import OnionsCore
import OnionsCrypto
import OnionsStore

/// Writes the format vectors (Vectors/format/README.md) from a vault that today's code makes
/// in a SQLite store through the `Session` API, with real randomness: every key, salt, nonce
/// and time the vault got is read back and written down. Run only to freeze a new set (see
/// `FormatVectorGeneratorTests`); the committed files are the truth the tests read.
struct FormatVectorGenerator {
    static let username = "vector-alice"
    /// Typed in NFD (e, U+0300; u, U+0302): the key schedule normalises it to NFC first.
    static let password = "Cre\u{300}me bru\u{302}le\u{301}e 1de4bde"
    static let wrongPassword = "Crème brûlée 1de4bdf"
    static let kdf = ScryptParameters(logN: 15, r: 8, p: 1)
    static let cardKDF = ScryptParameters(logN: 10, r: 8, p: 1)
    static let cardPassword = "card password 7"

    let folder: URL

    /// What the generated vault holds, as the vectors list it.
    var contents: [(String, String)] = []
    var groceries = ItemID.random(), reading = ItemID.random(), cardID = ItemID.random()

    init(folder: URL) { self.folder = folder }

    func secret(_ text: String) -> SecretBytes { SecretBytes(copying: Array(text.utf8)) }

    mutating func run() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("onions-vectors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let database = work.appendingPathComponent("vault.sqlite")
        let stateFolder = work.appendingPathComponent("state")
        let (vault, header, records) = try makeVault(at: database.path, state: stateFolder.path)
        guard !FileManager.default.fileExists(atPath: database.path + "-wal") else {
            throw FormatVector.Problem(description: "the SQLite store was not closed")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for old in try FileManager.default.contentsOfDirectory(atPath: folder.path) where old != "README.md" {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(old))
        }
        try FileManager.default.copyItem(at: database, to: folder.appendingPathComponent("vault.sqlite"))

        let password = secret(Self.password)
        defer { password.wipe() }
        let parameters = try VaultParameters(decoding: header.parameters)
        let pk = try PasswordKeys(typed: password, parameters: parameters)
        defer { pk.wipe() }
        let dataKey = try pk.unwrap(header.wrappedKey, vault: vault, parameters: header.parameters)
        defer { dataKey.wipe() }
        let keys = try DataKeys(dataKey: dataKey)
        defer { keys.wipe() }
        let sealer = RecordSealer(vault: vault, keys: keys)
        var vaultFields = FormatVector(file: "")
        vaultFields.add("vault-id", vault.value)
        vaultFields.add("data-key", hex: bytes(dataKey))
        vaultFields.add("record-key", hex: bytes(keys.recordKey))
        vaultFields.add("name-key", hex: bytes(keys.nameKey))

        try writeHeaders(vault: vault, header: header, parameters: parameters, pk: pk, keys: vaultFields)
        let listed = try writeManifests(records, sealer: sealer, keys: vaultFields)
        try writeRecords(records, listed: listed, sealer: sealer, keys: vaultFields)
        try writeBackups(BackupFile(vault: vault, header: header, records: records))
        var sqlite = vector("sqlite-vault", "The whole vault as today's SQLite store wrote it (schema, header, every record).")
        sqlite.add("file", "vault.sqlite")
        sqlite.add("username", Self.username)
        sqlite.add("password", text: Self.password)
        sqlite.fields += contents.map { (key: $0.0, value: $0.1) }
        sqlite.add("expect", "opens")
        try write(sqlite, "vault-sqlite.txt")
        try writeLocalState(stateFolder, vault: vault, parameters: parameters)
        try writeRotatedVault(in: work)
        try Data(try FormatVectorFolder.checksums(of: folder).utf8).write(to: folder.appendingPathComponent("SHA256SUMS"))
    }

    // MARK: The vault

    /// Signs up and saves one of everything; returns what the store then holds.
    private mutating func makeVault(at path: String, state: String) throws
        -> (VaultID, VaultHeaderBlob, [StoredRecord]) {
        let store = try SQLiteStore(path: path)
        let password = secret(Self.password)
        defer { password.wipe() }
        let session = try Session.signUp(store: store, username: Self.username, password: password, kdf: Self.kdf,
                                         stateDirectory: state)
        defer { session.lock() }
        let groceriesInfo = "eggs\nmilk\n\tflour (1 kg)"
        groceries = try session.saveOnion(id: nil, title: secret("Groceries"), info: secret(groceriesInfo))
        reading = try session.saveOnion(id: nil, title: secret("Reading list ✓"), info: secret("Middlemarch\nThe Waves 🌊"))
        let old = try session.saveOnion(id: nil, title: secret("Old note"), info: secret("deleted before the freeze"))
        try session.deleteOnion(old)
        let empty = try session.saveOnion(id: nil, title: secret("Empty"), info: secret(""))
        cardID = try session.saveCard(id: nil, recipient: secret("Bob"), description: secret("door code 4711\nkey under the mat"),
                                      cardPassword: secret(Self.cardPassword), kdf: Self.cardKDF)
        let stamps = try session.addTask(secret("buy stamps"))
        let plumber = try session.addTask(secret("call the plumber"))
        let taxes = try session.addTask(secret("file taxes"))
        try session.setTask(stamps, done: true)
        try session.deleteTask(plumber)
        try session.moveTask(taxes, by: -1)
        try session.setListOrder(.title)
        try session.setPinned(reading, true)
        let draftInfo = groceriesInfo + "\nbutter"
        try session.saveDraft(Draft(kind: .onion, target: groceries, title: secret("Groceries"), info: secret(draftInfo)))

        let pinned = Hex.encode(reading.bytes)
        for (id, title, info) in [(groceries, "Groceries", groceriesInfo), (reading, "Reading list ✓", "Middlemarch\nThe Waves 🌊"),
                                  (empty, "Empty", "")] {
            let pin = Hex.encode(id.bytes) == pinned ? 1 : 0
            contents.append(("onion", "\(id) \(dash(title)) \(dash(info)) \(pin)"))
        }
        contents.append(("card", "\(cardID) \(dash("Bob")) \(dash(Self.cardPassword)) \(dash("door code 4711\nkey under the mat"))"))
        contents.append(("task", "\(stamps) 1 \(dash("buy stamps"))"))
        contents.append(("task", "\(taxes) 0 \(dash("file taxes"))"))
        // No "draft" line: the draft is this machine's (`draft/<machine>`), and the store and
        // the backup are opened as another machine would, which restores none. (Vectors made
        // before drafts belonged to a machine hold the old `draft`, which every machine restores.)
        contents.append(("order", String(ListOrder.title.rawValue)))
        contents.append(("task-order", "\(taxes) \(stamps)"))
        contents.append(("counter", String(session.vaultCounter)))
        guard let header = try store.header(vault: session.vault) else { throw VaultError.noSuchVault }
        return (session.vault, header, try store.changes(vault: session.vault, since: 0))
    }

    // MARK: Vectors

    func vector(_ kind: String, _ what: String) -> FormatVector {
        var v = FormatVector(file: "")
        v.comments = [what]
        v.add("case", kind)
        return v
    }

    func write(_ v: FormatVector, _ name: String) throws {
        try Data(v.encoded.utf8).write(to: folder.appendingPathComponent(name))
    }

    func bytes(_ secret: SecretBytes) -> [UInt8] { secret.withUnsafeBytes { Array($0) } }

    func dash(_ text: String) -> String { FormatVectorCheck.dash(Array(text.utf8)) }

    /// A header vector: who, the password tried, the header's three parts and, when they
    /// decode, the parameters' fields.
    func headerVector(_ what: String, username: String = Self.username, vault: VaultID, password: String,
                      blob: VaultHeaderBlob, decoded: VaultParameters?) -> FormatVector {
        var v = vector("header", what)
        v.add("username", username)
        v.add("vault-id", vault.value)
        v.add("password", text: password)
        v.add("parameters", hex: blob.parameters)
        if let decoded {
            v.add("logN", decoded.kdf.logN)
            v.add("r", decoded.kdf.r)
            v.add("p", decoded.kdf.p)
            v.add("salt", hex: decoded.salt)
            v.add("vault-uuid", hex: decoded.vaultUUID)
        }
        v.add("wrapped-key", hex: blob.wrappedKey)
        v.add("verifier", hex: blob.verifier)
        return v
    }

    /// Adds the key schedule of a header that opens (`keys`: the data keys' fields) and `expect: opens`.
    func addKeySchedule(to v: inout FormatVector, password typed: String, parameters: VaultParameters,
                        pk: PasswordKeys, keys: FormatVector) throws {
        let password = secret(typed)
        defer { password.wipe() }
        let normalized = try PasswordText.normalized(password)
        defer { normalized.wipe() }
        let master = try Scrypt.derive(password: normalized, salt: parameters.salt, parameters: parameters.kdf)
        defer { master.wipe() }
        v.add("password-nfc", hex: bytes(normalized))
        v.add("master", hex: bytes(master))
        v.add("kek", hex: bytes(pk.kek))
        v.add("auth-key", hex: bytes(pk.authKey))
        v.fields += keys.fields.filter { $0.key != "vault-id" }
        v.add("expect", "opens")
    }

    private func writeHeaders(vault: VaultID, header: VaultHeaderBlob, parameters: VaultParameters,
                              pk: PasswordKeys, keys: FormatVector) throws {
        var opens = headerVector("The vault's header and its key schedule, from the password as typed (NFD).",
                                 vault: vault, password: Self.password, blob: header, decoded: parameters)
        try addKeySchedule(to: &opens, password: Self.password, parameters: parameters, pk: pk, keys: keys)
        try write(opens, "header.txt")

        var wrong = headerVector("The same header with a wrong password: the store refuses its auth key.",
                                 vault: vault, password: Self.wrongPassword, blob: header, decoded: parameters)
        wrong.add("expect", "wrong password")
        try write(wrong, "header-wrong-password.txt")

        var altered = header
        altered.wrappedKey[20] ^= 0x01
        var tampered = headerVector("The right password, a wrapped key with one bit flipped: the header was altered.",
                                    vault: vault, password: Self.password, blob: altered, decoded: parameters)
        tampered.add("expect", "tampered")
        try write(tampered, "header-tampered-wrapped-key.txt")

        var cheap = header
        cheap.parameters[2] = 14
        var refused = headerVector("logN 14, below the floor of 15: refused before any key is derived.",
                                   vault: vault, password: Self.password, blob: cheap, decoded: nil)
        refused.add("expect", "refused")
        try write(refused, "header-below-kdf-floor.txt")
    }

    /// Names every record of the manifest (and the manifest's own records) by its logical key.
    private func writeManifests(_ records: [StoredRecord], sealer: RecordSealer, keys: FormatVector) throws
        -> [RecordName: LogicalKey] {
        let live = records.filter { !$0.deleted }
        let root = try required(live.first { $0.name == sealer.keys.name(.manifest) }, "manifest root")
        let labels = SecretTable()
        defer { labels.wipe() }
        guard case .found(let manifest, _) = try Manifest.read(root: root, sealer: sealer, labels: labels, fetch: { names in
            live.filter { names.contains($0.name) }
        }) else { throw FormatVector.Problem(description: "the new vault's manifest does not open") }
        var listed: [RecordName: LogicalKey] = [sealer.keys.name(.manifest): .manifest]
        for key in Array(manifest.entries.keys) + Array(manifest.tombstones.keys) { listed[sealer.keys.name(key)] = key }
        var parts: [(Int, StoredRecord)] = []
        for (index, part) in manifest.parts.enumerated() where part.version > 0 {
            let name = sealer.keys.name(.manifestPart(UInt8(index)))
            listed[name] = .manifestPart(UInt8(index))
            parts.append((index, try required(live.first { $0.name == name }, "manifest part \(index)")))
        }
        func manifestVector(_ what: String, parts: [(Int, StoredRecord)], expect: String) -> FormatVector {
            var v = vector("manifest", what)
            v.fields += keys.fields
            v.add("root-name", hex: root.name.bytes)
            v.add("root-version", root.version)
            v.add("root-blob", base64: root.blob)
            for (index, record) in parts { v.add("part", "\(index) \(record.version) \(Base64.encode(record.blob))") }
            if expect == "opens" {
                v.add("counter", manifest.counter)
                v.add("changed", manifest.changed)
                for line in FormatVectorCheck.entryLines(manifest, labels: labels) { v.add("entry", line) }
            }
            v.add("expect", expect)
            return v
        }
        try write(manifestVector("The manifest's root and every part it lists, and what they list.", parts: parts,
                                 expect: "opens"), "manifest.txt")
        // Part 0 sealed again at its own name and version (a new nonce): it opens, but its digest
        // is not the one the root lists.
        let (index, part) = parts[0]
        let payload = try sealer.open(part)
        defer { payload.wipe() }
        let resealed = StoredRecord(name: part.name, version: part.version,
                                    blob: try sealer.seal(payload, name: part.name, version: part.version, sizeClass: .manifest),
                                    deleted: false, sequence: 0)
        var replaced = parts
        replaced[0] = (index, resealed)
        try write(manifestVector("Part \(index) replaced by another sealing of itself: its digest does not match the root's.",
                                 parts: replaced, expect: "damaged"), "manifest-part-replaced.txt")
        try write(manifestVector("Part \(parts[1].0) left out.", parts: parts.filter { $0.0 != parts[1].0 }, expect: "damaged"),
                  "manifest-part-missing.txt")
        try writeFormat1Manifest(manifest, labels: labels, root: root, sealer: sealer, keys: keys)
        return listed
    }

    func required<T>(_ value: T?, _ what: String) throws -> T {
        guard let value else { throw FormatVector.Problem(description: "the new vault has no \(what)") }
        return value
    }
}
