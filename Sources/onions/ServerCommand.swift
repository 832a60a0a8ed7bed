import OnionsCore
import OnionsStore

/// `onions server init --url URL`: installs the server schema and the client role.
///
/// Runs with an administrator's connection (a superuser: it creates the roles `onions_owner`
/// and `onions_client`). Running it again is harmless. Prints how to give a person a login role.
enum ServerCommand {
    static let usage = """
    usage: onions server init --url URL

    Installs the onions schema into the PostgreSQL database URL names, with the NOLOGIN roles
    onions_owner (owns the tables) and onions_client (may only call the onions functions).
    URL is an administrator's (superuser's) connection: a postgresql:// URL or key=value
    settings, completed by the PG* variables and ~/.pgpass as libpq does. Running it again
    keeps every vault.

    Afterwards create one login role per person or machine that syncs, e.g. in psql:
      CREATE ROLE alice LOGIN PASSWORD 'a long random password' IN ROLE onions_client;
    and give them a URL such as postgresql://alice@host/dbname for 'onions --remote URL'.
    """

    static func run(_ args: [String]) throws -> Int32 {
        var list = ArgumentList(args)
        if list.flag("--help") || list.flag("-h") || args.isEmpty {
            print(usage)
            return args.isEmpty ? 2 : 0
        }
        let url = try list.value("--url")
        let rest = try list.positionals()
        guard rest == ["init"] else { throw UsageError("usage: onions server init --url URL") }
        guard let url, !url.isEmpty else { throw UsageError("server init needs --url URL (an administrator's connection)") }
        do {
            try PostgresStore.installSchema(adminURL: url)
        } catch let e as StoreError {
            throw CommandFailure("server init failed: \(VaultError.store(e))")
        }
        printError("installed the onions schema (version \(PostgresStore.schemaVersion)) and the role onions_client")
        print("""
        To let a person sync, create a login role for them that is a member of onions_client:
          CREATE ROLE username LOGIN PASSWORD 'a long random password' IN ROLE onions_client;
        They then use: onions --remote 'postgresql://username@HOST:PORT/DATABASE' ...
        (the password from ~/.pgpass or PGPASSWORD, as libpq reads it)
        """)
        return 0
    }
}
