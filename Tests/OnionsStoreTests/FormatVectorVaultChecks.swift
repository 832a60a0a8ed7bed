import Foundation
@testable import OnionsCore
import OnionsCrypto
import OnionsStore

/// The vectors of whole vaults: a backup restored, the SQLite store, this machine's state files;
/// each opened with `Session.logIn` and compared with what the vector lists.
extension FormatVectorCheck {
    mutating func backup(_ v: FormatVector) throws -> String {
        let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(try v.value("file"))))
        let backup: BackupFile
        do {
            backup = try BackupFile(decoding: bytes)
        } catch let error as BackupFile.FormatError {
            return error.description.contains("cut off") ? "cut off" : "unreadable"
        }
        let username = try v.value("username")
        guard backup.vault == VaultID(CredentialStretching.stretch(username)) else { return "another vault" }
        guard (try? VaultParameters(decoding: backup.header.parameters)) != nil else { return "refused" }
        return try Self.inTemporaryFolder { folder in
            let store = try SQLiteStore(path: folder.appendingPathComponent("onions.db").path)
            try store.createVault(backup.vault, header: backup.header)
            try store.apply(vault: backup.vault, writes: backup.restoringWrites())
            return try opened(store, v, stateDirectory: folder.appendingPathComponent("state").path)
        }
    }

    mutating func sqliteVault(_ v: FormatVector) throws -> String {
        try Self.inTemporaryFolder { folder in
            let copy = folder.appendingPathComponent("onions.db")
            try FileManager.default.copyItem(at: self.folder.appendingPathComponent(try v.value("file")), to: copy)
            let store = try SQLiteStore(path: copy.path)
            return try opened(store, v, stateDirectory: folder.appendingPathComponent("state").path)
        }
    }

    /// This machine's files about the vault (FORMAT.md section 9) in a state folder, then a log
    /// in to a copy of the SQLite vault with that folder: it must read them as they are.
    mutating func localState(_ v: FormatVector) throws -> String {
        try Self.inTemporaryFolder { folder in
            let copy = folder.appendingPathComponent("onions.db")
            try FileManager.default.copyItem(at: self.folder.appendingPathComponent(try v.value("file")), to: copy)
            let state = folder.appendingPathComponent("state")
            try FileManager.default.createDirectory(at: state, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
            for line in v.values("state-file") {
                let f = line.split(separator: " ")
                guard f.count == 2, let content = Hex.decode(String(f[1])) else {
                    throw FormatVector.Problem(description: "state-file line is not 'name hex'")
                }
                guard FileManager.default.createFile(atPath: state.appendingPathComponent(String(f[0])).path,
                                                     contents: Data(content), attributes: [.posixPermissions: 0o600]) else {
                    throw FormatVector.Problem(description: "cannot write the state file \(f[0])")
                }
            }
            let vault = VaultID(try v.value("vault-id"))
            let uuid = try v.hex("vault-uuid")
            same(v.values("state-file").map { String($0.prefix { $0 != " " }) }.sorted(),
                 [LocalState.fileName(vault: vault, vaultUUID: uuid),
                  "kdf-" + Hex.encode(Array(SHA256.hash(Array(vault.value.utf8)).prefix(16)))].sorted(), "file names")
            let read = try LocalState.load(directory: state.path, vault: vault, vaultUUID: uuid)
            same(read.counter, try v.number("counter"), "counter read")
            let password = SecretBytes(copying: try v.hex("password"))
            defer { password.wipe() }
            let session: Session
            do {
                session = try Session.logIn(store: try SQLiteStore(path: copy.path), username: try v.value("username"),
                                            password: password, stateDirectory: state.path)
            } catch let error as VaultError {
                return Self.outcome(of: error)
            }
            defer { session.lock() }
            same(session.isNewToThisMachine, false, "new to this machine")
            if session.issues.contains(where: { if case .rolledBack = $0.kind { return true } else { return false } }) {
                return "rolled back"
            }
            return session.issues.isEmpty ? "opens" : "damaged"
        }
    }

    /// Logs in to the vault in `store` and compares what the session lists with the vector.
    private mutating func opened(_ store: Store, _ v: FormatVector, stateDirectory: String) throws -> String {
        let password = SecretBytes(copying: try v.hex("password"))
        defer { password.wipe() }
        let session: Session
        do {
            session = try Session.logIn(store: store, username: try v.value("username"), password: password,
                                        stateDirectory: stateDirectory)
        } catch let error as VaultError {
            return Self.outcome(of: error)
        }
        defer { session.lock() }
        guard session.issues.isEmpty else {
            fail("log in reports \(session.issues)")
            return "damaged"
        }
        do {
            try compareContents(session, v)
        } catch let error as VaultError {
            fail("\(error)")
            return "damaged"
        }
        return "opens"
    }

    /// Onions, cards (opened with their passwords), tasks, the draft, the order, the task order
    /// and the counter of an open session, against the vector's lines.
    private mutating func compareContents(_ session: Session, _ v: FormatVector) throws {
        let pinned = session.settings.pinned
        var onions: [String] = []
        for onion in session.onions {
            let info = try session.info(of: onion.id)
            defer { info.wipe() }
            let title = session.texts.withBytes(onion.title) { Array($0) }
            onions.append("\(onion.id) \(Self.dash(title)) \(Self.dash(bytes(info))) \(pinned.contains(onion.id) ? 1 : 0)")
        }
        same(onions.sorted(), v.values("onion").sorted(), "onions")
        var cards: [String] = []
        for card in session.cards {
            let line = v.values("card").first { $0.hasPrefix("\(card.id) ") } ?? ""
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            let password = SecretBytes(copying: fields.count == 4 ? Self.undash(fields[2]) ?? [] : [0x3f])
            defer { password.wipe() }
            let description = try session.openCard(card.id, password: password)
            defer { description.wipe() }
            let recipient = session.texts.withBytes(card.recipient) { Array($0) }
            cards.append("\(card.id) \(Self.dash(recipient)) \(Self.dash(bytes(password))) \(Self.dash(bytes(description)))")
        }
        same(cards.sorted(), v.values("card").sorted(), "cards")
        let tasks = session.tasks.map { task in
            "\(task.id) \(task.done ? 1 : 0) \(Self.dash(session.texts.withBytes(task.text) { Array($0) }))"
        }
        same(tasks.sorted(), v.values("task").sorted(), "tasks")
        let draft = session.draft.map { d in
            "\((d.kind == .card ? 2 : 0) + (d.target == nil ? 0 : 1)) \(d.target.map { Hex.encode($0.bytes) } ?? "-") "
                + "\(Self.dash(bytes(d.title))) \(Self.dash(bytes(d.info)))"
        }
        same(draft.map { [$0] } ?? [], v.values("draft"), "draft")
        same(String(session.settings.order.rawValue), try v.value("order"), "order")
        same(session.settings.taskOrder.map(String.init).joined(separator: " "), try v.value("task-order"), "task order")
        same(session.vaultCounter, try v.number("counter"), "manifest counter")
    }
}
