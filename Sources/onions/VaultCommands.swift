import Glibc
import OnionsCore
import OnionsCrypto
import OnionsStore

/// The scripting commands on a vault: sign up, onions, cards, tasks, password, account.
///
/// Plaintext goes from secret memory straight to standard output; errors name fields, lengths
/// and limits, never a text. Exit codes: 0 ok, 1 error (or an integrity warning), 2 usage.
enum VaultCommands {
    static let names: Set<String> = ["signup", "list", "show", "add", "edit", "rm", "grep", "passwd",
                                     "delete-account", "card", "task", "accept-rollback"]

    /// The commands that only read the vault (the first word, or the first two for cards and tasks).
    static let readingCommands: Set<[String]> = [["list"], ["show"], ["grep"], ["card", "list"], ["card", "open"],
                                                 ["task", "list"]]

    static func run(_ command: String, _ args: [String], _ options: GlobalOptions) throws -> Int32 {
        guard var list = ArgumentList.unlessHelp(args, usage: help(command)) else { return 0 }
        var options = options
        options.readsOnly = readingCommands.contains([command] + args.prefix(command == "card" || command == "task" ? 1 : 0))
        if command == "signup" {
            let weakOK = list.flag("--weak-ok")
            guard try list.positionals().isEmpty else { throw UsageError("signup takes no arguments") }
            return try signUp(options, weakOK: weakOK)
        }
        let session = try logIn(options)
        defer { session.lock() }
        return try perform(command, &list, session, options)
    }

    /// Runs `command` on an open session (this process's, or the agent's) and returns its exit
    /// code: 1 when the vault or the sync at log in noticed anything, even if the command went well.
    static func perform(_ command: String, _ list: inout ArgumentList, _ session: Session,
                        _ options: GlobalOptions) throws -> Int32 {
        var status: Int32 = reportIssues(session)
        let result: Int32
        switch command {
        case "list": result = try listOnions(session, &list)
        case "show": result = try show(session, &list)
        case "add": result = try add(session, &list)
        case "edit": result = try edit(session, &list)
        case "rm": result = try remove(session, &list)
        case "grep": result = try grep(session, &list)
        case "passwd": result = try changePassword(session, &list, options)
        case "delete-account": result = try deleteAccount(session, &list)
        case "accept-rollback": result = try acceptRollback(session, list)
        case "card": result = try CardCommands.run(session, &list)
        case "task": result = try TaskCommands.run(session, &list)
        default: throw UsageError("unknown command '\(command)'")
        }
        if result != 0 || command == "accept-rollback" { status = result }
        if session.hasRemote && !session.isLocked { SyncCommand.finish(session) }
        return status
    }

    // MARK: Sign up and log in

    static func openStore(_ options: GlobalOptions) throws -> Store {
        try options.openStore()
    }

    static func username(_ options: GlobalOptions) throws -> String {
        if let user = options.user { return user }
        if let user = ProcessEnvironment.current["ONIONS_USER"] { return user }
        throw UsageError("name the vault's user with --user NAME")
    }

    static func signUp(_ options: GlobalOptions, weakOK: Bool) throws -> Int32 {
        let user = try username(options)
        _ = try openStore(options)  // a store that does not open is said before the password is asked
        let password = try options.readPassword(prompt: "New password: ")
        defer { password.wipe() }
        let typed = options.passwordFile == nil && !options.passwordStdin
        if typed {
            let again = try readPasswordFromTerminal(prompt: "Repeat the password: ")
            defer { again.wipe() }
            guard password.constantTimeEquals(again) else { throw CommandFailure("the passwords differ; nothing created") }
        }
        try NewPasswordCheck.accept(password, weakOK: weakOK, askOnTerminal: typed)
        let session = try LocalVaultService(options).signUp(username: user, password: password)
        SyncCommand.printReport(session.lastSyncReport)
        session.lock()
        printError("created a vault for '\(user)'")
        return 0
    }

    /// Opens the vault with the password; prints what the sync at log in did unless `quietSync`
    /// (`onions sync` reports it with its own round).
    static func logIn(_ options: GlobalOptions, quietSync: Bool = false) throws -> Session {
        let user = try username(options)
        _ = try openStore(options)  // a store that does not open is said before the password is asked
        let password = try options.readPassword()
        defer { password.wipe() }
        let session: Session
        do {
            session = try LocalVaultService(options).logIn(username: user, password: password)
        } catch VaultError.wrongPassword where options.remote != nil {
            throw CommandFailure("wrong password: the server \(options.remote ?? "") refused the log in")
        }
        if !quietSync { SyncCommand.printReport(session.lastSyncReport) }
        if session.syncRefusedReason != nil, let remote = options.remote {
            printError("onions: the server \(remote) refused the log in; only this machine's copy was used")
        }
        if session.isNewToThisMachine || isatty(2) != 0 { printError("onions: \(stateLine(session))") }
        return session
    }

    /// What the vault says about its last change, for a person to judge whether the store is as
    /// new as it should be (this machine cannot tell on its first log in).
    static func stateLine(_ session: Session) -> String {
        let when = ChangeTime.text(session.lastChanged).map { "last changed \($0) on this vault" }
            ?? "the time of the last change is not recorded"
        let line = "\(when) (save \(session.vaultCounter))"
        guard session.isNewToThisMachine else { return line }
        return "first log in on this machine: \(line); if you expected more recent changes, the store is older "
            + "than it should be"
    }

    /// Prints what the vault noticed about the store; 1 when there was anything, the server's
    /// reports at log in (a rollback, a damaged record) included.
    static func reportIssues(_ session: Session) -> Int32 {
        for issue in session.issues { printError("onions: warning: \(issue)") }
        let serverIssues = session.lastSyncReport?.issues ?? []
        let refused = session.lastSyncReport?.refused != nil
        return session.issues.isEmpty && serverIssues.isEmpty && !refused ? 0 : 1
    }

    // MARK: Onions

    static func listOnions(_ session: Session, _ list: inout ArgumentList) throws -> Int32 {
        let json = list.flag("--json")
        guard try list.positionals().isEmpty else { throw UsageError("list takes no arguments") }
        if json {
            try JSONOutput.write { out in
                try out.raw("{")
                try out.key("onions")
                try out.array(session.onions) { onion in
                    try out.raw("{")
                    try out.key("title")
                    try out.string(session.texts, onion.title)
                    try out.raw("}")
                }
                try out.raw("}")
            }
            return 0
        }
        for onion in session.onions { printLine(session.texts, onion.title) }
        return 0
    }

    static func show(_ session: Session, _ list: inout ArgumentList) throws -> Int32 {
        let json = list.flag("--json")
        let args = try list.positionals()
        guard args.count == 1 else { throw UsageError("usage: onions show TITLE|- [--json]") }
        let onion = try find(session, title: args[0])
        let info = try session.info(of: onion.id)
        defer { info.wipe() }
        if json {
            try JSONOutput.write { out in
                try out.raw("{")
                try out.key("title")
                try out.string(session.texts, onion.title)
                try out.raw(",")
                try out.key("info")
                try out.string(info)
                try out.raw("}")
            }
            return 0
        }
        writeText(info)
        return 0
    }

    static func add(_ session: Session, _ list: inout ArgumentList) throws -> Int32 {
        guard let titleText = try list.value("--title") else { throw UsageError("add needs --title TITLE") }
        let infoFile = try list.value("--info-file")
        guard try list.positionals().isEmpty else { throw UsageError("usage: onions add --title T|- [--info-file F|-]") }
        let title = try SecretArgument.read(titleText, FieldLimit.onionTitle)
        defer { title.wipe() }
        let info = try infoFile.map { try readSecretFile($0, limit: FieldLimit.onionInfo) } ?? SecretBytes(count: 0)
        defer { info.wipe() }
        try session.afterPeers { try session.saveOnion(id: nil, title: title, info: info) }
        return 0
    }

    static func edit(_ session: Session, _ list: inout ArgumentList) throws -> Int32 {
        let newTitle = try list.value("--title")
        let infoFile = try list.value("--info-file")
        let args = try list.positionals()
        guard args.count == 1, newTitle != nil || infoFile != nil else {
            throw UsageError("usage: onions edit TITLE|- [--title NEW|-] [--info-file F|-]")
        }
        let onion = try find(session, title: args[0])
        let title = try newTitle.map { try SecretArgument.read($0, FieldLimit.onionTitle) } ?? session.texts.copy(onion.title)
        defer { title.wipe() }
        let info = try infoFile.map { try readSecretFile($0, limit: FieldLimit.onionInfo) } ?? session.info(of: onion.id)
        defer { info.wipe() }
        try session.afterPeers { try session.saveOnion(id: onion.id, title: title, info: info) }
        return 0
    }

    static func remove(_ session: Session, _ list: inout ArgumentList) throws -> Int32 {
        let args = try list.positionals()
        guard args.count == 1 else { throw UsageError("usage: onions rm TITLE|-") }
        let id = try find(session, title: args[0]).id
        try session.afterPeers { try session.deleteOnion(id) }
        return 0
    }

    /// Prints each onion whose title or info contains WORD (case-insensitive), with the info's
    /// matching lines indented below it.
    static func grep(_ session: Session, _ list: inout ArgumentList) throws -> Int32 {
        let json = list.flag("--json")
        let args = try list.positionals()
        guard args.count == 1, !args[0].isEmpty else { throw UsageError("usage: onions grep WORD|- [--json]") }
        let word = try SecretArgument.read(args[0], what: "search word", maximumBytes: maximumSearchWordBytes)
        defer { word.wipe() }
        guard word.count > 0 else { throw UsageError("the search word may not be empty") }
        let out = json ? JSONOutput() : nil
        try out?.raw("{")
        try out?.key("matches")
        try out?.raw("[")
        var needle = word.withUnsafeBytes { TextSearch.foldQuery(Array($0)) }
        defer { for i in needle.indices { needle[i] = 0 } }
        var status: Int32 = 0
        var matched = false
        for onion in session.onions {
            let info: SecretBytes
            do { info = try session.info(of: onion.id) } catch {
                printError("onions: \(error)")
                status = 1
                continue
            }
            defer { info.wipe() }
            let lines = info.withUnsafeBytes { matchingLines($0, needle) }
            let titleMatches = session.texts.withBytes(onion.title) { TextSearch.contains($0, needle) }
            guard titleMatches || !lines.isEmpty else { continue }
            if let out {
                try out.raw(matched ? ",{" : "{")
                try out.key("title")
                try out.string(session.texts, onion.title)
                try out.raw(",")
                try out.key("lines")
                try info.withUnsafeBytes { all in
                    try out.array(lines) { try out.string(UnsafeRawBufferPointer(rebasing: all[$0])) }
                }
                try out.raw("}")
                matched = true
                continue
            }
            matched = true
            printLine(session.texts, onion.title)
            info.withUnsafeBytes { all in
                for range in lines {
                    writeStdout("  ")
                    writeStdout(UnsafeRawBufferPointer(rebasing: all[range]))
                    writeStdout("\n")
                }
            }
        }
        if let out {
            try out.raw("]}\n")
            try out.out.flush()
        }
        return matched ? status : 1
    }

    /// Byte ranges of the lines of `text` that contain `needle`.
    static func matchingLines(_ text: UnsafeRawBufferPointer, _ needle: [UInt8]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        for i in 0...text.count where i == text.count || text[i] == 0x0a {
            let line = UnsafeRawBufferPointer(rebasing: text[start..<i])
            if TextSearch.contains(line, needle) { result.append(start..<i) }
            start = i + 1
        }
        return result
    }

    // MARK: Account

    static func changePassword(_ session: Session, _ list: inout ArgumentList, _ options: GlobalOptions) throws -> Int32 {
        let newFile = try list.value("--new-password-file")
        let weakOK = list.flag("--weak-ok")
        let rotate = list.flag("--rotate")
        guard try list.positionals().isEmpty else {
            throw UsageError("usage: onions passwd [--rotate] [--new-password-file F] [--weak-ok]")
        }
        let newPassword: SecretBytes
        if let newFile {
            newPassword = try readPasswordFile(newFile)
        } else {
            newPassword = try readPasswordFromTerminal(prompt: "New password: ")
            let again = try readPasswordFromTerminal(prompt: "Repeat the new password: ")
            defer { again.wipe() }
            guard newPassword.constantTimeEquals(again) else {
                newPassword.wipe()
                throw CommandFailure("the passwords differ; the password is unchanged")
            }
        }
        defer { newPassword.wipe() }
        try NewPasswordCheck.accept(newPassword, weakOK: weakOK, askOnTerminal: newFile == nil)
        try session.changePassword(to: newPassword, kdf: options.kdfLogN.map { _ in options.kdf }, rotate: rotate)
        if rotate {
            printError("password changed; every record is sealed again under a new data key")
        } else {
            printError("password changed; records were not re-encrypted (the old password and an old copy of the "
                + "vault header still open them): use passwd --rotate for that")
        }
        return 0
    }

    static func deleteAccount(_ session: Session, _ list: inout ArgumentList) throws -> Int32 {
        let confirmed = list.flag("--yes")
        guard try list.positionals().isEmpty else { throw UsageError("usage: onions delete-account [--yes]") }
        if !confirmed {
            guard isatty(0) != 0 || isatty(2) != 0 else {
                throw UsageError("delete-account needs --yes when not run from a terminal")
            }
            let answer = try readPasswordFromTerminal(prompt: "Type the username to delete its vault and everything in it: ")
            defer { answer.wipe() }
            let typed = answer.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            guard typed == session.username else { throw CommandFailure("not confirmed; nothing deleted") }
        }
        try session.deleteAccount()
        printError("the vault and every record in it are deleted")
        return 0
    }

    /// Goes on from what the store holds after it lost or rolled back records (the warnings
    /// above); a vault that is not read-only has nothing to accept.
    static func acceptRollback(_ session: Session, _ list: ArgumentList) throws -> Int32 {
        guard try list.positionals().isEmpty else { throw UsageError("accept-rollback takes no arguments") }
        guard session.isReadOnly else {
            printError("the store holds everything this vault wrote; nothing to accept")
            return 0
        }
        let accepted = try session.acceptStoreState()
        printError("accepted what the store holds (\(accepted.count) problem(s) above); the vault can be saved again")
        return 0
    }

    // MARK: Helpers

    /// The longest search word, in bytes.
    static let maximumSearchWordBytes = 1_024

    /// The onion `title` (a `SecretArgument`) names (see `NamePick`): fails listing the
    /// candidates when it is ambiguous.
    static func find(_ session: Session, title: String) throws -> OnionSummary {
        let wanted = try SecretArgument.read(title, FieldLimit.onionTitle)
        defer { wanted.wipe() }
        return try NamePick.pick(wanted, among: session.onions, texts: session.texts, name: \.title,
                                 modified: \.modified, kind: "onion", listing: "onions list")
    }

    static func help(_ command: String) -> String {
        switch command {
        case "signup":
            return "usage: onions --user NAME [--password-file F | --password-stdin] [--kdf-cost N] signup [--weak-ok]\n"
                + "  the password needs 8 characters or more; one zxcvbn calls weak needs --weak-ok (or yes on the terminal)"
        case "list": return "usage: onions --user NAME list [--json]\n  one title per line, newest change first;\n  --json: {\"onions\": [{\"title\": ...}]}"
        case "show":
            return "usage: onions --user NAME show TITLE|#N|- [--json]\n  prints the onion's info; #N is the N-th line of 'list' (for titles used more than once);\n  --json: {\"title\": ..., \"info\": ...}\n"
                + secretArgumentHint
        case "add":
            return "usage: onions --user NAME add --title T|- [--info-file F|-]\n  titles: 1 to 30 characters; infos: up to 2,500\n"
                + secretArgumentHint
        case "edit": return "usage: onions --user NAME edit TITLE|- [--title NEW|-] [--info-file F|-]\n" + secretArgumentHint
        case "rm": return "usage: onions --user NAME rm TITLE|-\n" + secretArgumentHint
        case "grep":
            return "usage: onions --user NAME grep WORD|- [--json]\n  titles and infos, case-insensitive; prints each title with its matching lines;\n  exit 1 when nothing matches; --json: {\"matches\": [{\"title\": ..., \"lines\": [...]}]}\n"
                + secretArgumentHint
        case "passwd":
            return "usage: onions --user NAME passwd [--rotate] [--new-password-file F] [--weak-ok]\n  re-wraps the data key; "
                + "records are not re-encrypted; the new password needs 8 characters or more, and --weak-ok (or yes on the "
                + "terminal) when zxcvbn calls it weak\n  --rotate: a new data key seals every record again, so the old password "
                + "and an old copy of the header open nothing written afterwards"
        case "delete-account": return "usage: onions --user NAME delete-account [--yes]\n  removes every record and the header"
        case "accept-rollback":
            return "usage: onions --user NAME accept-rollback\n  after a warning that the store lost or rolled back "
                + "records: go on from what it holds (the vault is read-only until then)"
        case "card": return CardCommands.usage
        case "task": return TaskCommands.usage
        default: return OnionsCommand.usage
        }
    }
}

/// A command that failed for a reason the person can act on: one line, exit 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What `--help` says about `-` in place of a private text.
let secretArgumentHint = """
      '-' in place of a title, text or word reads it from the next line of standard input (after the
      password's line with --password-stdin): prefer it, other users can read the command line
    """

/// A secret copy of a command-line text (argv itself is blanked by `ArgumentScrubbing`).
func secret(_ text: String) -> SecretBytes {
    var utf8 = Array(text.utf8)
    defer { for i in utf8.indices { utf8[i] = 0 } }
    return utf8.withUnsafeBytes { SecretBytes(copying: $0) }
}

func equals(_ table: SecretTable, _ handle: Int, _ other: SecretBytes) -> Bool {
    table.withBytes(handle) { a in other.withUnsafeBytes { b in ConstantTime.equals(a, b) } }
}

/// Writes a secret text to standard output, ending it with a line break if it has none.
func writeText(_ text: SecretBytes) {
    text.withUnsafeBytes { bytes in
        writeStdout(bytes)
        if let last = bytes.last, last != 0x0a { writeStdout("\n") }
    }
}

/// Writes one text of the table and a line break to standard output.
func printLine(_ table: SecretTable, _ handle: Int) {
    table.withBytes(handle) { writeStdout($0) }
    writeStdout("\n")
}

/// Reads a file (or standard input for "-") into secret memory, refusing one far over `limit`.
func readSecretFile(_ path: String, limit: FieldLimit) throws -> SecretBytes {
    let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw CommandFailure("cannot read \(path): \(String(cString: strerror(errno)))") }
    defer { if fd != 0 { close(fd) } }
    let capacity = limit.maxBytes + 1
    let buffer = SecretBytes(count: capacity)
    var total = 0
    while total < capacity {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, capacity - total) }
        if n < 0 && errno == EINTR { continue }
        if n < 0 {
            buffer.wipe()
            throw CommandFailure("cannot read \(path): \(String(cString: strerror(errno))); nothing saved")
        }
        if n == 0 { break }
        total += n
    }
    buffer.truncate(to: total)
    if total >= capacity {
        buffer.wipe()
        throw VaultError.limit(.tooManyBytes(field: limit.name, bytes: total, limit: limit.maxBytes))
    }
    return buffer
}
