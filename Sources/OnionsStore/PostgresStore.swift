import OnionsCore
import OnionsCrypto

/// The `Store` on a PostgreSQL server that has the onions schema (Resources/schema.sql).
///
/// Every call goes through the schema's `SECURITY DEFINER` functions, so the login role needs
/// nothing but membership in `onions_client`. `authorize` keeps a copy of the auth key (in
/// `SecretBytes`) per vault and presents it with every later call for that vault; calls for a
/// vault without one throw `.unauthorized` (or `.noVault` when it has no header). A refused key
/// is forgotten. `createVault` and `replaceHeader` never learn the (new) auth key: call
/// `authorize` after them. The server throttles a vault after repeated failures, and then
/// refuses even the right key for a while (`lastRefusalWasThrottle` tells which).
///
/// A dropped connection is opened again once per call; a write whose answer was lost that way
/// comes back as a conflict with itself. Not for use from several threads at once.
public final class PostgresStore: Store {
    private let connection: PostgresConnection
    private var keys: [VaultID: SecretBytes] = [:]

    /// True when the last refusal of a key was the server's throttle, not a wrong key.
    public private(set) var lastRefusalWasThrottle = false

    /// The server schema version this program installs and speaks.
    public static var schemaVersion: Int { PostgresSchema.version }

    /// Connects with libpq conventions: `url` is a `postgresql://` URL or `key=value` conninfo
    /// (or empty), completed by the `PG*` variables, `~/.pgpass` and `sslmode` as libpq does.
    ///
    /// Throws `.unavailable("cannot reach the server: ...")` when it cannot connect, and
    /// `.damaged` when the database lacks the onions schema of this program's version.
    public init(url: String) throws {
        do {
            connection = try PostgresConnection(url: url)
        } catch let failure as PostgresFailure {
            throw Self.storeError(failure, doing: "connecting")
        }
        let rows = try call("checking the server's schema") {
            try connection.query("SELECT onions.schema_version()")
        }
        guard let version = rows.integer(0, 0), version == Int64(PostgresSchema.version) else {
            throw StoreError.damaged("The server's onions schema is version \(rows.integer(0, 0) ?? 0); "
                + "this program speaks version \(PostgresSchema.version).")
        }
    }

    /// Installs (or re-installs) the onions schema in the database `adminURL` names.
    ///
    /// Needs a superuser: it creates the roles `onions_owner` and `onions_client` when missing.
    /// Running it again is harmless. Refuses (`.damaged`) a database whose schema is newer.
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

    public func prelogin(vault: VaultID) throws -> [UInt8]? {
        try call("looking up a vault") {
            try connection.query("SELECT onions.prelogin($1)", [.text(vault.value)])
        }.bytes(0, 0)
    }

    public func authorize(vault: VaultID, authKey: SecretBytes) throws {
        let rows = try call("checking the auth key") {
            try connection.query("SELECT onions.authorize($1, $2)", [.text(vault.value), .secret(authKey)])
        }
        try accept(rows.text(0, 0), vault)
        keys[vault] = authKey.copy()
    }

    /// The header, verifier included (after `authorize`); nil when there is no vault.
    public func header(vault: VaultID) throws -> VaultHeaderBlob? {
        do {
            let key = try key(for: vault)
            let rows = try call("reading the vault header") {
                try connection.query("SELECT * FROM onions.get_header($1, $2)", [.text(vault.value), .secret(key)])
            }
            try accept(rows.text(0, 0), vault)
            guard let parameters = rows.bytes(0, 1), let wrappedKey = rows.bytes(0, 2),
                  let verifier = rows.bytes(0, 3) else { throw Self.malformed }
            return VaultHeaderBlob(parameters: parameters, wrappedKey: wrappedKey, verifier: verifier)
        } catch StoreError.noVault {
            return nil
        }
    }

    public func createVault(_ vault: VaultID, header: VaultHeaderBlob) throws {
        _ = try call("creating a vault") {
            try connection.query("SELECT onions.signup($1, $2, $3, $4)", [
                .text(vault.value), .bytes(header.parameters), .bytes(header.wrappedKey), .bytes(header.verifier),
            ])
        }
    }

    /// Throws `.conflict` with an empty name and version 0 when the header has changed since
    /// `expected` was read. Unless the verifier stays the same, the remembered auth key no
    /// longer opens the vault and is forgotten: `authorize` with the new one afterwards.
    public func replaceHeader(_ vault: VaultID, expected: VaultHeaderBlob, with new: VaultHeaderBlob) throws {
        let key = try key(for: vault)
        let rows = try call("replacing the vault header") {
            try connection.query("SELECT onions.replace_header($1, $2, $3, $4, $5, $6, $7)", [
                .text(vault.value), .secret(key), .bytes(expected.parameters), .bytes(expected.wrappedKey),
                .bytes(new.parameters), .bytes(new.wrappedKey), .bytes(new.verifier),
            ])
        }
        if rows.text(0, 0) == "changed" { throw StoreError.conflict(name: RecordName([]), current: 0) }
        try accept(rows.text(0, 0), vault)
        if !ConstantTime.equals(key.withUnsafeBytes { SHA256.hash($0) }, new.verifier) {
            keys[vault] = nil
        }
    }

    /// Deleting a vault that does not exist does nothing; one that exists needs its auth key.
    public func deleteVault(_ vault: VaultID) throws {
        do {
            let key = try key(for: vault)
            let rows = try call("deleting the vault") {
                try connection.query("SELECT onions.delete_vault($1, $2)", [.text(vault.value), .secret(key)])
            }
            try accept(rows.text(0, 0), vault)
            keys[vault] = nil
        } catch StoreError.noVault {
            return
        }
    }

    // MARK: Records

    public func record(vault: VaultID, name: RecordName) throws -> StoredRecord? {
        let key = try key(for: vault)
        let rows = try call("reading a record") {
            try connection.query("SELECT * FROM onions.get($1, $2, $3)",
                                 [.text(vault.value), .secret(key), .bytes(name.bytes)])
        }
        try accept(rows.text(0, 0), vault)
        guard let version = rows.integer(0, 1) else { return nil }
        guard let blob = rows.bytes(0, 2), let deleted = rows.bool(0, 3), let sequence = rows.integer(0, 4) else {
            throw Self.malformed
        }
        return StoredRecord(name: name, version: UInt64(max(0, version)), blob: blob, deleted: deleted,
                            sequence: sequence)
    }

    public func records(vault: VaultID) throws -> [StoredRecord] {
        let key = try key(for: vault)
        return try storedRecords(vault, try call("reading records") {
            try connection.query("SELECT * FROM onions.get_all($1, $2)", [.text(vault.value), .secret(key)])
        })
    }

    /// Applies the writes in one server transaction, each checked in order against the record's
    /// current version (0 when never written; a tombstone counts with its version), so a batch
    /// may write one name twice. Every write takes a fresh sequence value; returns the last (the
    /// vault's highest when `writes` is empty). The conflict names the first failing write and
    /// the version stored before the batch, which is what remains.
    @discardableResult
    public func apply(vault: VaultID, writes: [RecordWrite]) throws -> Int64 {
        let key = try key(for: vault)
        var names: [[UInt8]] = [], blobs: [[UInt8]] = [], expected: [Int64] = [], deletes: [Bool] = []
        for write in writes {
            names.append(write.name.bytes)
            switch write {
            case .put(_, let blob, let version):
                blobs.append(blob)
                expected.append(Int64(clamping: version))
                deletes.append(false)
            case .delete(_, let version):
                blobs.append([])
                expected.append(Int64(clamping: version))
                deletes.append(true)
            }
        }
        let rows: PostgresRows
        do {
            rows = try connection.query("SELECT * FROM onions.apply($1, $2, $3, $4, $5, $6)", [
                .text(vault.value), .secret(key), .byteaArray(names), .byteaArray(blobs),
                .int64Array(expected), .boolArray(deletes),
            ])
        } catch let failure as PostgresFailure where failure.sqlState == PostgresFailure.State.conflict {
            guard let (index, current) = Self.conflictDetail(failure.detail), writes.indices.contains(index) else {
                throw Self.malformed
            }
            throw StoreError.conflict(name: writes[index].name, current: current)
        } catch let failure as PostgresFailure {
            throw Self.storeError(failure, doing: "saving records")
        }
        try accept(rows.text(0, 0), vault)
        guard let sequence = rows.integer(0, 1) else { throw Self.malformed }
        return sequence
    }

    public func changes(vault: VaultID, since: Int64) throws -> [StoredRecord] {
        let key = try key(for: vault)
        return try storedRecords(vault, try call("reading changes") {
            try connection.query("SELECT * FROM onions.pull($1, $2, $3)",
                                 [.text(vault.value), .secret(key), .int64(since)])
        })
    }

    // MARK: Notifications

    /// Asks the server to announce every change to `vault` on this connection (needs no key).
    public func listen(vault: VaultID) throws {
        let channel = try call("listening for changes") {
            try connection.query("SELECT onions.channel($1)", [.text(vault.value)])
        }.text(0, 0)
        guard let channel else { throw Self.malformed }
        try call("listening for changes") { try connection.listen(channel: channel) }
    }

    /// Waits up to `timeoutMs` milliseconds (0: only looks) and returns true when another
    /// session changed a listened vault, or when the connection had to be re-opened (changes may
    /// have been missed then). Changes made through this store are not reported.
    public func pollNotifications(timeoutMs: Int) -> Bool {
        !connection.notifications(timeoutMs: timeoutMs).isEmpty
    }

    /// The connection's socket, for a caller that waits on several descriptors (poll for
    /// reading, then call `pollNotifications(timeoutMs: 0)`); -1 without a connection.
    public var socketDescriptor: Int32 { connection.socket }

    // MARK: Helpers

    private static let malformed = StoreError.damaged("The server sent an answer of an unexpected form.")

    /// The remembered key for `vault`; without one, `.noVault` or `.unauthorized`.
    private func key(for vault: VaultID) throws -> SecretBytes {
        if let key = keys[vault] { return key }
        if try prelogin(vault: vault) == nil { throw StoreError.noVault }
        throw StoreError.unauthorized
    }

    /// Turns a status the schema's functions return into success or the store's error.
    private func accept(_ status: String?, _ vault: VaultID) throws {
        switch status {
        case "ok":
            lastRefusalWasThrottle = false
        case "novault":
            keys[vault] = nil
            throw StoreError.noVault
        case "unauthorized", "throttled":
            keys[vault] = nil
            lastRefusalWasThrottle = status == "throttled"
            throw StoreError.unauthorized
        default:
            throw Self.malformed
        }
    }

    /// Records from `get_all` or `pull` rows, whose first row carries a refusal if there is one.
    private func storedRecords(_ vault: VaultID, _ rows: PostgresRows) throws -> [StoredRecord] {
        if rows.count > 0 { try accept(rows.text(0, 0), vault) }
        return try (0..<rows.count).map { row in
            guard let name = rows.bytes(row, 1), let version = rows.integer(row, 2), let blob = rows.bytes(row, 3),
                  let deleted = rows.bool(row, 4), let sequence = rows.integer(row, 5) else { throw Self.malformed }
            return StoredRecord(name: RecordName(name), version: UInt64(max(0, version)), blob: blob,
                                deleted: deleted, sequence: sequence)
        }
    }

    private func call<R>(_ doing: String, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let failure as PostgresFailure {
            throw Self.storeError(failure, doing: doing)
        }
    }

    /// `index=<i> version=<v>` from a conflict's DETAIL.
    private static func conflictDetail(_ detail: String?) -> (Int, UInt64)? {
        guard let detail else { return nil }
        var index: Int?, version: UInt64?
        for part in detail.split(separator: " ") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            if pair[0] == "index" { index = Int(pair[1]) }
            if pair[0] == "version" { version = UInt64(pair[1]) }
        }
        guard let index, let version else { return nil }
        return (index, version)
    }

    static func storeError(_ failure: PostgresFailure, doing: String) -> StoreError {
        if failure.kind == .connection {
            return .unavailable("cannot reach the server: \(failure.message)")
        }
        switch failure.sqlState {
        case PostgresFailure.State.vaultExists:
            return .vaultExists
        case PostgresFailure.State.undefinedFunction, PostgresFailure.State.invalidSchemaName:
            return .damaged("The server has no onions schema of version \(PostgresSchema.version) "
                + "(an administrator runs `onions server init`).")
        case PostgresFailure.State.insufficientPrivilege:
            return .unavailable("The server refused \(doing): this login role is not a member of onions_client.")
        default:
            return .unavailable("The server refused \(doing): \(failure.message)")
        }
    }
}
