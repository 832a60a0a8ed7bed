/// A superuser's connection for the bench's load scenarios: figures about the server
/// (`pg_stat_activity`) and SQL that builds many vaults at once. Not for the program itself.
public final class PostgresAdminSession {
    private let connection: PostgresConnection

    /// Connects with `adminURL` as it is (it names its own login).
    public init(adminURL: String) throws {
        do {
            connection = try PostgresConnection(url: adminURL)
        } catch let failure as PostgresFailure {
            throw PostgresStore.storeError(failure, doing: "connecting")
        }
    }

    /// The first column of the first row of `sql` as an integer (nil for NULL or no row).
    public func integer(_ sql: String) throws -> Int64? {
        do {
            return try connection.query(sql).integer(0, 0)
        } catch let failure as PostgresFailure {
            throw PostgresStore.storeError(failure, doing: "a query")
        }
    }

    /// Runs a script of statements.
    public func run(script: String) throws {
        do {
            try connection.run(script: script)
        } catch let failure as PostgresFailure {
            throw PostgresStore.storeError(failure, doing: "a script")
        }
    }
}
