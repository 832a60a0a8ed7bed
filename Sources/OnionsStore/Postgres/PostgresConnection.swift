import CLibPQ
import Glibc
import OnionsCrypto

/// One libpq connection: binary-format parameterised calls, one reconnect after a drop, and
/// LISTEN/NOTIFY.
///
/// Connection settings come from libpq itself: `url` is a `postgresql://` URL, a `key=value`
/// conninfo string, a bare database name or empty, completed by the `PG*` variables,
/// `~/.pgpass` and the service file. A 10 second connect timeout applies unless `url` or
/// `PGCONNECT_TIMEOUT` names another. TLS follows `PostgresTLS`: `sslmode=verify-full` to a
/// server elsewhere unless the URL names another mode, and a connection TLS refused says how to
/// set up the certificate. Server notices are dropped, never printed.
final class PostgresConnection {
    private let connection: OpaquePointer
    private var channels: Set<String> = []
    private var reconnectedSinceLastPoll = false
    /// What this connection's answers may make the client hold (shared by a store's connections).
    let budget: PostgresReadBudget

    /// Connects to what `url` names, as `user` with `password` when given (they override
    /// anything the URL, the `PG*` variables or `~/.pgpass` say). `password` holds the text and
    /// a NUL in secret memory; libpq keeps its own copy, which it clears when the connection
    /// ends. `database`, when given, replaces the database the URL names (the rest of it still
    /// applies). A server that is not on this machine gets TLS with verify-full unless the URL
    /// names another sslmode (`PostgresTLS`). `budget` counts every row read (`PostgresRows`).
    /// `writable`: of the hosts the URL lists (a primary and its standbys), only one that takes
    /// writes will do (`target_session_attrs=read-write`, unless the URL names another).
    init(url: String, database: String? = nil, user: String? = nil, password: SecretBytes? = nil,
         budget: PostgresReadBudget = PostgresReadBudget(), writable: Bool = false) throws {
        guard onions_libpq_load() != 0 else {
            throw PostgresFailure.connection("the PostgreSQL client library (libpq.so.5, Debian's libpq5) could not "
                + "be loaded: \(String(cString: onions_libpq_load_error()))")
        }
        self.budget = budget
        var keywords = ["application_name"]
        var values = ["onions"]
        if getenv("PGCONNECT_TIMEOUT") == nil {
            keywords.append("connect_timeout")
            values.append("10")
        }
        // A connection that died silently (a laptop asleep, another network) is noticed within
        // seconds, not after TCP's two hours, so a sync never holds the program for long.
        keywords += ["keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout"]
        values += ["1", "30", "10", "3", "10000"]
        let tls = PostgresTLS.decide(url: url, environment: Self.libpqEnvironment)
        if tls == .verifyFull {
            keywords.append("sslmode")
            values.append("verify-full")
        }
        if writable {
            keywords.append("target_session_attrs")
            values.append("read-write")
        }
        // After the defaults, so that what the URL says overrides them; the login comes last,
        // so that nothing overrides it.
        keywords.append("dbname")
        values.append(url)
        if let database {
            // libpq expands only the first dbname; a later one is a plain name that overrides it.
            keywords.append("dbname")
            values.append(database)
        }
        if let user {
            keywords.append("user")
            values.append(user)
        }
        let connection: OpaquePointer? = Self.withCStringArray(values) { valuePointers in
            var pointers = valuePointers
            func connect() -> OpaquePointer? {
                Self.withCStrings(keywords + (password == nil ? [] : ["password"])) { keywordPointers in
                    pointers.append(nil)
                    return pointers.withUnsafeBufferPointer { PQconnectdbParams(keywordPointers, $0.baseAddress, 1) }
                }
            }
            guard let password else { return connect() }
            return password.withUnsafeBytes { secret in
                pointers.append(secret.baseAddress?.assumingMemoryBound(to: CChar.self))
                return connect()
            }
        }
        guard let connection else { throw PostgresFailure.connection("out of memory") }
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.errorMessage(connection)
            PQfinish(connection)
            let advice = PostgresTLS.isTLSFailure(message, under: tls) ? " " + PostgresTLS.setUpAdvice : ""
            throw PostgresFailure.connection(message + advice)
        }
        self.connection = connection
    }

    /// True when libpq says that `url` names a user or a password.
    static func namesALogin(_ url: String) -> Bool {
        guard onions_libpq_load() != 0 else { return false }
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &error) else {
            if let error { PQfreemem(error) }
            return false
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            let name = String(cString: keyword)
            if (name == "user" || name == "password"), let value = option.pointee.val, value.pointee != 0 {
                return true
            }
            option += 1
        }
        return false
    }

    /// The `PG*` variables that name where libpq connects.
    private static var libpqEnvironment: [String: String] {
        var environment: [String: String] = [:]
        for name in ["PGHOST", "PGHOSTADDR", "PGSERVICE"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return environment
    }

    deinit {
        PQfinish(connection)
    }

    /// The socket to wait on for notifications (-1 without a connection).
    var socket: Int32 { PQsocket(connection) }

    /// Runs one parameterised statement and returns its rows. Reconnects and retries once when
    /// the connection has dropped; throws `PostgresFailure`.
    func query(_ sql: String, _ parameters: [PostgresValue] = []) throws -> PostgresRows {
        do {
            return try attempt(sql, parameters)
        } catch let failure as PostgresFailure where failure.kind == .connection {
            try reconnect()
            return try attempt(sql, parameters)
        }
    }

    /// Runs one statement inside the transaction this connection has open, never connecting
    /// again: a new connection would run it outside the transaction. Throws when none is open.
    func queryInTransaction(_ sql: String, _ parameters: [PostgresValue] = []) throws -> PostgresRows {
        guard PQtransactionStatus(connection) == PQTRANS_INTRANS else {
            throw PostgresFailure.connection("the connection ended in the middle of a transaction")
        }
        return try attempt(sql, parameters)
    }

    /// Runs a script of several statements (simple query protocol: one transaction).
    func run(script: String) throws {
        guard PQstatus(connection) == CONNECTION_OK else { try reconnect(); return try run(script: script) }
        guard let result = PQexec(connection, script) else { throw failure(nil) }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { throw failure(result) }
    }

    /// Ends an open transaction: commits it, or rolls back one an error aborted. Nothing without
    /// one. False when the commit failed (the connection is gone: the server rolled it back, or
    /// committed it before the answer was lost).
    @discardableResult
    func endTransaction() -> Bool {
        switch PQtransactionStatus(connection) {
        case PQTRANS_INTRANS: return (try? run(script: "COMMIT")) != nil
        case PQTRANS_INERROR: _ = try? run(script: "ROLLBACK"); return true
        case PQTRANS_IDLE: return true
        default: return false
        }
    }

    /// `name` quoted as an SQL identifier.
    func quotedIdentifier(_ name: String) throws -> String {
        guard let quoted = PQescapeIdentifier(connection, name, name.utf8.count) else {
            throw PostgresFailure.connection(Self.errorMessage(connection))
        }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }

    /// Listens on `channel` (also after any later reconnect).
    func listen(channel: String) throws {
        _ = try query("LISTEN " + quotedIdentifier(channel))
        channels.insert(channel)
    }

    /// Waits up to `timeoutMs` for a notification on a listened channel from another session
    /// of a change after `sequence`, and returns the channels that had one. After a reconnect (notifications may have been
    /// lost meanwhile) it returns every listened channel.
    func notifications(timeoutMs: Int, after sequence: Int64) -> Set<String> {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let end = Int64(deadline.tv_sec) * 1000 + Int64(deadline.tv_nsec) / 1_000_000 + Int64(max(0, timeoutMs))
        while true {
            var arrived = drain(after: sequence)
            if reconnectedSinceLastPoll {
                reconnectedSinceLastPoll = false
                arrived.formUnion(channels)
            }
            if !arrived.isEmpty { return arrived }
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let remaining = end - (Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000)
            guard remaining > 0, socket >= 0 else { return [] }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(clamping: remaining))
            if ready < 0 && errno != EINTR { return [] }
        }
    }

    /// Reads what the server sent and returns the listened channels notified by other sessions
    /// of a change after `sequence` (`apply` sends the last sequence value it took; a payload
    /// that is not a number counts).
    private func drain(after sequence: Int64) -> Set<String> {
        if PQconsumeInput(connection) == 0 || PQstatus(connection) != CONNECTION_OK {
            // No blocking reconnect here (this runs on every tick): say something may have
            // changed; the sync that follows makes the one reconnect attempt and, if the server
            // is gone, reports it offline and paces further attempts.
            reconnectedSinceLastPoll = true
            return []
        }
        let ownProcess = PQbackendPID(connection)
        var arrived: Set<String> = []
        while let notification = PQnotifies(connection) {
            let channel = String(cString: notification.pointee.relname)
            let payload = notification.pointee.extra.map { Int64(String(cString: $0)) } ?? nil
            if notification.pointee.be_pid != ownProcess && channels.contains(channel) && (payload ?? Int64.max) > sequence {
                arrived.insert(channel)
            }
            PQfreemem(notification)
        }
        return arrived
    }

    private func reconnect() throws {
        PQreset(connection)
        guard PQstatus(connection) == CONNECTION_OK else {
            throw PostgresFailure.connection(Self.errorMessage(connection))
        }
        reconnectedSinceLastPoll = true
        for channel in channels {
            guard let quoted = PQescapeIdentifier(connection, channel, channel.utf8.count) else { continue }
            defer { PQfreemem(quoted) }
            _ = try attempt("LISTEN " + String(cString: quoted), [])
        }
    }

    /// Sends one statement and reads its rows one at a time (libpq's single-row mode), each
    /// checked by `PostgresRows` before it is copied. An answer refused there ends the
    /// connection at once (the next call opens it again) so that no more of it is read.
    private func attempt(_ sql: String, _ parameters: [PostgresValue]) throws -> PostgresRows {
        guard PQstatus(connection) == CONNECTION_OK else {
            throw PostgresFailure.connection(Self.errorMessage(connection))
        }
        let types = parameters.map(\.type)
        let encoded = parameters.map(\.encoded)
        let sent: Int32 = Self.withPointers(parameters, encoded, index: 0, into: []) { buffers in
            // A NULL pointer would mean SQL NULL: empty values point at a harmless byte.
            [UInt8(0)].withUnsafeBytes { empty in
                let pointers = buffers.map { ($0.baseAddress ?? empty.baseAddress!).assumingMemoryBound(to: CChar.self) }
                let lengths = buffers.map { Int32($0.count) }
                let formats = [Int32](repeating: 1, count: buffers.count)
                return pointers.map(Optional.some).withUnsafeBufferPointer { values in
                    PQsendQueryParams(connection, sql, Int32(parameters.count), types, values.baseAddress,
                                      lengths, formats, 1)
                }
            }
        }
        guard sent == 1 else { throw failure(nil) }
        PQsetSingleRowMode(connection)
        budget.startAnswer()
        var rows = PostgresRows(server: serverName, budget: budget)
        var refusal: (any Error)?
        var failed: PostgresFailure?
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            guard refusal == nil else { continue }
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE, PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                do {
                    try rows.append(result)
                } catch {
                    refusal = error
                    abandon()
                }
            default:
                if failed == nil { failed = failure(result) }
            }
        }
        if let refusal { throw refusal }
        // A server that ended the session sends its reason first; the connection is gone all the same.
        guard PQstatus(connection) == CONNECTION_OK else {
            throw PostgresFailure.connection(failed?.message ?? Self.errorMessage(connection))
        }
        if let failed { throw failed }
        return rows
    }

    /// "the server HOST:PORT", for sentences about what the server did.
    var serverName: String {
        let host = PQhost(connection).map { String(cString: $0) } ?? ""
        let port = PQport(connection).map { String(cString: $0) } ?? ""
        let name = host.isEmpty ? "the server" : "the server " + host + (port.isEmpty ? "" : ":" + port)
        return name
    }

    /// Stops reading an answer: shuts the socket, so libpq ends the query with a lost
    /// connection at once instead of reading (or waiting for) the rest.
    private func abandon() {
        let descriptor = PQsocket(connection)
        if descriptor >= 0 { _ = shutdown(descriptor, Int32(SHUT_RDWR)) }
    }

    /// Calls `body` with every parameter's bytes in place: secrets from their own memory.
    private static func withPointers<R>(_ parameters: [PostgresValue], _ encoded: [[UInt8]?], index: Int,
                                        into buffers: [UnsafeRawBufferPointer],
                                        _ body: ([UnsafeRawBufferPointer]) -> R) -> R {
        guard index < parameters.count else { return body(buffers) }
        if case .secret(let secret) = parameters[index] {
            return secret.withUnsafeBytes {
                withPointers(parameters, encoded, index: index + 1, into: buffers + [$0], body)
            }
        }
        return (encoded[index] ?? []).withUnsafeBytes {
            withPointers(parameters, encoded, index: index + 1, into: buffers + [$0], body)
        }
    }

    private func failure(_ result: OpaquePointer?) -> PostgresFailure {
        guard let result, PQstatus(connection) == CONNECTION_OK else {
            return .connection(Self.errorMessage(connection))
        }
        func field(_ code: Character) -> String? {
            guard let ascii = code.asciiValue, let value = PQresultErrorField(result, Int32(ascii)) else { return nil }
            return String(cString: value)
        }
        return PostgresFailure(kind: .server, sqlState: field("C"),
                               message: field("M") ?? Self.errorMessage(connection), detail: field("D"))
    }

    private static func errorMessage(_ connection: OpaquePointer) -> String {
        guard let message = PQerrorMessage(connection) else { return "unknown error" }
        let text = String(cString: message).split(whereSeparator: \.isNewline).joined(separator: " ")
        return text.isEmpty ? "unknown error" : text
    }

    /// Calls `body` with NUL-terminated copies of `strings`, without a terminating nil.
    private static func withCStringArray<R>(_ strings: [String],
                                            _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        return body(copies.map { UnsafePointer($0) })
    }

    private static func withCStrings<R>(_ strings: [String],
                                        _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        withCStringArray(strings) { pointers in
            (pointers + [nil]).withUnsafeBufferPointer { body($0.baseAddress!) }
        }
    }
}
