import OnionsCore
import OnionsCrypto

extension PostgresStore {
    /// A server connection on demand for `url` (libpq conventions), let go while the session is
    /// idle and replaced then by `hasChanges` every `SyncRemote.checkInterval` seconds at most.
    public static func remote(url: String) -> SyncRemote {
        SyncRemote(connect: { try PostgresStore(url: url) },
                   check: { _, authKey, since, head in
                       try hasChanges(url: url, authKey: authKey, since: since, skipping: head)
                   })
    }

    /// True when the vault of `authKey` holds a record other than `head` (the chain's head
    /// record, which moves with every save) above sequence value `since`: one
    /// connection as the vault's own role (one backend for the time of a log in and one query),
    /// closed before it returns. No sign-up connection, no LISTEN. Throws `.unauthorized` when
    /// the server refuses the login or the role has no vault, `.unavailable` when unreachable.
    public static func hasChanges(url: String, authKey: SecretBytes, since: Int64, skipping head: RecordName? = nil) throws -> Bool {
        let login = try PostgresVaultLogin(authKey: authKey)
        defer { login.wipe() }
        do {
            let connection = try PostgresConnection(url: url, user: login.role, password: login.password)
            let rows = try connection.query("SELECT max(seq) FROM onions.pull($1) WHERE name <> $2",
                                            [.int64(since), .bytes(head?.bytes ?? [])])
            return rows.integer(0, 0) != nil
        } catch let failure as PostgresFailure {
            if failure.message.contains("password authentication failed")
                || failure.message.contains("not permitted to log in")
                || failure.sqlState == PostgresFailure.State.noVault {
                throw StoreError.unauthorized
            }
            throw storeError(failure, doing: "checking for changes")
        }
    }
}
