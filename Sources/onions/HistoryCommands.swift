import Glibc
import OnionsCore
import OnionsCrypto

/// `onions history|restore|trash|purge|retention`: versions of items and the trash (FORMAT.md
/// "Versions and trash"). NAME is an onion's title, a card's recipient or a task's text.
enum HistoryCommands {
    static let name = PositionalDeclaration(name: "NAME|-")
    static let versionOption = OptionDeclaration("--version", .number(1...Int.max), "N", help: "version N (1: the oldest kept)")

    static let history = CommandDeclaration(
        "history", summary: "the kept versions of an onion, card or task",
        details: "  one line per version, oldest first: number, time, machine, size (current marked);\n"
            + "  NAME: an onion's title, a card's recipient or a task's text (#N: the N-th of onions,\n"
            + "  then cards, then tasks); a conflict copy's version a sync made names what it was copied\n"
            + "  from: the item, its version here, the machine, commit and time that saved it;\n"
            + "  --json: {\"versions\": [{\"number\": N, \"time\": MS, \"machine\": HEX, \"commit\": N, \"size\": N,\n"
            + "  \"current\": B, \"origin\": null|{\"kind\": K, \"name\": ..., \"version\": N, \"machine\": HEX,\n"
            + "  \"commit\": N, \"time\": MS}}]} (machine, commit, name and version null when unknown)\n"
            + secretArgumentHint,
        options: [OnionCommands.json], positionals: [name],
        action: .vault(VaultAction(readsOnly: true) { arguments, session, _ in
            let item = try find(session, arguments.positionals[0])
            let versions = try session.versions(of: item)
            let source = session.conflictSource(in: versions)
            if arguments.flag("--json") {
                try JSONOutput.writeList("versions", versions) { out, v in
                    try out.raw("\"number\":\(v.number),\"time\":\(v.time),\"machine\":")
                    try out.raw(v.machine.map { "\"\(Hex.encode($0))\"" } ?? "null")
                    try out.raw(",\"commit\":\(v.commit.map(String.init) ?? "null"),\"size\":\(v.size),\"current\":\(v.isCurrent)")
                    try HistoryConflicts.writeOrigin(source, of: v, session, to: out)
                }
                return 0
            }
            for v in versions {
                writeStdout(line(v, session: session))
                if v.origin != nil, let source { HistoryConflicts.writeOrigin(source, session) }
                writeStdout("\n")
            }
            return 0
        }))

    static let restore = CommandDeclaration(
        "restore", summary: "save an earlier version again, or bring an item back from the trash",
        details: "  restore NAME: saves the version before the current one again as the newest (nothing\n"
            + "  is overwritten); --version N: that version; --from-trash: NAME is a deleted item\n"
            + "  ('onions trash' lists them), brought back with its last version; --other-side: NAME is\n"
            + "  a conflict copy, whose text the item it was copied from takes as its newest version\n"
            + "  (its name without \"(conflict N)\"), and the copy goes to the trash\n" + secretArgumentHint,
        options: [versionOption, OptionDeclaration("--from-trash", help: "NAME is an item in the trash"),
                  HistoryConflicts.otherSide],
        positionals: [name],
        validate: { arguments, _ in
            guard !(arguments.flag("--from-trash") && arguments.value("--version") != nil) else {
                throw UsageError("--from-trash brings back an item's last version; give --version after it is back")
            }
            guard !arguments.flag("--other-side") || !(arguments.flag("--from-trash") || arguments.value("--version") != nil) else {
                throw UsageError("--other-side takes the copy's current text; it goes with neither --version nor --from-trash")
            }
        },
        action: .vault(VaultAction { arguments, session, _ in
            if arguments.flag("--other-side") {
                try HistoryConflicts.restoreOtherSide(session, arguments.positionals[0])
                return 0
            }
            if arguments.flag("--from-trash") {
                try session.afterPeers {
                    let entries = try session.trash()
                    defer { session.forget(entries) }
                    let entry = try findInTrash(session, entries, arguments.positionals[0])
                    try session.restoreFromTrash(entry)
                    printError("\(entry.item.kind) restored from the trash")
                }
                return 0
            }
            try session.afterPeers {
                let item = try find(session, arguments.positionals[0])
                let versions = try session.versions(of: item)
                let wanted = arguments.number("--version") ?? (versions.count - 1)
                guard let version = versions.first(where: { $0.number == wanted }) else {
                    throw CommandFailure(versions.count <= 1 ? "that \(item.kind) has no earlier version"
                        : "that \(item.kind) has versions 1 to \(versions.count); there is no version \(wanted)")
                }
                guard !version.isCurrent else { throw CommandFailure("version \(wanted) is the current one") }
                try session.restore(version, of: item)
                printError("version \(wanted) of the \(item.kind) saved again as version \(versions.count + 1)")
            }
            return 0
        }))

    static let trash = CommandDeclaration(
        "trash", summary: "deleted onions, cards and tasks, kept until the trash's days are over",
        details: "  one line per item, latest delete first: kind, time of the delete, name;\n"
            + "  --json: {\"trash\": [{\"kind\": \"onion\"|\"card\"|\"task\", \"name\": ..., \"deleted\": MS}]}",
        options: [OnionCommands.json],
        action: .vault(VaultAction(readsOnly: true) { arguments, session, _ in
            let entries = try session.trash()
            defer { session.forget(entries) }
            if arguments.flag("--json") {
                try JSONOutput.writeList("trash", entries) { out, entry in
                    try out.raw("\"kind\":\"\(entry.item.kind)\",")
                    try out.key("name")
                    try out.string(session.texts, entry.label)
                    try out.raw(",\"deleted\":\(entry.deletedAt)")
                }
                return 0
            }
            for entry in entries {
                writeStdout("\(entry.item.kind)\t\(VerifyCommand.time(entry.deletedAt))\t")
                printLine(session.texts, entry.label)
            }
            return 0
        }))

    static let purge = CommandDeclaration(
        "purge", summary: "remove items from the trash for good (all of it without NAME)",
        details: "  removes every kept version of the items, overwriting their bytes in this machine's\n"
            + "  store, and on the server at the sync that follows; asks first unless --yes (needed\n"
            + "  when not run from a terminal). A server's write-ahead log and backups may still hold\n"
            + "  copies (docs/SECURITY.md)\n" + secretArgumentHint,
        options: [OptionDeclaration("--yes", help: "do not ask")], positionals: [PositionalDeclaration(name: "NAME|-", optional: true)],
        validate: { arguments, _ in
            guard arguments.flag("--yes") || isatty(0) != 0 else {
                throw UsageError("purge needs --yes when not run from a terminal")
            }
        },
        action: .vault(VaultAction { arguments, session, _ in
            let entries = try session.trash()
            defer { session.forget(entries) }
            let chosen = try arguments.positionals.first.map { [try findInTrash(session, entries, $0)] } ?? entries
            guard !chosen.isEmpty else {
                printError("the trash is empty")
                return 0
            }
            if !arguments.flag("--yes") {
                let answer = try readPasswordFromTerminal(
                    prompt: "Remove \(chosen.count) item(s) from the trash for good? Type yes: ", echo: true)
                defer { answer.wipe() }
                guard answer.withUnsafeBytes({ Array($0) }) == Array("yes".utf8) else {
                    throw CommandFailure("not confirmed; nothing purged")
                }
            }
            let rows = try session.purge(chosen)
            printError("\(chosen.count) item(s) purged (\(rows) kept version(s) removed)")
            return 0
        }))

    static let retention = CommandDeclaration(
        "retention", summary: "how long versions and deleted items are kept (the vault's setting)",
        details: "  without options prints the setting; a version is kept while it is one of an item's\n"
            + "  newest --versions (default 20) or younger than --days (default 90), whichever keeps\n"
            + "  more; a deleted item stays --trash-days (default 30). One setting for every machine\n"
            + "  of the vault; ages count from when each machine first held a version",
        options: [OptionDeclaration("--versions", .number(1...1_000), "N", help: "versions kept whatever their age"),
                  OptionDeclaration("--days", .number(0...3_650), "D", help: "days a version is kept whatever the count"),
                  OptionDeclaration("--trash-days", .number(0...3_650), "D", help: "days a deleted item stays in the trash")],
        action: .vault(VaultAction { arguments, session, _ in
            var kept = session.settings.retention
            let changes = [arguments.number("--versions"), arguments.number("--days"), arguments.number("--trash-days")]
            if changes.contains(where: { $0 != nil }) {
                kept.versions = changes[0] ?? kept.versions
                kept.days = changes[1] ?? kept.days
                kept.trashDays = changes[2] ?? kept.trashDays
                try session.afterPeers { try session.setRetention(kept) }
            }
            writeStdout("versions \(kept.versions)\ndays \(kept.days)\ntrash-days \(kept.trashDays)\n")
            return 0
        }))

    /// "3  2026-11-26 14:05 UTC  this machine  412 bytes  (current)".
    static func line(_ v: ItemVersion, session: Session) -> String {
        let machine = v.machine.map { machineName($0, session) } ?? "machine unknown"
        return "\(v.number)\t\(VerifyCommand.time(v.time))\t\(machine)\t\(v.size) bytes" + (v.isCurrent ? "\t(current)" : "")
    }

    /// "this machine", or "machine 1a2b3c4d" (the first bytes of its id).
    static func machineName(_ id: [UInt8], _ session: Session) -> String {
        id == session.thisMachine ? "this machine" : "machine " + Hex.encode(Array(id.prefix(4)))
    }

    /// The onion, card or task NAME names (see `NamePick`): onions first, then cards, then tasks.
    static func find(_ session: Session, _ typed: String) throws -> ItemRef {
        struct Named { let item: ItemRef, label: Int, modified: UInt64 }
        var all = session.orderedOnions.map { Named(item: .onion($0.id), label: $0.title, modified: $0.modified) }
        all += session.cards.map { Named(item: .card($0.id), label: $0.recipient, modified: $0.modified) }
        all += session.settings.ordered(session.tasks).map { Named(item: .task($0.id), label: $0.text, modified: 0) }
        let wanted = try SecretArgument.read(typed, FieldLimit.onionInfo)
        defer { wanted.wipe() }
        return try NamePick.pick(wanted, among: all, texts: session.texts, name: \.label, modified: \.modified,
                                 kind: "item", listing: "onions list, card list, task list").item
    }

    /// The item of the trash NAME names.
    static func findInTrash(_ session: Session, _ entries: [TrashEntry], _ typed: String) throws -> TrashEntry {
        let wanted = try SecretArgument.read(typed, FieldLimit.onionInfo)
        defer { wanted.wipe() }
        return try NamePick.pick(wanted, among: entries, texts: session.texts, name: \.label, modified: \.deletedAt,
                                 kind: "item in the trash", listing: "onions trash")
    }
}
