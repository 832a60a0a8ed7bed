import OnionsCore
import OnionsStore

/// `onions server init|status --url ADMIN_URL`: sets up a PostgreSQL server for many people and
/// tells how it is doing.
///
/// `init` creates the database when missing, installs the schema and its roles, prints the
/// `postgresql.conf` and `pg_hba.conf` lines to add and checks them on the running server
/// (exit 0 only when every check passes). `status` prints the schema version, vault count,
/// sizes and failed log ins. Both need a superuser's connection.
enum ServerCommand {
    static let url = OptionDeclaration("--url", .word, "ADMIN_URL", required: true,
                                       help: "a superuser's connection (a postgresql:// URL or key=value settings)")

    static let group = CommandDeclaration.group(
        "server", summary: "set up a server for many people, or see how it does",
        details: """
        ADMIN_URL is a superuser's connection (a postgresql:// URL or key=value settings, completed
        by the PG* variables and ~/.pgpass as libpq does). On Debian, on the server itself:
          sudo -u postgres onions server init --url postgresql:///onions

        The server needs TLS with a certificate for its host name: people's URLs name no user and no
        password, e.g. postgresql://db.example.org/onions, and onions connects with
        sslmode=verify-full to any host that is not this machine; their machine finds the
        certificate of the authority that signed the server's in ~/.postgresql/root.crt, or
        in the file the URL names with sslrootcert=FILE. Each person then signs up with no step of
        yours: onions --remote URL signup. The README's "Run your own server" goes through it all.
        """,
        [initialise, status])

    static let initialise = CommandDeclaration(
        "init", summary: "create the database and the schema, say what to configure",
        details: """
          Creates the database ADMIN_URL names when it is missing (connecting to the database
          'postgres' to do so), installs the onions schema and its roles (among them the
          sign-up login \(PostgresStore.signupRole)), prints the lines to add to postgresql.conf and
          pg_hba.conf, and checks them on the running server, one line each: 'ok' or
          'missing'. Exit 0 when the server is ready for people on other machines, 1 when a
          check is missing or the schema could not be installed. Running it again is harmless
          and keeps every vault: run it again after editing the files and restarting.
        """,
        options: [url], validate: { arguments, _ in try checkURL(arguments, "init") },
        action: .plain { arguments, _ in
            let url = try warnedURL(arguments)
            return try initialise(url, environment: ProcessEnvironment.current)
        })

    static let status = CommandDeclaration(
        "status", summary: "schema version, vaults, sizes and failed log ins",
        details: """
          The schema version, the number of vaults, the size of the onions tables and of the
          database, and the failed log ins counted in the server's current log file (when
          logging_collector is on; otherwise it says that it cannot know), and replication:
          primary or standby, each standby with its state, sync state and lag (from
          pg_stat_replication), or "no standby". --json: one object {"schema_version",
          "vaults", "schema_bytes", "database_bytes", "failed_logins", "failed_logins_source",
          "replication": {"role", "synchronous_standby_names", "receiving", "standbys":
          [{"name", "address", "state", "sync_state", "lag_bytes", "replay_lag_ms"}]}}, null
          where unknown.
        """,
        options: [url, OnionCommands.json], validate: { arguments, _ in try checkURL(arguments, "status") },
        action: .plain { arguments, _ in try status(try warnedURL(arguments), json: arguments.flag("--json")) })

    private static func checkURL(_ arguments: Arguments, _ name: String) throws {
        guard let url = arguments.value("--url"), !url.isEmpty else {
            throw UsageError("server \(name) needs --url ADMIN_URL (a superuser's connection)")
        }
    }

    /// The admin URL, after a warning on standard error when its TLS settings are weak.
    private static func warnedURL(_ arguments: Arguments) throws -> String {
        let url = arguments.value("--url")!
        if let warning = PostgresTLS.warning(url: url, environment: ProcessEnvironment.current) {
            printError("onions: warning: \(warning)")
        }
        return url
    }

    private static func initialise(_ url: String, environment: [String: String]) throws -> Int32 {
        let database: (name: String, created: Bool)
        let settings: PostgresServerSettings
        do {
            database = try PostgresAdmin.ensureDatabase(adminURL: url, environment: environment)
            try PostgresStore.installSchema(adminURL: url)
            settings = try PostgresAdmin.settings(adminURL: url)
        } catch let e as StoreError {
            throw CommandFailure("server init failed: \(VaultError.store(e))")
        }
        let folder = settings.configFile.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            .joined(separator: "/")
        let configFile = settings.configFile.isEmpty ? "postgresql.conf" : settings.configFile
        let hbaFile = settings.hbaFile.isEmpty ? "pg_hba.conf" : settings.hbaFile
        var lines = [
            "database \"\(database.name)\" \(database.created ? "created" : "exists")",
            "onions schema version \(PostgresStore.schemaVersion) installed",
        ]
        let checks = PostgresReadiness.checks(settings, database: database.name)
        // Only the lines for what is missing.
        let failed = checks.filter { !$0.ok }
        let configFixes = Set(failed.filter { !$0.hba }.compactMap(\.fix)).sorted()
        let hbaFixes = Set(failed.filter(\.hba).compactMap(\.fix)).sorted()
        if !configFixes.isEmpty {
            let all = PostgresReadiness.configLines(configDirectory: folder.isEmpty ? "." : folder)
            lines += ["", "Add to \(configFile):"] + configFixes.map { "  " + all[$0] }
        }
        if !hbaFixes.isEmpty {
            let all = PostgresReadiness.hbaLines(database: database.name)
            lines += ["", "Add to \(hbaFile), after the lines for this machine:"] + hbaFixes.map { "  " + all[$0] }
        }
        if configFixes.contains(2) || configFixes.contains(3) {
            lines += ["", "Put the server's certificate (for the host name people connect to) and its key in the",
                      "ssl_ files above (owned by the server's user, the key mode 0600)."]
        }
        if !failed.isEmpty {
            lines += ["Restart PostgreSQL (shared_preload_libraries and ssl need it) and run 'onions server init' again."]
        }
        lines += ["", "Checks of the running server:"]
        for check in checks {
            lines.append("  " + (check.ok ? "ok       " : "missing  ") + check.requirement + " (now: \(check.found))")
        }
        let missing = checks.filter { !$0.ok }.count
        lines.append("")
        if missing == 0 {
            lines.append("The server is ready: people sign up with  "
                         + "onions --remote 'postgresql://HOST/\(database.name)' --user NAME signup")
        } else {
            lines.append("The server is not ready: \(missing) of \(checks.count) checks missing.")
        }
        writeStdout(lines.joined(separator: "\n") + "\n")
        return missing == 0 ? 0 : 1
    }

    private static func status(_ url: String, json: Bool) throws -> Int32 {
        let status: PostgresServerStatus
        do {
            status = try PostgresAdmin.status(adminURL: url)
        } catch let e as StoreError {
            throw CommandFailure("server status failed: \(VaultError.store(e))")
        }
        if json {
            try JSONOutput.write { out in
                try out.raw("{\"schema_version\":\(status.schemaVersion.map(String.init) ?? "null"),")
                try out.raw("\"vaults\":\(status.vaults.map(String.init) ?? "null"),")
                try out.raw("\"schema_bytes\":\(status.schemaBytes),\"database_bytes\":\(status.databaseBytes),")
                try out.raw("\"failed_logins\":\(status.failedLogins.map(String.init) ?? "null"),")
                try out.key("failed_logins_source")
                try out.string(status.failedLoginsSource)
                try replicationJSON(status.replication, out)
                try out.raw("}")
            }
            return 0
        }
        let lines = [
            "schema version  " + (status.schemaVersion.map(String.init) ?? "none (run 'onions server init')"),
            "vaults          " + (status.vaults.map(String.init) ?? "unknown"),
            "size            \(byteCount(status.schemaBytes)) in the onions tables, \(byteCount(status.databaseBytes)) the whole database",
            "failed log ins  " + (status.failedLogins.map { "\($0) " } ?? "") + status.failedLoginsSource,
            "replication     " + (status.replication?.line ?? "unknown"),
        ]
        writeStdout(lines.joined(separator: "\n") + "\n")
        return 0
    }

    /// `,"replication":{...}` of `server status --json`.
    private static func replicationJSON(_ replication: PostgresReplication?, _ out: JSONOutput) throws {
        try out.raw(",")
        try out.key("replication")
        guard let replication else { try out.raw("null"); return }
        try out.raw("{")
        try out.key("role")
        try out.string(replication.isStandby ? "standby" : "primary")
        try out.raw(",")
        try out.key("synchronous_standby_names")
        try out.string(replication.synchronousNames)
        try out.raw(",")
        try out.key("receiving")
        try out.string(replication.receiving)
        try out.raw(",")
        try out.key("standbys")
        try out.raw("[")
        for (index, standby) in replication.standbys.enumerated() {
            try out.raw(index == 0 ? "{" : ",{")
            for (key, value) in [("name", standby.name), ("address", standby.address), ("state", standby.state),
                                 ("sync_state", standby.syncState)] {
                try out.key(key)
                try out.string(value)
                try out.raw(",")
            }
            try out.raw("\"lag_bytes\":\(standby.lagBytes.map(String.init) ?? "null"),")
            try out.raw("\"replay_lag_ms\":\(standby.replayLagMilliseconds.map(String.init) ?? "null")}")
        }
        try out.raw("]}")
    }

    /// A byte count for people: "812 bytes", "7.9 MiB".
    private static func byteCount(_ bytes: Int64) -> String {
        guard bytes >= 1024 else { return "\(bytes) bytes" }
        var value = Double(bytes) / 1024
        var unit = "KiB"
        for next in ["MiB", "GiB", "TiB"] where value >= 1024 {
            value /= 1024
            unit = next
        }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(unit)"
    }
}
