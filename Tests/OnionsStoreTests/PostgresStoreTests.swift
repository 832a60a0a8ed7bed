// PostgresStore against a real server.
//
// Environment (the Makefile sets both around `swift test`, from scripts/pg-test-server.sh):
//   ONIONS_TEST_PG_URL  a postgresql:// URL of a superuser on a throwaway test server
//                       (`scripts/pg-test-server.sh start` prints one). Without it these tests fail.
//   ONIONS_TEST_PG_LOG  the path of that server's log (`scripts/pg-test-server.sh log`), which
//                       records every statement with its parameters.
// Every test gets a fresh database with the schema installed and connects as a fresh login role
// that is only a member of onions_client.

import Foundation
import OnionsCore
import OnionsCrypto
@testable import OnionsStore
import XCTest

final class PostgresStoreTests: PostgresTestCase {
    // MARK: Vaults and keys

    func testSignedUpVaultGivesItsParametersToPreloginAndAcceptsItsKey() throws {
        let store = try database.clientStore()
        let key = randomKey()
        let header = makeHeader(for: key)
        let vault = randomVault()
        try store.createVault(vault, header: header, authKey: key, records: [])

        XCTAssertEqual(try store.prelogin(vault: vault), header.parameters)
        let other = try database.clientStore()
        XCTAssertNoThrow(try other.authorize(vault: vault, authKey: key))
        XCTAssertEqual(try other.header(vault: vault), header)
    }

    func testSignUpWithRecordsStoresThem() throws {
        let store = try database.clientStore()
        let key = randomKey(), vault = randomVault(), name = randomName()
        try store.createVault(vault, header: makeHeader(for: key), authKey: key, records: [put(name, 0)])
        XCTAssertEqual(try store.record(vault: vault, name: name)?.version, 1)
    }

    func testAStoreURLThatNamesALoginIsRefusedWithASentence() throws {
        var components = try XCTUnwrap(URLComponents(string: database.clientURL()))
        components.user = "someone"
        XCTAssertThrowsError(try PostgresStore(url: components.string ?? "")) {
            guard case .unavailable(let message)? = $0 as? StoreError else { return XCTFail("got \($0)") }
            XCTAssertTrue(message.contains("names a user or a password"), message)
        }
        XCTAssertThrowsError(try PostgresStore(url: "host=127.0.0.1 password=secret"))
    }

    func testAuthorizingAnUnknownVaultIsUnauthorizedLikeAWrongKey() throws {
        let store = try database.clientStore()
        XCTAssertThrowsError(try store.authorize(vault: randomVault(), authKey: randomKey())) {
            XCTAssertEqual($0 as? StoreError, .unauthorized)
        }
    }

    func testCreatingAVaultTwiceThrowsVaultExists() throws {
        let store = try database.clientStore()
        let vault = randomVault()
        let key = randomKey(), other = randomKey()
        try store.createVault(vault, header: makeHeader(for: key), authKey: key, records: [])
        XCTAssertThrowsError(try store.createVault(vault, header: makeHeader(for: other), authKey: other, records: [])) {
            XCTAssertEqual($0 as? StoreError, .vaultExists)
        }
    }

    func testAWrongKeyIsUnauthorizedAndLeavesNoAccess() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        XCTAssertThrowsError(try store.authorize(vault: vault, authKey: randomKey())) {
            XCTAssertEqual($0 as? StoreError, .unauthorized)
        }
        XCTAssertThrowsError(try store.records(vault: vault)) {
            XCTAssertEqual($0 as? StoreError, .unauthorized)
        }
    }

    func testCallsBeforeAuthorizeAreRefused() throws {
        let owner = try database.clientStore()
        let (vault, _) = try makeVault(owner)
        let stranger = try database.clientStore()
        XCTAssertThrowsError(try stranger.header(vault: vault)) { XCTAssertEqual($0 as? StoreError, .unauthorized) }
        XCTAssertThrowsError(try stranger.records(vault: vault)) { XCTAssertEqual($0 as? StoreError, .unauthorized) }
        XCTAssertThrowsError(try stranger.apply(vault: vault, writes: [put(randomName(), 0)])) {
            XCTAssertEqual($0 as? StoreError, .unauthorized)
        }
        XCTAssertThrowsError(try stranger.deleteVault(vault)) { XCTAssertEqual($0 as? StoreError, .unauthorized) }
        XCTAssertNotNil(try owner.header(vault: vault))
    }

    func testReplacingTheHeaderNeedsTheExpectedOneAndThenTheNewKey() throws {
        let store = try database.clientStore()
        let (vault, oldKey) = try makeVault(store)
        let old = try XCTUnwrap(try store.header(vault: vault))
        let elsewhere = try database.clientStore()
        try elsewhere.authorize(vault: vault, authKey: oldKey)
        let newKey = randomKey()
        let new = makeHeader(for: newKey)

        var stale = old
        stale.wrappedKey = [9, 9, 9]
        XCTAssertThrowsError(try store.replaceHeader(vault, expected: stale, with: new, authKey: newKey)) {
            XCTAssertEqual($0 as? StoreError, .conflict(name: RecordName([]), current: 0))
        }
        try store.replaceHeader(vault, expected: old, with: new, authKey: newKey)
        XCTAssertEqual(try store.header(vault: vault), new, "the store goes on with the new login")

        XCTAssertThrowsError(try elsewhere.records(vault: vault), "the old login reaches nothing") {
            XCTAssertEqual($0 as? StoreError, .unauthorized)
        }
        XCTAssertThrowsError(try elsewhere.authorize(vault: vault, authKey: oldKey))
        try elsewhere.authorize(vault: vault, authKey: newKey)
        XCTAssertEqual(try elsewhere.header(vault: vault), new)
        XCTAssertEqual(try store.prelogin(vault: vault), new.parameters)
    }

    // MARK: Records

    func testAPutRecordReadsBackWithVersionOne() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        let name = randomName()
        let blob = randomBytes(100)
        let sequence = try store.apply(vault: vault, writes: [.put(name: name, blob: blob, expectedVersion: 0)])

        let record = try XCTUnwrap(try store.record(vault: vault, name: name))
        XCTAssertEqual(record, StoredRecord(name: name, version: 1, blob: blob, deleted: false, sequence: sequence))
        XCTAssertNil(try store.record(vault: vault, name: randomName()))
        XCTAssertEqual(try store.records(vault: vault), [record])
    }

    func testAStaleExpectedVersionIsAConflictNamingTheCurrentVersion() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        let name = randomName()
        try store.apply(vault: vault, writes: [put(name, 0)])
        try store.apply(vault: vault, writes: [put(name, 1)])
        XCTAssertThrowsError(try store.apply(vault: vault, writes: [put(name, 1)])) {
            XCTAssertEqual($0 as? StoreError, .conflict(name: name, current: 2))
        }
        XCTAssertEqual(try store.record(vault: vault, name: name)?.version, 2)
    }

    func testABatchWithOneConflictAppliesNothing() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        let existing = randomName()
        let original = randomBytes(10)
        try store.apply(vault: vault, writes: [.put(name: existing, blob: original, expectedVersion: 0)])
        let before = try store.changes(vault: vault, since: 0)

        let fresh = randomName()
        let batch: [RecordWrite] = [
            .put(name: fresh, blob: randomBytes(10), expectedVersion: 0),
            .put(name: existing, blob: randomBytes(10), expectedVersion: 0),
        ]
        XCTAssertThrowsError(try store.apply(vault: vault, writes: batch)) {
            XCTAssertEqual($0 as? StoreError, .conflict(name: existing, current: 1))
        }
        XCTAssertNil(try store.record(vault: vault, name: fresh))
        XCTAssertEqual(try store.record(vault: vault, name: existing)?.blob, original)
        XCTAssertEqual(try store.changes(vault: vault, since: 0), before)
    }

    func testABatchMayWriteANameTwiceAndAConflictThenNamesTheVersionBeforeTheBatch() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        let name = randomName()
        try store.apply(vault: vault, writes: [put(name, 0), put(name, 1)])
        XCTAssertEqual(try store.record(vault: vault, name: name)?.version, 2)

        XCTAssertThrowsError(try store.apply(vault: vault, writes: [put(name, 2), put(name, 2)])) {
            XCTAssertEqual($0 as? StoreError, .conflict(name: name, current: 2))
        }
        XCTAssertEqual(try store.record(vault: vault, name: name)?.version, 2)
    }

    func testADeleteLeavesATombstoneThatKeepsCounting() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        let name = randomName()
        try store.apply(vault: vault, writes: [put(name, 0)])
        let deletedAt = try store.apply(vault: vault, writes: [.delete(name: name, expectedVersion: 1)])

        XCTAssertNil(try store.record(vault: vault, name: name))
        XCTAssertEqual(try store.records(vault: vault), [])
        XCTAssertEqual(try store.changes(vault: vault, since: 0),
                       [StoredRecord(name: name, version: 2, blob: [], deleted: true, sequence: deletedAt)])
        XCTAssertThrowsError(try store.apply(vault: vault, writes: [put(name, 0)])) {
            XCTAssertEqual($0 as? StoreError, .conflict(name: name, current: 2))
        }
        try store.apply(vault: vault, writes: [put(name, 2)])
        XCTAssertEqual(try store.record(vault: vault, name: name)?.version, 3)
    }

    func testChangesSinceASequenceValueReturnOnlyLaterChangesInOrder() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        let first = randomName(), second = randomName(), third = randomName()
        let mark = try store.apply(vault: vault, writes: [put(first, 0)])
        try store.apply(vault: vault, writes: [put(second, 0)])
        let last = try store.apply(vault: vault, writes: [put(third, 0), put(second, 1)])

        let changes = try store.changes(vault: vault, since: mark)
        XCTAssertEqual(changes.map(\.name), [third, second])
        XCTAssertEqual(changes.last?.sequence, last)
        XCTAssertEqual(changes.map(\.sequence), changes.map(\.sequence).sorted())
        XCTAssertEqual(try store.changes(vault: vault, since: last), [])
    }

    func testAnEmptyBatchReturnsTheVaultsHighestSequenceValue() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        let last = try store.apply(vault: vault, writes: [put(randomName(), 0)])
        XCTAssertEqual(try store.apply(vault: vault, writes: []), last)
    }

    func testRecordsOfOneVaultAreInvisibleInAnother() throws {
        let store = try database.clientStore()
        let (first, _) = try makeVault(store)
        let (second, _) = try makeVault(store)
        let name = randomName()
        try store.apply(vault: first, writes: [put(name, 0)])
        XCTAssertNil(try store.record(vault: second, name: name))
        XCTAssertEqual(try store.changes(vault: second, since: 0), [])
        try store.apply(vault: second, writes: [put(name, 0)])
        XCTAssertEqual(try store.record(vault: first, name: name)?.version, 1)
    }

    func testDeletingAVaultRemovesItsHeaderEveryRecordAndItsLogin() throws {
        let store = try database.clientStore()
        let (vault, key) = try makeVault(store)
        let parameters = try store.prelogin(vault: vault)
        let name = randomName()
        try store.apply(vault: vault, writes: [put(name, 0), put(randomName(), 0)])
        try store.apply(vault: vault, writes: [.delete(name: name, expectedVersion: 1)])
        try store.deleteVault(vault)

        XCTAssertNotEqual(try store.prelogin(vault: vault), parameters)
        let left = try database.adminQuery("SELECT count(*) FROM onions.records WHERE vault = $1",
                                           [.text(vault.value)]).integer(0, 0)
        XCTAssertEqual(left, 0)
        XCTAssertThrowsError(try database.clientStore().authorize(vault: vault, authKey: key))
        let newKey = randomKey()
        try store.createVault(vault, header: makeHeader(for: newKey), authKey: newKey, records: [])
        XCTAssertEqual(try store.changes(vault: vault, since: 0), [])
    }

    // MARK: Notifications

    func testAListeningStoreHearsAnotherConnectionsApply() throws {
        let listener = try database.clientStore()
        let (vault, key) = try makeVault(listener)
        try listener.listen(vault: vault)
        XCTAssertGreaterThanOrEqual(listener.socketDescriptor, 0)

        let writer = try database.clientStore()
        try writer.authorize(vault: vault, authKey: key)
        try writer.apply(vault: vault, writes: [put(randomName(), 0)])
        XCTAssertTrue(listener.pollNotifications(timeoutMs: 10_000, after: 0))
        XCTAssertFalse(listener.pollNotifications(timeoutMs: 0, after: 0))
    }

    func testAListeningStoreHearsNeitherItsOwnChangesNorOtherVaults() throws {
        let listener = try database.clientStore()
        let (vault, _) = try makeVault(listener)
        try listener.listen(vault: vault)
        try listener.apply(vault: vault, writes: [put(randomName(), 0)])

        let other = try database.clientStore()
        let (otherVault, _) = try makeVault(other)
        try other.apply(vault: otherVault, writes: [put(randomName(), 0)])
        XCTAssertFalse(listener.pollNotifications(timeoutMs: 300, after: 0))
    }

    // MARK: Connections

    func testAnUnreachableServerIsUnavailable() {
        XCTAssertThrowsError(try PostgresStore(url: "postgresql://127.0.0.1:1/onions?connect_timeout=5")) {
            guard case .unavailable(let message)? = $0 as? StoreError else {
                return XCTFail("expected unavailable, got \($0)")
            }
            XCTAssertTrue(message.hasPrefix("cannot reach the server: "), message)
        }
    }

    func testADatabaseWithoutTheSchemaIsDamaged() throws {
        let bare = try database.makeBareDatabase()
        XCTAssertThrowsError(try PostgresStore(url: bare)) {
            guard case .damaged? = $0 as? StoreError else { return XCTFail("expected damaged, got \($0)") }
        }
    }

    func testADroppedConnectionIsOpenedAgainForTheNextCall() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        let name = randomName()
        try store.apply(vault: vault, writes: [put(name, 0)])
        try store.listen(vault: vault)
        try database.terminateClientSessions()

        XCTAssertEqual(try store.record(vault: vault, name: name)?.version, 1)
        XCTAssertTrue(store.pollNotifications(timeoutMs: 0, after: 0), "a reconnect may have lost notifications")
        try store.apply(vault: vault, writes: [put(name, 1)])
        XCTAssertEqual(try store.record(vault: vault, name: name)?.version, 2)
    }

    // MARK: Schema

    func testTheEmbeddedSchemaEqualsResourcesSchemaSQL() throws {
        let file = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Resources/schema.sql")
        let source = try String(contentsOf: file, encoding: .utf8)
        XCTAssertEqual(source, PostgresSchema.sql)
        XCTAssertTrue(source.contains("version \(PostgresStore.schemaVersion)"))
    }

    func testInstallingTheSchemaAgainKeepsEveryVault() throws {
        let store = try database.clientStore()
        let (vault, key) = try makeVault(store)
        let name = randomName()
        try store.apply(vault: vault, writes: [put(name, 0)])

        try PostgresStore.installSchema(adminURL: database.adminURL)
        try PostgresStore.installSchema(adminURL: database.adminURL)

        let again = try database.clientStore()
        try again.authorize(vault: vault, authKey: key)
        XCTAssertEqual(try again.record(vault: vault, name: name)?.version, 1)
    }

    func testTheServerLogRecordsCallParametersSoPlaintextChecksCanSearchIt() throws {
        guard let path = ProcessInfo.processInfo.environment["ONIONS_TEST_PG_LOG"], !path.isEmpty else {
            return XCTFail("ONIONS_TEST_PG_LOG is not set: run the tests through `make test`, or export the "
                + "path `scripts/pg-test-server.sh log` prints")
        }
        let store = try database.clientStore()
        let vault = randomVault()
        _ = try store.prelogin(vault: vault)
        let log = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(log.contains(vault.value), "the server log does not show call parameters")
    }
}

// MARK: - Helpers shared by the Postgres tests

/// A fresh database with the onions schema on the throwaway test server. `drop()` removes the
/// database, the vaults' login roles and any role a test made.
final class PostgresTestDatabase {
    struct Unconfigured: Error, CustomStringConvertible {
        var description: String {
            "ONIONS_TEST_PG_URL is not set to a postgresql:// URL: run the tests through `make test`, "
                + "or start a server with "
                + "`scripts/pg-test-server.sh start` and export the URL it prints as ONIONS_TEST_PG_URL "
                + "(and `scripts/pg-test-server.sh log` as ONIONS_TEST_PG_LOG)"
        }
    }

    let name: String
    /// The superuser, connected to this database.
    let adminURL: String
    private let server: URLComponents
    private var roles: [String] = []
    private var extraDatabases: [String] = []
    private lazy var admin: PostgresConnection? = try? PostgresConnection(url: adminURL)

    init(schema: String? = nil) throws {
        guard let url = ProcessInfo.processInfo.environment["ONIONS_TEST_PG_URL"], !url.isEmpty,
              let components = URLComponents(string: url) else {
            throw Unconfigured()
        }
        server = components
        name = "onions_test_" + Self.randomHex(8)
        adminURL = Self.url(components, database: name)
        _ = try PostgresConnection(url: url).query("CREATE DATABASE \(name)")
        if let schema {
            try PostgresConnection(url: adminURL).run(script: schema)
        } else {
            try PostgresStore.installSchema(adminURL: adminURL)
        }
    }

    /// A store on this database (it logs in as onions_signup, then as each vault's role).
    func clientStore() throws -> PostgresStore {
        try PostgresStore(url: clientURL())
    }

    /// The URL of this database without any login: the store chooses its own.
    func clientURL() -> String {
        var components = server
        components.user = nil
        components.password = nil
        return Self.url(components, database: name)
    }

    /// A connection to this database as `role` with `password` (nil: as `PostgresStore` logs in
    /// for the vault of `authKey`).
    func connect(role: String, password: String) throws -> PostgresConnection {
        let secret = SecretBytes(copying: Array(password.utf8) + [0])
        defer { secret.wipe() }
        return try PostgresConnection(url: clientURL(), user: role, password: secret)
    }

    /// A connection as the login role of the vault whose auth key is `authKey`.
    func connect(authKey: SecretBytes) throws -> PostgresConnection {
        let login = try PostgresVaultLogin(authKey: authKey)
        defer { login.wipe() }
        return try PostgresConnection(url: clientURL(), user: login.role, password: login.password)
    }

    /// A new login role that is a member of nothing, for the role-isolation tests.
    func makeRole() throws -> (role: String, password: String) {
        let role = "onions_test_role_" + Self.randomHex(8)
        let password = Self.randomHex(16)
        _ = try adminQuery("CREATE ROLE \(role) LOGIN PASSWORD '\(password)'")
        roles.append(role)
        return (role, password)
    }

    /// Another new database of the test server, without the schema; its URL names no login.
    func makeBareDatabase() throws -> String {
        let bare = "onions_test_bare_" + Self.randomHex(8)
        _ = try PostgresConnection(url: server.string ?? "").query("CREATE DATABASE \(bare)")
        extraDatabases.append(bare)
        var components = server
        components.user = nil
        components.password = nil
        components.path = "/" + bare
        return components.string ?? ""
    }

    func adminQuery(_ sql: String, _ parameters: [PostgresValue] = []) throws -> PostgresRows {
        guard let admin else { throw Unconfigured() }
        return try admin.query(sql, parameters)
    }

    /// Ends every client session of this database (sign up and vault logins), as a server
    /// restart or network drop would.
    func terminateClientSessions() throws {
        _ = try adminQuery("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND (usename LIKE 'onions\\_v\\_%' OR usename = 'onions_signup')
            """)
    }

    func drop() {
        var vaultRoles: [String] = []
        if let rows = try? adminQuery("""
            SELECT role FROM onions.vaults WHERE role IS NOT NULL UNION SELECT role FROM onions.retired_roles
            """) {
            vaultRoles = (0..<rows.count).compactMap { rows.text($0, 0) }
        }
        admin = nil
        guard let maintenance = try? PostgresConnection(url: server.string ?? "") else { return }
        for database in [name] + extraDatabases {
            _ = try? maintenance.query("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
        }
        for role in roles + vaultRoles {
            _ = try? maintenance.query("DROP ROLE IF EXISTS \"\(role)\"")
        }
    }

    /// Random lower-case hex, for names of databases, roles and vaults.
    static func randomHex(_ byteCount: Int) -> String {
        (0..<byteCount).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    private static func url(_ components: URLComponents, database: String) -> String {
        var components = components
        components.path = "/" + database
        return components.string ?? ""
    }
}

/// A test case with a fresh `PostgresTestDatabase` per test, and the makings of vaults.
///
/// Without a test server each test fails (it is never skipped): `setUp` reports why, and the
/// first use of `database` throws.
class PostgresTestCase: XCTestCase {
    /// Vault keys at this test cost while a test runs (`TestingKDFFloor`); the real floor after it.
    override func invokeTest() { TestingKDFFloor.whileLowered(to: ScryptParameters(logN: 10, r: 8, p: 1)) { super.invokeTest() } }

    private var made: Result<PostgresTestDatabase, any Error>?

    /// This test's database.
    var database: PostgresTestDatabase {
        get throws { try (made ?? .failure(PostgresTestDatabase.Unconfigured())).get() }
    }

    override func setUp() {
        super.setUp()
        do {
            made = .success(try PostgresTestDatabase())
        } catch {
            made = .failure(error)
            XCTFail("No test database: \(error)")
        }
    }

    override func tearDown() {
        if case .success(let database)? = made { database.drop() }
        made = nil
        super.tearDown()
    }

    func randomBytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255) }
    }

    func randomKey() -> SecretBytes {
        SecretBytes(copying: randomBytes(32))
    }

    func randomVault() -> VaultID {
        VaultID("vault-" + PostgresTestDatabase.randomHex(12))
    }

    func randomName() -> RecordName {
        RecordName(randomBytes(32))
    }

    /// A header whose verifier is SHA-256 of `key`, with random parameters and wrapped key.
    func makeHeader(for key: SecretBytes) -> VaultHeaderBlob {
        VaultHeaderBlob(parameters: randomBytes(43), wrappedKey: randomBytes(60),
                        verifier: key.withUnsafeBytes { SHA256.hash($0) })
    }

    /// Signs a vault up in `store` (which logs in to it); returns its id and auth key.
    func makeVault(_ store: PostgresStore) throws -> (VaultID, SecretBytes) {
        let vault = randomVault()
        let key = randomKey()
        try store.createVault(vault, header: makeHeader(for: key), authKey: key, records: [])
        return (vault, key)
    }

    /// A put of a fresh random blob.
    func put(_ name: RecordName, _ expectedVersion: UInt64) -> RecordWrite {
        .put(name: name, blob: randomBytes(64), expectedVersion: expectedVersion)
    }
}
