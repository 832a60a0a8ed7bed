import Glibc
import OnionsCore
import OnionsCrypto
import OnionsStore

/// A fresh database on the PostgreSQL server that env `ONIONS_BENCH_PG` names, with the onions
/// schema; `drop()` removes it and the login roles its vaults signed up.
///
/// Every instance gets random names, so runs never meet each other's vaults. The database logs
/// no statements, as `onions server init` asks of a server (`log_statement` none or ddl), even
/// when the server itself logs all of them (as the test server does): a statement log of every
/// call would write every pushed blob out as hex and time the log, not the push.
final class BenchServer {
    static let variable = "ONIONS_BENCH_PG"

    /// The superuser URL from the environment; nil when unset or empty (the server scenarios
    /// are then left out).
    static var adminURL: String? {
        guard let value = getenv(variable).map({ String(cString: $0) }), !value.isEmpty else { return nil }
        return value
    }

    let database: String
    /// The database's URL without a login: the store signs up and logs in as each vault itself.
    let clientURL: String
    private let databaseAdmin: ServerURL
    private let serverAdmin: ServerURL

    /// Creates the database and installs the schema.
    init() throws {
        guard let adminURL = Self.adminURL else { throw BenchFailure("\(Self.variable) is not set") }
        serverAdmin = try ServerURL(adminURL)
        let tag = Hex.encode(SecureRandom.bytes(6))
        database = "onions_bench_" + tag
        var databaseAdmin = serverAdmin
        databaseAdmin.database = database
        self.databaseAdmin = databaseAdmin
        var client = databaseAdmin
        client.userInfo = nil
        clientURL = client.text
        try Psql.run(serverAdmin.text, "CREATE DATABASE \(database)", doing: "creating the database \(database)")
        try Psql.run(serverAdmin.text, "ALTER DATABASE \(database) SET log_statement = 'none'",
                     doing: "setting the database \(database) to log no statements")
        do {
            try PostgresStore.installSchema(adminURL: databaseAdmin.text)
        } catch {
            drop()
            throw error
        }
    }

    /// A connection on demand, as `onions --remote` makes one.
    func remote() -> SyncRemote {
        let url = clientURL
        return SyncRemote { try PostgresStore(url: url) }
    }

    /// Removes the vaults' login roles and the database (ending its sessions).
    func drop() {
        try? Psql.run(databaseAdmin.text, """
            DO $$ DECLARE r text; BEGIN
                FOR r IN SELECT role FROM onions.vaults WHERE role IS NOT NULL
                         UNION SELECT role FROM onions.retired_roles LOOP
                    EXECUTE format('DROP ROLE IF EXISTS %I', r);
                END LOOP;
            END $$
            """, doing: "dropping the vaults' roles")
        try? Psql.run(serverAdmin.text, "DROP DATABASE IF EXISTS \(database) WITH (FORCE)", doing: "dropping \(database)")
    }
}
