import OnionsCore

/// What an administrator's connection does for `onions server` besides installing the schema:
/// creates the database, reads the settings `server init` checks and the figures `server status`
/// shows.
///
/// `adminURL` follows libpq conventions like every URL (TLS rule included) and must name a
/// superuser: reading `pg_hba_file_rules`, the file settings and the server log needs one.
/// Failures throw `StoreError.unavailable` with the server's reason.
public enum PostgresAdmin {
    /// How much of the end of the server log `status` reads to count failed log ins.
    public static let logTailBytes = 64 << 20

    /// Creates the database `adminURL` names when it does not exist, connecting to the
    /// `postgres` database to do so; returns its name and whether it was created.
    ///
    /// The name is the URL's database, else `PGDATABASE`, else the user the connection logs in
    /// as (libpq's default).
    public static func ensureDatabase(adminURL: String, environment: [String: String]) throws -> (name: String, created: Bool) {
        let maintenance = try connect(adminURL, database: "postgres")
        return try run("creating the database") {
            let named = PostgresConnectionString.options(adminURL)?["dbname"] ?? environment["PGDATABASE"]
            let name: String
            if let named, !named.isEmpty {
                name = named
            } else {
                name = try maintenance.query("SELECT current_user::text").text(0, 0) ?? ""
            }
            let exists = try maintenance.query("SELECT count(*)::int4 FROM pg_database WHERE datname = $1", [.text(name)])
            if exists.integer(0, 0) ?? 0 > 0 { return (name, false) }
            try maintenance.run(script: "CREATE DATABASE " + maintenance.quotedIdentifier(name))
            return (name, true)
        }
    }

    /// The running server's settings that `PostgresReadiness` checks.
    public static func settings(adminURL: String) throws -> PostgresServerSettings {
        let connection = try connect(adminURL)
        return try run("reading the server's settings") {
            func setting(_ name: String) throws -> String? {
                try connection.query("SELECT setting FROM pg_settings WHERE name = $1", [.text(name)]).text(0, 0)
            }
            let rules = try connection.query("""
                SELECT line_number::int4, type, array_to_string(database, ','), array_to_string(user_name, ','),
                       address, netmask, coalesce(auth_method, ''), error
                FROM pg_hba_file_rules ORDER BY line_number
                """)
            let hbaRules = (0..<rules.count).map { row in
                PostgresServerSettings.HBARule(
                    line: Int(rules.integer(row, 0) ?? 0), type: rules.text(row, 1) ?? "",
                    databases: (rules.text(row, 2) ?? "").split(separator: ",").map(String.init),
                    users: (rules.text(row, 3) ?? "").split(separator: ",").map(String.init),
                    address: rules.text(row, 4), netmask: rules.text(row, 5), method: rules.text(row, 6) ?? "",
                    error: rules.text(row, 7))
            }
            /// Why the server process cannot read the file at `path` (as the server resolves it), or nil.
            func unreadable(_ path: String) -> String? {
                guard !path.isEmpty else { return "not set" }
                do {
                    _ = try connection.query("SELECT length(pg_read_binary_file($1, 0, 1))", [.text(path)])
                    return nil
                } catch {
                    return "the server cannot read it: \(error)"
                }
            }
            let certFile = try setting("ssl_cert_file") ?? "", keyFile = try setting("ssl_key_file") ?? ""
            var settings = PostgresServerSettings(
                ssl: try setting("ssl") ?? "", sslCertFile: certFile,
                sharedPreloadLibraries: try setting("shared_preload_libraries") ?? "",
                authDelayMilliseconds: try setting("auth_delay.milliseconds"),
                listenAddresses: try setting("listen_addresses") ?? "",
                passwordEncryption: try setting("password_encryption") ?? "",
                logStatement: try setting("log_statement") ?? "",
                configFile: try setting("config_file") ?? "", hbaFile: try setting("hba_file") ?? "",
                hbaRules: hbaRules)
            settings.sslKeyFile = keyFile
            settings.sslCertFileProblem = unreadable(certFile)
            settings.sslKeyFileProblem = unreadable(keyFile)
            return settings
        }
    }

    /// Schema version, vault count, sizes, and the failed log ins in the end of the server's
    /// current log file.
    public static func status(adminURL: String) throws -> PostgresServerStatus {
        let connection = try connect(adminURL)
        return try run("reading the server's status") {
            let hasSchema = try connection.query("SELECT to_regproc('onions.schema_version') IS NOT NULL").bool(0, 0) == true
            let version = hasSchema ? try connection.query("SELECT onions.schema_version()::int4").integer(0, 0) : nil
            let hasVaults = try connection.query("SELECT to_regclass('onions.vaults') IS NOT NULL").bool(0, 0) == true
            let vaults = hasVaults ? try connection.query("SELECT count(*)::int8 FROM onions.vaults").integer(0, 0) : nil
            let sizes = try connection.query("""
                SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::int8, pg_database_size(current_database())::int8
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'onions' AND c.relkind IN ('r', 'p', 'm')
                """)
            let (failed, source) = try failedLogins(connection)
            var status = PostgresServerStatus(schemaVersion: version.map { Int($0) }, vaults: vaults.map { Int($0) },
                                              schemaBytes: sizes.integer(0, 0) ?? 0,
                                              databaseBytes: sizes.integer(0, 1) ?? 0,
                                              failedLogins: failed, failedLoginsSource: source)
            status.replication = try replication(connection)
            return status
        }
    }

    /// Counts failed password log ins in the last `logTailBytes` of the current log file.
    private static func failedLogins(_ connection: PostgresConnection) throws -> (Int?, String) {
        guard let path = try connection.query("SELECT pg_current_logfile()").text(0, 0), !path.isEmpty else {
            return (nil, "unknown: the server keeps no log file it can read itself (logging_collector is off); "
                + "count 'password authentication failed' in its log")
        }
        let size = try connection.query("SELECT size::int8 FROM pg_stat_file($1)", [.text(path)]).integer(0, 0) ?? 0
        var offset = max(0, size - Int64(logTailBytes))
        let whole = offset == 0
        var counter = FailedLoginCounter()
        let piece: Int64 = 4 << 20
        while offset < size {
            let bytes = try connection.query("SELECT pg_read_binary_file($1, $2, $3)",
                                             [.text(path), .int64(offset), .int64(min(piece, size - offset))]).bytes(0, 0) ?? []
            if bytes.isEmpty { break }
            counter.add(bytes)
            offset += Int64(bytes.count)
        }
        return (counter.count, whole ? "in the server's current log file (\(path))"
            : "in the last \(logTailBytes >> 20) MiB of the server's current log file (\(path))")
    }

    private static func connect(_ url: String, database: String? = nil) throws -> PostgresConnection {
        do {
            return try PostgresConnection(url: url, database: database)
        } catch let failure as PostgresFailure {
            throw PostgresStore.storeError(failure, doing: "connecting")
        }
    }

    private static func run<R>(_ doing: String, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let failure as PostgresFailure where failure.sqlState == PostgresFailure.State.insufficientPrivilege {
            throw StoreError.unavailable("The server refused \(doing): \(failure.message) (the URL must name a superuser).")
        } catch let failure as PostgresFailure {
            throw PostgresStore.storeError(failure, doing: doing)
        }
    }
}
