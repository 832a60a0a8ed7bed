import OnionsCore
import OnionsCrypto

/// Folders on the command line: `add --folder`, `list --folder` and `mv TITLE FOLDER`.
///
/// A folder path is private like a title: `-` reads it from standard input, and it goes into
/// secret memory. Slashes at either end and doubled ones are dropped ("/web//x/" is "web/x").
enum FolderCommands {
    static let folderOption = OptionDeclaration("--folder", .word, "F|-", help: "the folder path (\"web/github.com\")")
    static let folderFilter = OptionDeclaration("--folder", .word, "F|-", help: "only the onions in folder F or below it")

    static let move = CommandDeclaration(
        "mv", summary: "move an onion into a folder",
        details: "  FOLDER: a path such as \"web/github.com\"; \"/\" moves the onion to the top;\n" + secretArgumentHint,
        positionals: [OnionCommands.title, PositionalDeclaration(name: "FOLDER|-")],
        action: .vault(VaultAction(agentRuns: { _ in true }) { arguments, session, _ in
            let onion = try OnionCommands.find(session, title: arguments.positionals[0])
            let folder = try read(arguments.positionals[1])
            defer { folder.wipe() }
            try session.afterPeers { try session.moveOnion(onion.id, folder: folder) }
            return 0
        }))

    /// The folder path `argument` gives (see `SecretArgument`), normalized and within its limit.
    static func read(_ argument: String) throws -> SecretBytes {
        let raw = try SecretArgument.read(argument, what: FieldLimit.onionFolder.name,
                                          maximumBytes: 2 * FieldLimit.onionFolder.maxBytes)
        defer { raw.wipe() }
        let path = FolderPath.normalized(raw)
        do { try FieldLimit.onionFolder.check(path) } catch {
            path.wipe()
            throw CommandFailure("\(error)")
        }
        return path
    }
}
