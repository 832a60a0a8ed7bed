import OnionsCore
import OnionsStore

/// `onions --remote URL sync`: one sync of the vault with its server, for scripts.
///
/// Logging in syncs already; the command then reports what happened on standard error (merges,
/// conflict copies, what the server did wrong) and exits 1 when the server was unreachable,
/// refused the vault, or showed an integrity problem, 0 otherwise.
enum SyncCommand {
    static let declaration = CommandDeclaration(
        "sync", summary: "one sync with the server (--remote), report on stderr",
        details: """
          Pulls what other machines changed, pushes what this one changed, merges what both
          changed (overlapping edits are kept as a copy titled '... (conflict N)') and reports it on
          standard error, with what the server altered, swapped, dropped or rolled back (this
          machine's good copy is put back). Exit 1 when the server is unreachable, refused or
          tampered with records; the local copy stays usable either way and syncs later. URL: a
          postgresql:// URL or key=value settings for a role that is a member of onions_client
          (see 'onions server init --help').
          --json: the report on standard output as {"pulled": N, "pushed": N, "repaired": N, "merged": [...],
          "conflicts": [...], "restored": [...], "renumbered": [...], "issues": [...],
          "offline": null or why, "refused": null or why}.
          --reregister: the server was restored to before a password change (it refuses this
          machine's key): asks for the password the server's copy was made with (or reads
          --old-password-file F), logs in to that copy with it, and moves it to this machine's
          password and role, then syncs. It sends what a password change sends (the header and
          the role's SCRAM verifier), no key and no password.
        """,
        options: [OnionCommands.json,
                  OptionDeclaration("--reregister", help: "after a restore from before a password change"),
                  OptionDeclaration("--old-password-file", .file, "F", help: "the password the server's copy was made with")],
        validate: { arguments, options in
            guard options.remote != nil else {
                throw UsageError("sync needs a server: --remote URL or 'remote = URL' in the config")
            }
            guard arguments.flag("--reregister") || arguments.value("--old-password-file") == nil else {
                throw UsageError("--old-password-file goes with --reregister")
            }
        },
        action: .vault(VaultAction(agentRuns: { arguments in !arguments.flag("--reregister") }, syncsItself: true) {
            arguments, session, context in
            if arguments.flag("--reregister") {
                return try reregister(session, oldPasswordFile: arguments.value("--old-password-file"),
                                      json: arguments.flag("--json"))
            }
            return try perform(json: arguments.flag("--json"), session, atLogIn: context.atLogIn)
        }))

    /// `sync --reregister`: the server's copy, restored from before a password change, moved to
    /// this machine's header and role with the password it was made with; then the sync's report.
    static func reregister(_ session: Session, oldPasswordFile: String?, json: Bool) throws -> Int32 {
        let password = try oldPasswordFile.map(readPasswordFile)
            ?? readPasswordFromTerminal(prompt: "Password the server's copy was made with: ")
        defer { password.wipe() }
        switch try session.reregisterOnServer(serverPassword: password) {
        case .alreadyCurrent:
            printError("onions: the server's copy already has this machine's password; nothing to re-register")
            return try perform(json: json, session, atLogIn: nil)
        case .moved(let report):
            printError("onions: the server's copy now has this machine's password and role")
            if json { try writeJSON(report) } else { printReport(report, always: true) }
            return report.offline != nil || report.refused != nil || !report.issues.isEmpty ? 1 : 0
        }
    }

    /// A server connection on demand for `url` (libpq conventions). A long copy (a first sync, a
    /// first push) tells `progress`; without one, standard error shows it when it is a terminal.
    static func remote(url: String, progress: ((SyncProgress) -> Void)? = nil) -> SyncRemote {
        let remote = PostgresStore.remote(url: url)
        remote.progress = progress ?? SyncProgressLine().update
        return remote
    }

    /// One sync round on an open session, reported together with `atLogIn` (what the log in that
    /// opened it synced already; nil for the agent's session, open since earlier).
    static func perform(json: Bool, _ session: Session, atLogIn: SyncReport?) throws -> Int32 {
        var status: Int32 = 0
        // The log in synced; a second round settles anything that changed meanwhile.
        let round = try session.syncNow()
        let report = atLogIn.map { $0.followed(by: round) } ?? round
        if json { try writeJSON(report) } else { printReport(report, always: true) }
        if report.offline != nil || report.refused != nil || !report.issues.isEmpty { status = 1 }
        if atLogIn?.offline != nil { status = 1 }
        return status
    }

    /// Sends what the command saved (a save itself never waits on the network), then runs the
    /// sync that could not finish at once (or an offline one again), and reports it.
    static func finish(_ session: Session) {
        session.pushPending()
        let wasOffline = session.lastSyncReport?.offline != nil
        guard session.pollRemote(timeoutMs: 0), let report = try? session.syncNow() else { return }
        if report.offline != nil && wasOffline { return }
        printReport(report)
    }

    /// The report as one JSON document on standard output: counts, the lists of what was
    /// merged and kept as copies (lines that name items), and why the server was offline or
    /// refused (null when it was not).
    static func writeJSON(_ report: SyncReport) throws {
        try JSONOutput.write { out in
            try out.raw("{\"pulled\":\(report.pulled),\"pushed\":\(report.pushed),\"repaired\":\(report.repaired),")
            let lists = [("merged", report.merged), ("conflicts", report.conflicts), ("restored", report.restored),
                         ("renumbered", report.renumbered), ("issues", report.issues.map { "\($0)" })]
            for (name, lines) in lists {
                try out.key(name)
                try out.array(lines) { try out.string($0) }
                try out.raw(",")
            }
            try out.key("offline")
            try out.string(report.offline)
            try out.raw(",")
            try out.key("refused")
            try out.string(report.refused)
            try out.raw("}")
        }
    }

    /// Prints a report's lines on standard error (the summary too when `always`).
    static func printReport(_ report: SyncReport?, always: Bool = false) {
        guard let report else { return }
        if let given = report.given {
            printError("onions: first sync on this machine: the vault's latest save on the server is \(given); "
                + "compare with 'onions verify' on another machine")
        }
        for line in report.lines { printError("onions: \(line)") }
        if always && report.offline == nil { printError("onions: \(report.summary)") }
    }
}
