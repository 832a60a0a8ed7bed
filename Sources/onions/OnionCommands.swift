import OnionsCore
import OnionsCrypto

/// `onions list|show|add|edit|rm|grep`: the onions of a vault.
///
/// Plaintext goes from secret memory straight to standard output; errors name fields, lengths
/// and limits, never a text.
enum OnionCommands {
    static let json = OptionDeclaration("--json", help: "one JSON document instead of text")
    static let title = PositionalDeclaration(name: "TITLE|-")

    static let list = CommandDeclaration(
        "list", summary: "titles, one per line, in the interface's order (pinned first, then its sort)",
        details: "  --folder F: only the onions in folder F or below it (\"web\" holds \"web/github.com\");\n"
            + "  --json: {\"onions\": [{\"id\": ID, \"title\": ..., \"folder\": ..., \"pinned\": B, \"created\": MS,\n"
            + "  \"changed\": MS}]} (ID: the onion's stable id in hex; folder: \"\" at the top;\n"
            + "  MS: milliseconds since 1970)",
        options: [json, FolderCommands.folderFilter],
        action: .vault(VaultAction(readsOnly: true, agentRuns: { _ in true }) { arguments, session, _ in
            var onions = session.orderedOnions
            if let folder = arguments.value("--folder") {
                let path = try FolderCommands.read(folder)
                defer { path.wipe() }
                onions = session.onions(under: path, in: onions)
            }
            guard arguments.flag("--json") else { return try printNames(onions.map(\.title), of: session, json: nil) }
            try JSONOutput.writeList("onions", onions) { out, onion in
                try out.raw("\"id\":\"\(onion.id)\",")
                try out.key("title")
                try out.string(session.texts, onion.title)
                try out.raw(",")
                try out.key("folder")
                if let folder = onion.folder { try out.string(session.texts, folder) } else { try out.raw("\"\"") }
                try out.raw(",\"pinned\":\(session.settings.pinned.contains(onion.id)),")
                try out.raw("\"created\":\(onion.created),\"changed\":\(onion.modified)")
            }
            return 0
        }))

    static let show = CommandDeclaration(
        "show", summary: "print an onion's info",
        details: "  #N in place of TITLE is the N-th line of 'list' (for titles used more than once);\n"
            + "  --line N, --first-line: that line alone (exit 1 when the info has no such line);\n"
            + "  --version N: version N of the onion ('onions history TITLE' lists them);\n"
            + "  --json: {\"title\": ..., \"info\": ...}\n" + secretArgumentHint,
        options: [json, LineCommands.line, LineCommands.firstLine, HistoryCommands.versionOption], positionals: [title],
        validate: { arguments, _ in
            guard arguments.value("--line") == nil || !arguments.flag("--first-line") else {
                throw UsageError("--line and --first-line name the line twice; give one")
            }
        },
        action: .vault(VaultAction(readsOnly: true, agentRuns: { _ in true }) { arguments, session, _ in
            let onion = try find(session, title: arguments.positionals[0])
            var titleHandle = onion.title
            let whole: SecretBytes
            if let wanted = arguments.number("--version") {
                let versions = try session.versions(of: .onion(onion.id))
                guard let version = versions.first(where: { $0.number == wanted }) else {
                    throw CommandFailure("that onion has versions 1 to \(versions.count); there is no version \(wanted)")
                }
                let texts = try session.texts(of: version, of: .onion(onion.id))
                defer { texts.name.wipe(); texts.folder?.wipe() }
                whole = texts.info
                titleHandle = session.texts.add(texts.name)
            } else {
                whole = try session.info(of: onion.id)
            }
            defer { whole.wipe() }
            let lineNumber = arguments.number("--line") ?? (arguments.flag("--first-line") ? 1 : nil)
            let info = try lineNumber.map { try LineCommands.one(whole, line: $0) } ?? whole.copy()
            defer { info.wipe() }
            if arguments.flag("--json") {
                try JSONOutput.write { out in
                    try out.raw("{")
                    try out.key("title")
                    try out.string(session.texts, titleHandle)
                    try out.raw(",")
                    try out.key("info")
                    try out.string(info)
                    try out.raw("}")
                }
                return 0
            }
            writeText(info)
            return 0
        }))

    static let add = CommandDeclaration(
        "add", summary: "add an onion",
        details: "  titles: 1 to 30 characters; infos: up to 2,500; folders: up to 200 (\"web/github.com\")\n"
            + secretArgumentHint,
        options: [OptionDeclaration("--title", .word, "T|-", required: true, help: "the title"),
                  OptionDeclaration("--info-file", .file, "F|-", help: "the info, from a file or standard input"),
                  FolderCommands.folderOption],
        action: .vault(VaultAction(agentRuns: { _ in true }) { arguments, session, _ in
            let title = try SecretArgument.read(arguments.value("--title")!, FieldLimit.onionTitle)
            defer { title.wipe() }
            let folder = try arguments.value("--folder").map { try FolderCommands.read($0) }
            defer { folder?.wipe() }
            let info = try arguments.value("--info-file").map { try readSecretFile($0, limit: FieldLimit.onionInfo) }
                ?? SecretBytes(count: 0)
            defer { info.wipe() }
            try session.afterPeers { try session.saveOnion(id: nil, title: title, info: info, folder: folder) }
            return 0
        }))

    static let edit = CommandDeclaration(
        "edit", summary: "change an onion's title, info or both", details: secretArgumentHint,
        options: [OptionDeclaration("--title", .word, "NEW|-", help: "the new title"),
                  OptionDeclaration("--info-file", .file, "F|-", help: "the new info, from a file or standard input")],
        positionals: [title],
        validate: { arguments, _ in
            guard arguments.value("--title") != nil || arguments.value("--info-file") != nil else {
                throw UsageError("edit needs --title or --info-file (see 'onions edit --help')")
            }
        },
        action: .vault(VaultAction(agentRuns: { _ in true }) { arguments, session, _ in
            let onion = try find(session, title: arguments.positionals[0])
            let title = try arguments.value("--title").map { try SecretArgument.read($0, FieldLimit.onionTitle) }
                ?? session.texts.copy(onion.title)
            defer { title.wipe() }
            let info = try arguments.value("--info-file").map { try readSecretFile($0, limit: FieldLimit.onionInfo) }
                ?? session.info(of: onion.id)
            defer { info.wipe() }
            try session.afterPeers { try session.saveOnion(id: onion.id, title: title, info: info) }
            return 0
        }))

    static let remove = CommandDeclaration(
        "rm", summary: "delete an onion", details: secretArgumentHint, positionals: [title],
        action: .vault(VaultAction(agentRuns: { _ in true }) { arguments, session, _ in
            let id = try find(session, title: arguments.positionals[0]).id
            try session.afterPeers { try session.deleteOnion(id) }
            return 0
        }))

    static let grep = CommandDeclaration(
        "grep", summary: "search titles, infos, tasks and card recipients (case and accents folded)",
        details: "  prints each title with its matching lines; exit 1 when nothing matches;\n"
            + "  then \"task N: TEXT\" and \"card: RECIPIENT\" lines; \"cafe\" finds \"Café\" (\"strasse\" not \"Straße\");\n"
            + "  --json: {\"matches\": [{\"title\": ..., \"lines\": [...]}], \"tasks\": [...], \"cards\": [...]}\n" + secretArgumentHint,
        options: [json], positionals: [PositionalDeclaration(name: "WORD|-")],
        validate: { arguments, _ in
            guard !arguments.positionals[0].isEmpty else { throw UsageError("the search word may not be empty") }
        },
        action: .vault(VaultAction(readsOnly: true, agentRuns: { _ in true }) { arguments, session, _ in
            try OnionSearch.run(session, word: arguments.positionals[0], json: arguments.flag("--json"))
        }))

    /// Prints texts of the session's table one per line, or with `json` (list, field) as
    /// `{"list": [{"field": ...}, ...]}`; 0.
    static func printNames(_ handles: [Int], of session: Session, json: (list: String, field: String)?) throws -> Int32 {
        guard let json else {
            for handle in handles { printLine(session.texts, handle) }
            return 0
        }
        try JSONOutput.writeList(json.list, handles) { out, handle in
            try out.key(json.field)
            try out.string(session.texts, handle)
        }
        return 0
    }

    /// The onion `title` (a `SecretArgument`) names (see `NamePick`): fails listing the
    /// candidates when it is ambiguous.
    static func find(_ session: Session, title: String) throws -> OnionSummary {
        let wanted = try SecretArgument.read(title, FieldLimit.onionTitle)
        defer { wanted.wipe() }
        return try NamePick.pick(wanted, among: session.onions, texts: session.texts, name: \.title,
                                 modified: \.modified, kind: "onion", listing: "onions list")
    }
}
