import OnionsCore
import OnionsCrypto

/// `onions export --encrypted FILE` (a sealed backup) and `onions export --plain FILE` (JSON).
///
/// Both log in first and create FILE with mode 0600, refusing an existing file unless
/// `--force`. The plain export needs `--i-understand-this-is-plaintext`; card descriptions stay
/// sealed in it except for the cards that open with `--card-password-file`.
enum ExportCommand {
    static let usage = """
    usage: onions --user NAME export --encrypted FILE [--force]
           onions --user NAME export --plain FILE --i-understand-this-is-plaintext
                                     [--card-password-file F] [--force]

      --encrypted FILE   a backup of the whole vault, still sealed: the header and every
                         record as stored ('onions import --from backup FILE' restores it)
      --plain FILE       JSON of every title, info, task and card recipient, in plaintext
      --card-password-file F
                         also write the descriptions of the cards this password opens
                         (others are marked "sealed": true)
      --force            replace FILE if it exists (otherwise an existing FILE is refused)
    FILE is created readable by you only (mode 0600).
    """

    static func run(_ args: [String], _ options: GlobalOptions) throws -> Int32 {
        guard var list = ArgumentList.unlessHelp(args, usage: usage) else { return 0 }
        let encrypted = try list.value("--encrypted")
        let plain = try list.value("--plain")
        let understood = list.flag("--i-understand-this-is-plaintext")
        let cardPasswordFile = try list.value("--card-password-file")
        let force = list.flag("--force")
        guard try list.positionals().isEmpty else { throw UsageError("export takes no other arguments\n\(usage)") }
        switch (encrypted, plain) {
        case (let path?, nil):
            guard cardPasswordFile == nil, !understood else {
                throw UsageError("--card-password-file and --i-understand-this-is-plaintext go with --plain")
            }
            return try exportBackup(to: path, force: force, options)
        case (nil, let path?):
            guard understood else {
                throw UsageError("--plain writes every text unencrypted; add --i-understand-this-is-plaintext")
            }
            return try exportPlain(to: path, force: force, cardPasswordFile: cardPasswordFile, options)
        default:
            throw UsageError("say either --encrypted FILE or --plain FILE\n\(usage)")
        }
    }

    // MARK: Sealed backup

    static func exportBackup(to path: String, force: Bool, _ options: GlobalOptions) throws -> Int32 {
        var options = options
        options.readsOnly = true
        let session = try VaultCommands.logIn(options)
        defer { session.lock() }
        let status = VaultCommands.reportIssues(session)
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
        let session = try VaultCommands.logIn(options)
        defer { session.lock() }
        var status = VaultCommands.reportIssues(session)
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
