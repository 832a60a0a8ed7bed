import OnionsCore
import OnionsCrypto

/// What `onions history` says of a conflict copy (where it came from) and `onions restore
/// --other-side` (the original takes the copy's texts; the copy goes to the trash).
enum HistoryConflicts {
    static let otherSide = OptionDeclaration(
        "--other-side", help: "NAME is a conflict copy: the item it came from takes its text, the copy goes to the trash")

    /// `restore --other-side NAME`.
    static func restoreOtherSide(_ session: Session, _ typed: String) throws {
        try session.afterPeers {
            let copy = try HistoryCommands.find(session, typed)
            let original = try session.restoreOtherSide(copy)
            printError("the \(original.kind) it was copied from now holds its text as its newest version; "
                + "the copy is in the trash")
        }
    }

    /// "\tcopy of onion “Groceries”: version 3, machine 1a2b3c4d, commit 5, 2026-11-26 14:05 UTC",
    /// written after a version line (the name from the vault's texts, straight to the output).
    static func writeOrigin(_ source: ConflictSource, _ session: Session) {
        let origin = source.origin
        if let item = origin.item, source.originalListed, let label = label(of: item, session) {
            writeStdout("\tcopy of \(item.kind) “")
            session.texts.withBytes(label) { writeStdout($0) }
            writeStdout("”: ")
        } else if let item = origin.item {
            writeStdout("\tcopy of \(item.kind == "onion" ? "an" : "a") \(item.kind) no longer in the vault: ")
        } else {
            writeStdout("\tcopy of an unsaved draft: ")
        }
        var parts: [String] = []
        if let number = source.version { parts.append("version \(number)") }
        parts.append(HistoryCommands.machineName(origin.machine, session))
        if let commit = origin.commit { parts.append("commit \(commit)") }
        parts.append(VerifyCommand.time(origin.time))
        writeStdout(parts.joined(separator: ", "))
    }

    /// `"origin": {...}` of a version in `history --json`: null, or kind, name (null when the
    /// original is not in the vault), version (null when not held here), machine, commit, time.
    static func writeOrigin(_ source: ConflictSource?, of version: ItemVersion, _ session: Session,
                            to out: JSONOutput) throws {
        try out.raw(",\"origin\":")
        guard let source, let origin = version.origin else { return try out.raw("null") }
        try out.raw("{\"kind\":\"\(origin.item?.kind ?? "draft")\",\"name\":")
        if let item = origin.item, let label = label(of: item, session) {
            try out.string(session.texts, label)
        } else {
            try out.raw("null")
        }
        try out.raw(",\"version\":\(origin == source.origin ? source.version.map(String.init) ?? "null" : "null")")
        try out.raw(",\"machine\":\"\(Hex.encode(origin.machine))\",\"commit\":\(origin.commit.map(String.init) ?? "null")")
        try out.raw(",\"time\":\(origin.time)}")
    }

    /// The handle of `item`'s title, recipient or text in the session's texts; nil when it is not listed.
    static func label(of item: ItemRef, _ session: Session) -> Int? {
        switch item {
        case .onion(let id): return session.onions.first { $0.id == id }?.title
        case .card(let id): return session.cards.first { $0.id == id }?.recipient
        case .task(let n): return session.tasks.first { $0.id == n }?.text
        }
    }
}
