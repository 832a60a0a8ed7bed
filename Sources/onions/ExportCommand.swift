import OnionsCore
import OnionsCrypto

/// `onions export --encrypted FILE` (a sealed backup) and `onions export --plain FILE` (JSON).
///
/// Both log in first and create FILE with mode 0600, refusing an existing file unless
/// `--force`. The plain export needs `--i-understand-this-is-plaintext`; card descriptions stay
/// sealed in it except for the cards that open with `--card-password-file`.
enum ExportCommand {
    static let declaration = CommandDeclaration(
        "export", summary: "a sealed backup, or every text as JSON (mode 0600)",
        details: """
          Say either --encrypted FILE or --plain FILE. The sealed backup holds the header and every
          record as stored ('onions import --from backup FILE' restores it); the plain export is JSON
          of every title, info, task and card recipient. FILE is created readable by you only (mode 0600).
        """,
        options: [OptionDeclaration("--encrypted", .file, "FILE", help: "a backup of the whole vault, still sealed"),
                  OptionDeclaration("--plain", .file, "FILE", help: "JSON of every text, in plaintext"),
                  OptionDeclaration("--i-understand-this-is-plaintext", help: "needed with --plain"),
                  OptionDeclaration("--card-password-file", .file, "F",
                                    help: "with --plain: also write the descriptions of the cards this\n"
                                        + "password opens (others are marked \"sealed\": true)"),
                  OptionDeclaration("--force", help: "replace FILE if it exists (otherwise an existing FILE is refused)")],
        validate: { arguments, _ in
            let understood = arguments.flag("--i-understand-this-is-plaintext")
            switch (arguments.value("--encrypted"), arguments.value("--plain")) {
            case (_?, nil):
                guard arguments.value("--card-password-file") == nil, !understood else {
                    throw UsageError("--card-password-file and --i-understand-this-is-plaintext go with --plain")
                }
            case (nil, _?):
                guard understood else {
                    throw UsageError("--plain writes every text unencrypted; add --i-understand-this-is-plaintext")
                }
            default:
                throw UsageError("say either --encrypted FILE or --plain FILE (see 'onions export --help')")
            }
        },
        action: .plain { arguments, invocation in
            let force = arguments.flag("--force")
            if let path = arguments.value("--encrypted") { return try exportBackup(to: path, force: force, invocation.options) }
            return try exportPlain(to: arguments.value("--plain")!, force: force,
                                   cardPasswordFile: arguments.value("--card-password-file"), invocation.options)
        })

    // MARK: Sealed backup

    static func exportBackup(to path: String, force: Bool, _ options: GlobalOptions) throws -> Int32 {
        var options = options
        options.readsOnly = true
        return try VaultRun.withSession(options) { session in try exportBackup(session, to: path, force: force) }
    }

    private static func exportBackup(_ session: Session, to path: String, force: Bool) throws -> Int32 {
        let status = VaultRun.reportIssues(session)
        guard let header = try session.store.header(vault: session.vault) else { throw VaultError.noSuchVault }
        let records = try session.store.changes(vault: session.vault, since: 0)
        let backup = BackupFile(vault: session.vault, header: header, records: records)
        let file = try ExportFile(path: path, force: force)
        try file.write(backup.encoded())
        try file.finish()
        let live = records.filter { !$0.deleted }.count
        printError("wrote a sealed backup of \(live) records to \(path)")
        return status
    }

    // MARK: Plaintext JSON

    static func exportPlain(to path: String, force: Bool, cardPasswordFile: String?,
                            _ options: GlobalOptions) throws -> Int32 {
        let cardPassword = try cardPasswordFile.map(readPasswordFile)
        defer { cardPassword?.wipe() }
        var options = options
        options.readsOnly = true
        return try VaultRun.withSession(options) { session in
            try exportPlain(session, to: path, force: force, cardPassword: cardPassword)
        }
    }

    private static func exportPlain(_ session: Session, to path: String, force: Bool,
                                    cardPassword: SecretBytes?) throws -> Int32 {
        var status = VaultRun.reportIssues(session)
        let file = try ExportFile(path: path, force: force)
        let written = try PlainExport.write(session, cardPassword: cardPassword) { try file.write($0) }
        try file.finish()

        var summary = "wrote \(written.onions) onions, \(written.cards) cards and \(written.tasks) tasks "
            + "in plaintext to \(path)"
        if written.cards > 0 {
            summary += cardPassword == nil ? " (card descriptions stay sealed)"
                : " (\(written.openedCards) of \(written.cards) card descriptions opened with the card password)"
        }
        printError(summary)
        if written.damagedInfos > 0 {
            printError("onions: \(written.damagedInfos) info(s) did not open and are written as null with \"damaged\": true")
            status = 1
        }
        return status
    }
}
