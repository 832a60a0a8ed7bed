import Glibc
import OnionsCore
import OnionsCrypto

/// `onions import --from onions-app FILE`, `onions import --from backup FILE`, and the peers'
/// files (`--from pass|jrnl|keepassxc|keepassxc-csv|bitwarden|plain`, see `PeerImport`).
///
/// From the Onions app: `OnionsAppImport` decrypts, fits and saves every onion with the app's
/// old password and reports by objectId what it cut or left out. Exit 1 unless every onion was
/// imported.
///
/// From a backup (`onions export --encrypted`): the vault is recreated as it was, header and
/// records, in a store that does not hold that user's vault yet. No password is needed; the
/// backup must belong to `--user`.
enum ImportCommand {
    static let peers = ["pass", "jrnl", "keepassxc", "keepassxc-csv", "bitwarden", "plain"]

    static let declaration = CommandDeclaration(
        "import", summary: "onions from pass, jrnl, KeePassXC, Bitwarden, a plain export, the app or a backup",
        details: """
          --from pass [DIR]: a pass or gopass store (default $PASSWORD_STORE_DIR or ~/.password-store),
          each file decrypted by gpg. --from jrnl FILE: a jrnl journal, plain or encrypted.
          --from keepassxc FILE: a KDBX 4 or 3.1 database (--key-file F if it has one), or KeePassXC's
          CSV export (--from keepassxc-csv, or found by its content). --from bitwarden FILE: a JSON
          export, plain or password-protected. --from plain FILE: 'onions export --plain' (its cards
          are sealed again under --card-password-file F). A peer's own password comes from
          --old-password-file F or the terminal; it is checked before the vault is opened, so a
          wrong one changes nothing. One line per item on standard output; the onions are saved in
          one go. Fields become 'key: value' lines of the info, the password first; a folder path or
          group becomes the onion's folder, the peer's times its times. Names over 30 characters keep
          their full path as the folder.
          --from onions-app: FILE is a JSON export of the original Onions app's Onion class; the app's
          password comes from --old-password-file F or the terminal, the vault's as usual
          (--password-file, --password-stdin).
          --from backup: FILE was written by 'onions export --encrypted'; it is restored into a store
          that has no vault for NAME (no password asked).
          Texts over the limits (30 characters for a title, 2,500 for an info) are cut, end in
          "…" and are reported. Exit status 1 unless everything was imported.
        """,
        options: [OptionDeclaration("--from", .oneOf(["onions-app", "backup"] + peers), required: true,
                                    help: "where FILE (or the pass store DIR) comes from"),
                  OptionDeclaration("--old-password-file", .file, "F",
                                    help: "the peer's own password (onions-app, jrnl, keepassxc, bitwarden)"),
                  OptionDeclaration("--key-file", .file, "F", help: "the KeePassXC database's key file (keepassxc)"),
                  OptionDeclaration("--card-password-file", .file, "F",
                                    help: "the password that seals the cards again (plain)")],
        positionals: [PositionalDeclaration(name: "FILE|DIR", optional: true)],
        validate: { arguments, _ in
            let from = arguments.value("--from") ?? ""
            guard ["onions-app", "jrnl", "keepassxc", "bitwarden"].contains(from)
                    || arguments.value("--old-password-file") == nil else {
                throw UsageError("--old-password-file goes with --from onions-app, jrnl, keepassxc or bitwarden")
            }
            guard from == "keepassxc" || arguments.value("--key-file") == nil else {
                throw UsageError("--key-file goes with --from keepassxc")
            }
            guard from == "plain" || arguments.value("--card-password-file") == nil else {
                throw UsageError("--card-password-file goes with --from plain")
            }
            guard from == "pass" || !arguments.positionals.isEmpty else {
                throw UsageError("--from \(from) needs FILE")
            }
        },
        action: .plain { arguments, invocation in
            let from = arguments.value("--from")!
            if peers.contains(from) {
                guard let path = arguments.positionals.first ?? PassStoreReader.defaultDirectory() else {
                    throw CommandFailure("no password store: give DIR, or set PASSWORD_STORE_DIR or HOME")
                }
                return try PeerImport.run(PeerImport.Request(
                    source: from, path: path, oldPasswordFile: arguments.value("--old-password-file"),
                    keyFile: arguments.value("--key-file"), cardPasswordFile: arguments.value("--card-password-file")),
                    invocation.options)
            }
            let file = arguments.positionals[0]
            if from == "backup" { return try restoreBackup(file, invocation.options) }
            return try importOnionsApp(file, oldPasswordFile: arguments.value("--old-password-file"), invocation.options)
        })

    // MARK: From the Onions app

    static func importOnionsApp(_ path: String, oldPasswordFile: String?, _ options: GlobalOptions) throws -> Int32 {
        let file = try readFile(path, limit: Limits.maximumOnionsAppFileBytes, as: OnionsAppFile.init(decoding:),
                                orElse: "nothing imported")
        return try VaultRun.withSession(options) { session in
            try importOnionsApp(file, from: path, into: session, oldPasswordFile: oldPasswordFile)
        }
    }

    private static func importOnionsApp(_ file: OnionsAppFile, from path: String, into session: Session,
                                        oldPasswordFile: String?) throws -> Int32 {
        let status = VaultRun.reportIssues(session)
        let oldPassword = try oldPasswordFile.map(readPasswordFile)
            ?? readPasswordFromTerminal(prompt: "Password of the Onions app: ")
        defer { oldPassword.wipe() }
        let report = OnionsAppImport.run(file, password: oldPassword, save: { title, info in
            _ = try session.saveOnion(id: nil, title: title, info: info)
        }, note: { printError("onions: \($0)") })
        if let unopened = report.wrongPassword {
            printError("onions: the old password opens none of the \(unopened) onions in \(path): "
                       + "wrong password? Nothing imported.")
            return 1
        }
        session.pushPending()  // what the import saved goes to the server (saves never wait on it)
        printError("imported \(report.imported) of \(report.total) onions")
        return report.isComplete ? status : 1
    }

    // MARK: From a backup

    static func restoreBackup(_ path: String, _ options: GlobalOptions) throws -> Int32 {
        let backup = try readFile(path, limit: Limits.maximumBackupFileBytes, as: BackupFile.init(decoding:),
                                  orElse: "nothing restored")
        let user = try VaultRun.username(options)
        guard VaultID(CredentialStretching.stretch(user)) == backup.vault else {
            throw CommandFailure("\(path) is the backup of another user's vault, not of '\(user)'; nothing restored")
        }
        do { _ = try VaultParameters(decoding: backup.header.parameters) } catch {
            throw CommandFailure("\(path): the vault header is damaged; nothing restored")
        }
        guard backup.restoringWriteCount <= UInt64(Limits.maximumRestoreWrites) else {
            throw CommandFailure("\(path): the backup holds more than the limit of "
                                 + "\(Limits.maximumRestoreWrites) records; nothing restored")
        }
        let writes = backup.restoringWrites()
        let store = try options.openStore()
        let storePath = options.resolvedStorePath()
        if try store.prelogin(vault: backup.vault) != nil {
            throw CommandFailure("\(storePath) holds a vault for '\(user)' already; a backup is restored only "
                                 + "where there is none (nothing restored)")
        }
        do {
            try store.createVault(backup.vault, header: backup.header)
        } catch StoreError.vaultExists {
            throw CommandFailure("\(storePath) holds a vault for '\(user)' already; nothing restored")
        }
        do {
            try store.apply(vault: backup.vault, writes: writes)
        } catch {
            try? store.deleteVault(backup.vault)
            throw error
        }
        let live = backup.records.filter { !$0.deleted }.count
        printError("restored the vault of '\(user)' (\(live) records) into \(storePath)")
        return 0
    }

    // MARK: Files

    /// The file at `path` read by `decode`, whose error (the format's words) becomes a failure
    /// naming the file and ending in `outcome`.
    static func readFile<Value>(_ path: String, limit: Int, as decode: ([UInt8]) throws -> Value,
                                orElse outcome: String) throws -> Value {
        let bytes = try readWholeFile(path, limit: limit)
        do {
            return try decode(bytes)
        } catch {
            throw CommandFailure("\(path): \(error); \(outcome)")
        }
    }

    /// The bytes of a (non-secret) file, refusing one over `limit` bytes (read no further).
    static func readWholeFile(_ path: String, limit: Int) throws -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try PlainFile.read(path, limit: limit)
        } catch {
            throw CommandFailure("cannot read \(path): \(error.reason)")
        }
        guard bytes.count <= limit else {
            throw CommandFailure("\(path) is larger than the limit of \(limit / 1024 / 1024) MiB; nothing read from it")
        }
        return bytes
    }
}
