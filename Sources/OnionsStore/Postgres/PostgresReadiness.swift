/// Whether a server is ready for people on other machines: the lines `onions server init`
/// prints for `postgresql.conf` and `pg_hba.conf`, and the checks of a running server's
/// settings against them (one source, so what it prints and what it checks agree).
public enum PostgresReadiness {
    /// The shortest delay of a failed log in that `auth_delay` must add.
    public static let minimumAuthDelayMilliseconds = 1000

    /// One setting checked: what it should be, whether it is, and what the server says now.
    public struct Check: Sendable, Equatable {
        public let requirement: String
        public let ok: Bool
        public let found: String
        /// The index in `configLines` of the line that fixes it, or in `hbaLines` with `hba`.
        public var fix: Int? = nil
        public var hba = false
    }

    /// The lines to add to `postgresql.conf`; the certificate and key are expected beside it,
    /// in `configDirectory`.
    public static func configLines(configDirectory: String) -> [String] {
        [
            "listen_addresses = '*'",
            "ssl = on",
            "ssl_cert_file = '\(configDirectory)/server.crt'",
            "ssl_key_file = '\(configDirectory)/server.key'",
            "shared_preload_libraries = 'auth_delay'",
            "auth_delay.milliseconds = \(minimumAuthDelayMilliseconds)",
            "password_encryption = scram-sha-256",
            "log_statement = 'none'",
        ]
    }

    /// The lines to add to `pg_hba.conf` for `database` (after the lines for this machine).
    public static func hbaLines(database: String) -> [String] {
        let name = hbaName(database)
        return [
            "hostssl \(name) all 0.0.0.0/0 scram-sha-256",
            "hostssl \(name) all ::/0 scram-sha-256",
        ]
    }

    /// Every requirement checked against `settings`, in the order the lines are printed.
    public static func checks(_ settings: PostgresServerSettings, database: String) -> [Check] {
        let libraries = settings.sharedPreloadLibraries.split(separator: ",")
            .map { $0.trimmingSpaces.trimmingCharacters("\"") }
        let delay = settings.authDelayMilliseconds.flatMap { Int($0) }
        let listened = settings.listenAddresses.split(separator: ",").map { $0.trimmingSpaces }
        let rules = settings.hbaRules
        let ipv4 = rules.first { isOpenTLSRule($0, database: database, everywhere: ["0.0.0.0"]) }
        let ipv6 = rules.first { isOpenTLSRule($0, database: database, everywhere: ["::"]) }
        let firstGood = [ipv4?.line, ipv6?.line].compactMap { $0 }.min() ?? Int.max
        let weaker = rules.filter { $0.line < firstGood && isWeakerRemoteRule($0, database: database) }
        let broken = rules.filter { $0.error != nil }
        return [
            Check(requirement: "listen_addresses reaches other machines",
                  ok: listened.contains { !isLoopbackName($0) }, found: quoted(settings.listenAddresses), fix: 0),
            Check(requirement: "ssl = on", ok: settings.ssl == "on", found: settings.ssl, fix: 1),
            Check(requirement: "ssl_cert_file exists and the server can read it",
                  ok: settings.sslCertFileProblem == nil, found: settings.sslCertFileProblem.map { quoted(settings.sslCertFile) + ": " + $0 }
                    ?? quoted(settings.sslCertFile), fix: 2),
            Check(requirement: "ssl_key_file exists and the server can read it",
                  ok: settings.sslKeyFileProblem == nil, found: settings.sslKeyFileProblem.map { quoted(settings.sslKeyFile) + ": " + $0 }
                    ?? quoted(settings.sslKeyFile), fix: 3),
            Check(requirement: "ssl_cert_file is a certificate of yours, not Debian's snakeoil one",
                  ok: settings.sslCertFileProblem == nil && !settings.sslCertFile.isEmpty
                    && !settings.sslCertFile.contains("snakeoil"),
                  found: quoted(settings.sslCertFile), fix: 2),
            Check(requirement: "shared_preload_libraries includes auth_delay",
                  ok: libraries.contains("auth_delay"), found: quoted(settings.sharedPreloadLibraries), fix: 4),
            Check(requirement: "auth_delay.milliseconds is \(minimumAuthDelayMilliseconds) or more",
                  ok: (delay ?? 0) >= minimumAuthDelayMilliseconds,
                  found: settings.authDelayMilliseconds ?? "not loaded", fix: 5),
            Check(requirement: "password_encryption = scram-sha-256",
                  ok: settings.passwordEncryption == "scram-sha-256", found: settings.passwordEncryption, fix: 6),
            Check(requirement: "log_statement is none or ddl (no call's parameters in the log)",
                  ok: ["none", "ddl"].contains(settings.logStatement), found: settings.logStatement, fix: 7),
            Check(requirement: "pg_hba.conf: " + hbaLines(database: database)[0],
                  ok: ipv4 != nil, found: ipv4.map { "line \($0.line)" } ?? "no such line", fix: 0, hba: true),
            Check(requirement: "pg_hba.conf: " + hbaLines(database: database)[1],
                  ok: ipv6 != nil, found: ipv6.map { "line \($0.line)" } ?? "no such line", fix: 1, hba: true),
            Check(requirement: "pg_hba.conf: no line before them lets other machines in without TLS and SCRAM",
                  ok: weaker.isEmpty,
                  found: weaker.isEmpty ? "none" : "line " + weaker.map { "\($0.line) (\($0.type) \($0.method))" }
                    .joined(separator: ", line ")),
            Check(requirement: "pg_hba.conf has no line the server cannot use",
                  ok: broken.isEmpty,
                  found: broken.isEmpty ? "none" : broken.map { "line \($0.line): \($0.error ?? "")" }
                    .joined(separator: "; ")),
        ]
    }

    /// `hostssl DATABASE all <everywhere>/0 scram-sha-256`, or the same for `all` addresses.
    private static func isOpenTLSRule(_ rule: PostgresServerSettings.HBARule, database: String,
                                      everywhere: Set<String>) -> Bool {
        guard rule.type == "hostssl", rule.method == "scram-sha-256", rule.error == nil,
              rule.users.contains("all"), rule.databases.contains(database) || rule.databases.contains("all"),
              let address = rule.address else { return false }
        return address == "all" || (everywhere.contains(address) && rule.netmask.map(everywhere.contains) == true)
    }

    /// A TCP line for this database, from somewhere other than this machine, that accepts a
    /// connection without TLS or without SCRAM (a certificate counts as strong, `reject` is fine).
    private static func isWeakerRemoteRule(_ rule: PostgresServerSettings.HBARule, database: String) -> Bool {
        guard rule.type.hasPrefix("host"), rule.method != "reject" else { return false }
        let forDatabase = rule.databases.contains { [database, "all", "sameuser", "samerole"].contains($0) || $0.hasPrefix("@") }
        guard forDatabase, let address = rule.address, !isLoopbackName(address) else { return false }
        return rule.type != "hostssl" || !["scram-sha-256", "cert"].contains(rule.method)
    }

    private static func isLoopbackName(_ address: String) -> Bool {
        address == "localhost" || address == "samehost" || address == "::1" || address.hasPrefix("127.")
    }

    /// A database name as pg_hba.conf needs it: double-quoted unless plain.
    private static func hbaName(_ name: String) -> String {
        let plain = !name.isEmpty && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
            && !["all", "sameuser", "samerole", "replication"].contains(name)
        return plain ? name : "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    private static func quoted(_ value: String) -> String { "'\(value)'" }
}

private extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    func trimmingCharacters(_ character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
