import Glibc
import OnionsCore
import OnionsCrypto
import OnionsStore

/// A fresh database on the PostgreSQL server that env `ONIONS_BENCH_PG` names, with the onions
/// schema and one new login role in `onions_client`; `drop()` removes both.
///
/// Every instance gets random names, so runs never meet each other's vaults.
final class BenchServer {
    static let variable = "ONIONS_BENCH_PG"

    /// The superuser URL from the environment; nil when unset or empty (the server scenarios
    /// are then left out).
    static var adminURL: String? {
        guard let value = getenv(variable).map({ String(cString: $0) }), !value.isEmpty else { return nil }
        return value
    }

    let database: String
    /// The login role's URL (a member of onions_client only).
    let clientURL: String
    private let role: String
    private let serverAdmin: ServerURL

    /// Creates the database, installs the schema and creates the login role (with psql).
    init() throws {
        guard let adminURL = Self.adminURL else { throw BenchFailure("\(Self.variable) is not set") }
        serverAdmin = try ServerURL(adminURL)
        let tag = Hex.encode(SecureRandom.bytes(6))
        database = "onions_bench_" + tag
        role = "onions_bench_" + tag
        var databaseAdmin = serverAdmin
        databaseAdmin.database = database
        var client = databaseAdmin
        let password = Hex.encode(SecureRandom.bytes(16))
        client.userInfo = role + ":" + password
        clientURL = client.text
        try Psql.run(serverAdmin.text, "CREATE DATABASE \(database)", doing: "creating the database \(database)")
        do {
            try PostgresStore.installSchema(adminURL: databaseAdmin.text)
            try Psql.run(databaseAdmin.text, "CREATE ROLE \(role) LOGIN PASSWORD '\(password)' IN ROLE onions_client",
                         doing: "creating the role \(role)")
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

    /// Removes the database (ending its sessions) and the role.
    func drop() {
        try? Psql.run(serverAdmin.text, "DROP DATABASE IF EXISTS \(database) WITH (FORCE)", doing: "dropping \(database)")
        try? Psql.run(serverAdmin.text, "DROP ROLE IF EXISTS \(role)", doing: "dropping \(role)")
    }
}
