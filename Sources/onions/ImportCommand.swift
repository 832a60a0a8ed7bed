import Glibc
import OnionsCore
import OnionsCrypto

/// `onions import --from onions-app FILE` and `onions import --from backup FILE`.
///
/// From the Onions app: `OnionsAppImport` decrypts, fits and saves every onion with the app's
/// old password and reports by objectId what it cut or left out. Exit 1 unless every onion was
/// imported.
///
/// From a backup (`onions export --encrypted`): the vault is recreated as it was, header and
/// records, in a store that does not hold that user's vault yet. No password is needed; the
/// backup must belong to `--user`.
enum ImportCommand {
    static let declaration = CommandDeclaration(
        "import", summary: "onions from the original app's export, or a sealed backup",
        details: """
          --from onions-app: FILE is a JSON export of the original Onions app's Onion class; the app's
          password comes from --old-password-file F or the terminal, the vault's as usual
          (--password-file, --password-stdin).
          --from backup: FILE was written by 'onions export --encrypted'; it is restored into a store
          that has no vault for NAME (no password asked).
          Texts over the limits (30 characters for a title, 2,500 for an info) are cut, end in
          "…" and are reported. Exit status 1 unless everything was imported.
        """,
        options: [OptionDeclaration("--from", .oneOf(["onions-app", "backup"]), required: true,
                                    help: "where FILE comes from"),
                  OptionDeclaration("--old-password-file", .file, "F", help: "the Onions app's password (onions-app)")],
        positionals: [PositionalDeclaration(name: "FILE")],
        validate: { arguments, _ in
            guard arguments.value("--from") == "onions-app" || arguments.value("--old-password-file") == nil else {
                throw UsageError("--old-password-file goes with --from onions-app")
            }
        },
        action: .plain { arguments, invocation in
            let file = arguments.positionals[0]
            if arguments.value("--from") == "backup" { return try restoreBackup(file, invocation.options) }
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
