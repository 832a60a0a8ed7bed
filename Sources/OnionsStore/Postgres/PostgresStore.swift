import Glibc
import OnionsCore
import OnionsCrypto

/// The `Store` on a PostgreSQL server that has the onions schema (Resources/schema.sql).
///
/// The store logs in twice over: as `onions_signup` (public password) for `prelogin` and sign
/// up, and, from `authorize` on, as each vault's own login role, whose name and password derive
/// from the vault's auth key (`PostgresVaultLogin`). libpq proves that password with SCRAM, so
/// no call ever carries a key; the server's functions give each role its own vault only.
/// `authorize` keeps that vault's connection; calls for a vault without one throw
/// `.unauthorized`. A vault of schema version 1 without a role is not opened (no key is sent).
///
/// `prelogin` answers for any id (the server makes up stable parameters for unknown ones), so it
/// never tells whether a vault exists; sign up tells, by `.vaultExists`, after the server's
/// auth_delay and a log in.
///
/// The URL names the server, database and TLS settings only: a user or password in it is
/// refused. A dropped connection is opened again once per call; a write whose answer was lost
/// that way comes back as a conflict with itself. Not for use from several threads at once.
public final class PostgresStore: Store {
    /// The shared login for sign up, which the schema creates.
    public static let signupRole = "onions_signup"
    /// The public password of `signupRole`: it may only look up and create vaults.
    public static let signupPassword = "onions-signup"

    private let url: String
    /// The sign-up login's connection: opened by `init`, closed once a vault logs in (a server
    /// process per open session is what limits a server), opened again when needed.
    private var signupConnection: PostgresConnection?
    var logins: [VaultID: PostgresConnection] = [:]
    /// SHA-256 of each logged-in vault's auth key: the local store's verifier (VaultHeaderBlob).
    private var verifiers: [VaultID: [UInt8]] = [:]
    private var listened: Set<VaultID> = []
    /// Vaults whose turn this store holds (`takeTurn`): a transaction is open on their connection.
    var turns: Set<VaultID> = []
    /// What the server's answers may make this store hold in one sync round (`beginRound`).
    let budget = PostgresReadBudget()
    /// Names whose replaced rows the server is not to keep (PostgresStoreHistory.swift): to send
    /// with the next `apply`, and sent already on this vault's connection.
    var historyExclusionsQueued: [VaultID: Set<RecordName>] = [:]
    var historyExclusionsSent: [VaultID: Set<RecordName>] = [:]
    /// This machine's versions between the server's and the pushed one, for the next `apply`.
    var historyQueued: [VaultID: [StoredRecord]] = [:]

    /// How long `takeTurn` waits for another session's turn, and how long a turn may idle
    /// before the server ends it (and its session), so a stopped machine holds no one up long.
    static let turnWait = "2s"
    static let turnIdleLimit = "10s"

    /// The server schema version this program installs and speaks.
    public static var schemaVersion: Int { PostgresSchema.version }

    /// Connects as `signupRole` with libpq conventions: `url` is a `postgresql://` URL or
    /// `key=value` conninfo (or empty) naming host, port, database and TLS settings, completed
    /// by the `PG*` variables and `sslmode` as libpq does.
    ///
    /// Throws `.unavailable` when `url` names a user or password (the store chooses its logins)
    /// or when it cannot connect ("cannot reach the server: ..."), and `.damaged` when the
    /// database lacks the onions schema of this program's version.
    public init(url: String) throws {
        guard !PostgresConnection.namesALogin(url) else {
            throw StoreError.unavailable("the server URL names a user or a password; leave them out "
                + "(postgresql://host:port/database): onions logs in as each vault itself")
        }
        self.url = url
        let rows = try call("checking the server's schema") {
            try signup().query("SELECT onions.schema_version()")
        }
        guard let version = rows.integer(0, 0), version == Int64(PostgresSchema.version) else {
            let found = rows.integer(0, 0) ?? 0
            let what = found < Int64(PostgresSchema.version)
                ? "older than this program's (\(PostgresSchema.version)): its operator upgrades it with `onions server init`"
                : "newer than this program's (\(PostgresSchema.version)): upgrade onions on this machine"
            throw StoreError.damaged("The server's onions schema is version \(found), \(what).")
        }
    }

    /// Installs (or re-installs, or upgrades from version 1) the onions schema in the database
    /// `adminURL` names.
    ///
    /// Needs a superuser: it creates the roles `onions_owner`, `onions_client` and `signupRole`
    /// when missing. Running it again is harmless. Refuses (`.damaged`) a database whose schema
    /// is newer.
    public static func installSchema(adminURL: String) throws {
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection(url: adminURL)
        } catch let failure as PostgresFailure {
            throw storeError(failure, doing: "connecting")
        }
        do {
            let present = try connection.query("SELECT to_regproc('onions.schema_version') IS NOT NULL")
            if present.bool(0, 0) == true {
                let installed = try connection.query("SELECT onions.schema_version()").integer(0, 0) ?? 0
                guard installed <= Int64(PostgresSchema.version) else {
                    throw StoreError.damaged("The server's onions schema is version \(installed), "
                        + "newer than this program's (\(PostgresSchema.version)).")
                }
            }
            try connection.run(script: PostgresSchema.sql)
        } catch let failure as PostgresFailure {
            throw storeError(failure, doing: "installing the schema")
        }
    }

    // MARK: Vaults

    /// The vault's public KDF parameters; for an unknown id, made-up ones of the same form.
    public func prelogin(vault: VaultID) throws -> [UInt8]? {
        try call("looking up a vault") {
            try signup().query("SELECT onions.prelogin($1)", [.text(vault.value)])
        }.bytes(0, 0)
    }

    /// Logs in as the vault's role (SCRAM). Throws `.unauthorized` for a wrong key and for an
    /// unknown vault alike. Nothing is ever sent in a call for the log in: no key, nothing
    /// derived from one that a server could replay (a server that claims a vault "awaits
    /// migration" is not asked).
    public func authorize(vault: VaultID, authKey: SecretBytes) throws {
        let login = try PostgresVaultLogin(authKey: authKey)
        defer { login.wipe() }
        drop(vault)
        let connection: PostgresConnection
        do {
            connection = try logIn(login)
        } catch is LogInRefusal {
            throw StoreError.unauthorized
        }
        logins[vault] = connection
        signupConnection = nil
        verifiers[vault] = authKey.withUnsafeBytes { SHA256.hash($0) }
        // A role whose vault was deleted, or whose password was changed, has no vault; a key
        // of another vault opens that one.
        let id = try vaultCall(vault, "checking the vault") { try $0.query("SELECT onions.vault_id()") }.text(0, 0)
        guard id == vault.value else {
            drop(vault)
            throw StoreError.unauthorized
        }
    }

    /// The header (after `authorize`); its verifier is SHA-256 of the key `authorize` was given.
    public func header(vault: VaultID) throws -> VaultHeaderBlob? {
        let rows = try vaultCall(vault, "reading the vault header") { try $0.query("SELECT * FROM onions.header()") }
        guard let parameters = rows.bytes(0, 0), let wrappedKey = rows.bytes(0, 1),
              let verifier = verifiers[vault] else { throw Self.malformed }
        return VaultHeaderBlob(parameters: parameters, wrappedKey: wrappedKey, verifier: verifier)
    }

    /// Refused: the server needs the auth key to register the vault's login (below).
    public func createVault(_ vault: VaultID, header: VaultHeaderBlob) throws {
        throw StoreError.unavailable("a vault is created on the server together with its auth key")
    }

    /// Signs up: registers the vault's login role (its SCRAM verifier, computed here) and header
    /// through `signupRole` in one transaction, logs in as the role, then applies `records`
    /// (a second transaction). Throws `.vaultExists` when the id is taken, which only the log in
    /// tells (the server answers a sign-up alike either way).
    public func createVault(_ vault: VaultID, header: VaultHeaderBlob, authKey: SecretBytes,
                            records: [RecordWrite]) throws {
        let login = try PostgresVaultLogin(authKey: authKey)
        defer { login.wipe() }
        let verifier = try login.verifier()
        _ = try call("creating a vault") {
            try signup().query("SELECT onions.signup($1, $2, $3, $4, $5)", [
                .text(vault.value), .text(login.role), .text(verifier), .bytes(header.parameters),
                .bytes(header.wrappedKey),
            ])
        }
        // The server does not say whether the id was free: a log in as the new role does.
        do {
            try authorize(vault: vault, authKey: authKey)
        } catch StoreError.unauthorized {
            throw StoreError.vaultExists
        }
        if !records.isEmpty { try apply(vault: vault, writes: records) }
    }

    /// Refused: the server needs the new auth key (`replaceHeader(_:expected:with:authKey:)`).
    public func replaceHeader(_ vault: VaultID, expected: VaultHeaderBlob, with new: VaultHeaderBlob) throws {
        throw StoreError.unavailable("a vault header is replaced on the server together with the new auth key")
    }

    /// Replaces the header if it still equals `expected` (else `.conflict` with an empty name
    /// and version 0) and moves the vault to the login of `authKey`, the new password's; the
    /// old login stops working at once (other machines then hear `.unauthorized`).
    public func replaceHeader(_ vault: VaultID, expected: VaultHeaderBlob, with new: VaultHeaderBlob,
                              authKey: SecretBytes) throws {
        let login = try PostgresVaultLogin(authKey: authKey)
        defer { login.wipe() }
        let verifier = try login.verifier()
        let rows = try vaultCall(vault, "replacing the vault header") {
            try $0.query("SELECT onions.replace_header($1, $2, $3, $4, $5, $6)", [
                .bytes(expected.parameters), .bytes(expected.wrappedKey), .bytes(new.parameters),
                .bytes(new.wrappedKey), .text(login.role), .text(verifier),
            ])
        }
        if rows.text(0, 0) == "changed" { throw StoreError.conflict(name: RecordName([]), current: 0) }
        guard rows.text(0, 0) == "ok" else { throw Self.malformed }
        let wasListening = listened.contains(vault)
        try authorize(vault: vault, authKey: authKey)
        if wasListening { try listen(vault: vault) }
    }

    /// Deletes the vault of the login `authorize` made; `.unauthorized` without one.
    public func deleteVault(_ vault: VaultID) throws {
        _ = try vaultCall(vault, "deleting the vault") { try $0.query("SELECT onions.delete_vault()") }
        drop(vault)
    }

    // MARK: Records

    public func record(vault: VaultID, name: RecordName) throws -> StoredRecord? {
        let rows = try vaultCall(vault, "reading a record") {
            try $0.query("SELECT * FROM onions.get($1)", [.bytes(name.bytes)])
        }
        guard rows.count > 0 else { return nil }
        guard let version = rows.integer(0, 0), let blob = rows.bytes(0, 1), let deleted = rows.bool(0, 2),
              let sequence = rows.integer(0, 3) else {
            throw Self.malformed
        }
        return StoredRecord(name: name, version: UInt64(max(0, version)), blob: blob, deleted: deleted,
                            sequence: sequence)
    }

    public func records(vault: VaultID) throws -> [StoredRecord] {
        try storedRecords(try vaultCall(vault, "reading records") { try $0.query("SELECT * FROM onions.get_all()") })
    }

    /// Applies the writes in one server transaction, each checked in order against the record's
    /// current version (0 when never written; a tombstone counts with its version), so a batch
    /// may write one name twice; a new version must be above the expected one (it may skip). Every write takes a fresh sequence value; returns the last (the
    /// vault's highest when `writes` is empty). The conflict names the first failing write and
    /// the version stored before the batch, which is what remains.
    @discardableResult
    public func apply(vault: VaultID, writes: [RecordWrite]) throws -> Int64 {
        try apply(vault: vault, writes: writes, commits: [])
    }

    /// Waits (up to `turnWait`) for the vault's turn to sync: opens a transaction on the vault's
    /// connection that holds the lock `apply` takes, so other machines taking turns or writing
    /// wait until this one's next `apply` commits or `endTurn`. Every read in a turn sees what
    /// was committed before it and nothing the vault's other sessions commit meanwhile, since
    /// none can. False (no turn) when another session kept the vault longer than the wait.
    public func takeTurn(vault: VaultID) throws -> Bool {
        endTurn(vault: vault)
        guard let connection = logins[vault] else { throw StoreError.unauthorized }
        try call("waiting for the vault's turn") {
            try connection.run(script: "BEGIN; SET LOCAL lock_timeout = '\(Self.turnWait)'; "
                + "SET LOCAL idle_in_transaction_session_timeout = '\(Self.turnIdleLimit)'")
        }
        turns.insert(vault)
        do {
            let held = try vaultCall(vault, "waiting for the vault's turn") { connection -> Bool in
                do {
                    _ = try connection.query("SELECT onions.take_turn()")
                    return true
                } catch let failure as PostgresFailure
                            where failure.sqlState == PostgresFailure.State.lockNotAvailable {
                    return false
                }
            }
            if !held { endTurn(vault: vault) }
            return held
        } catch {
            endTurn(vault: vault)
            throw error
        }
    }

    /// Ends the vault's turn without writing (nothing when this store holds none).
    public func endTurn(vault: VaultID) {
        guard turns.remove(vault) != nil else { return }
        logins[vault]?.endTransaction()
    }

    public func changes(vault: VaultID, since: Int64) throws -> [StoredRecord] {
        try storedRecords(try vaultCall(vault, "reading changes") {
            try $0.query("SELECT * FROM onions.pull($1)", [.int64(since)])
        })
    }

    // MARK: Notifications

    /// Asks the server to announce every change to `vault` on this store (after `authorize`):
    /// the vault's channel has a random name that only its role can read.
    public func listen(vault: VaultID) throws {
        let channel = try vaultCall(vault, "listening for changes") {
            try $0.query("SELECT onions.channel()")
        }.text(0, 0)
        guard let channel, let connection = logins[vault] else { throw Self.malformed }
        try call("listening for changes") { try connection.listen(channel: channel) }
        listened.insert(vault)
    }

    /// Waits up to `timeoutMs` milliseconds (0: only looks) and returns true when another
    /// session changed a listened vault, or when a connection had to be re-opened (changes may
    /// have been missed then). Changes made through this store are not reported.
    public func pollNotifications(timeoutMs: Int, after sequence: Int64) -> Bool {
        let connections = listened.sorted { $0.value < $1.value }.compactMap { logins[$0] }
        guard let first = connections.first else {
            if let signupConnection { _ = signupConnection.notifications(timeoutMs: timeoutMs, after: sequence) } else {
                usleep(UInt32(max(0, timeoutMs)) * 1000)
            }
            return false
        }
        if connections.dropFirst().contains(where: { !$0.notifications(timeoutMs: 0, after: sequence).isEmpty }) { return true }
        return !first.notifications(timeoutMs: timeoutMs, after: sequence).isEmpty
    }

    /// The socket of the first listened vault's connection (of the sign-up one before any), for
    /// a caller that waits on several descriptors (poll for reading, then call
    /// `pollNotifications(timeoutMs: 0, after:)`); -1 without a connection.
    public var socketDescriptor: Int32 {
        let first = listened.sorted { $0.value < $1.value }.first.flatMap { logins[$0] }
        return (first ?? signupConnection)?.socket ?? -1
    }

    // MARK: Helpers

    /// The sign-up login's connection, opened when there is none.
    private func signup() throws -> PostgresConnection {
        if let signupConnection { return signupConnection }
        let password = SecretBytes(copying: Array(Self.signupPassword.utf8) + [0])
        defer { password.wipe() }
        let connection = try PostgresConnection(url: url, user: Self.signupRole, password: password, budget: budget,
                                                writable: true)
        signupConnection = connection
        return connection
    }

    static let malformed = StoreError.damaged("The server sent an answer of an unexpected form.")

    /// Why the server refused a vault's login: a wrong password or no such role (PostgreSQL
    /// does not say which), or the role of a deleted vault or of a changed password.
    private enum LogInRefusal: Error { case password, retired }

    /// Connects as a vault's role; throws `LogInRefusal` when the server refuses the login.
    private func logIn(_ login: PostgresVaultLogin) throws -> PostgresConnection {
        do {
            return try PostgresConnection(url: url, user: login.role, password: login.password, budget: budget,
                                          writable: true)
        } catch let failure as PostgresFailure {
            // libpq gives no SQLSTATE for a refused connection: its message says why.
            if failure.message.contains("password authentication failed") { throw LogInRefusal.password }
            if failure.message.contains("not permitted to log in") { throw LogInRefusal.retired }
            throw Self.storeError(failure, doing: "logging in")
        }
    }

    /// Forgets a vault's login (its connection ends).
    func drop(_ vault: VaultID) {
        turns.remove(vault)
        logins[vault] = nil
        historyExclusionsSent[vault] = nil
        verifiers[vault] = nil
        listened.remove(vault)
    }

    /// Runs `body` on the vault's own connection. Without one, or when the server says the role
    /// has no vault (deleted, or the password changed elsewhere), `.unauthorized`. A conflict
    /// comes through as the `PostgresFailure` for `apply`.
    func vaultCall<R>(_ vault: VaultID, _ doing: String, _ body: (PostgresConnection) throws -> R) throws -> R {
        guard let connection = logins[vault] else { throw StoreError.unauthorized }
        do {
            return try body(connection)
        } catch let failure as PostgresFailure where failure.sqlState == PostgresFailure.State.noVault
                    || failure.sqlState == PostgresFailure.State.insufficientPrivilege {
            // A retired role (vault deleted, password changed) has lost its grants as well.
            drop(vault)
            throw StoreError.unauthorized
        } catch let failure as PostgresFailure where failure.sqlState == PostgresFailure.State.conflict {
            throw failure
        } catch let failure as PostgresFailure {
            throw Self.storeError(failure, doing: doing)
        }
    }

    private func call<R>(_ doing: String, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let failure as PostgresFailure {
            throw Self.storeError(failure, doing: doing)
        }
    }
}
