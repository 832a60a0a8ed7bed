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
        try store.createVault(vault, header: header)

        XCTAssertEqual(try store.prelogin(vault: vault), header.parameters)
        XCTAssertNoThrow(try store.authorize(vault: vault, authKey: key))
        XCTAssertEqual(try store.header(vault: vault), header)
    }

    func testPreloginOfAnUnknownVaultIsNil() throws {
        let store = try database.clientStore()
        XCTAssertNil(try store.prelogin(vault: randomVault()))
    }

    func testAuthorizingAnUnknownVaultThrowsNoVault() throws {
        let store = try database.clientStore()
        XCTAssertThrowsError(try store.authorize(vault: randomVault(), authKey: randomKey())) {
            XCTAssertEqual($0 as? StoreError, .noVault)
        }
    }

    func testCreatingAVaultTwiceThrowsVaultExists() throws {
        let store = try database.clientStore()
        let vault = randomVault()
        try store.createVault(vault, header: makeHeader(for: randomKey()))
        XCTAssertThrowsError(try store.createVault(vault, header: makeHeader(for: randomKey()))) {
            XCTAssertEqual($0 as? StoreError, .vaultExists)
        }
    }

    func testAWrongKeyIsUnauthorizedAndLeavesNoAccess() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        XCTAssertThrowsError(try store.authorize(vault: vault, authKey: randomKey())) {
            XCTAssertEqual($0 as? StoreError, .unauthorized)
        }
        XCTAssertFalse(store.lastRefusalWasThrottle)
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

    func testFiveFailuresThrottleTheVaultEvenForTheRightKey() throws {
        let store = try database.clientStore()
        let (vault, key) = try makeVault(store)
        for _ in 0..<5 {
            XCTAssertThrowsError(try store.authorize(vault: vault, authKey: randomKey()))
        }
        XCTAssertThrowsError(try store.authorize(vault: vault, authKey: key)) {
            XCTAssertEqual($0 as? StoreError, .unauthorized)
        }
        XCTAssertTrue(store.lastRefusalWasThrottle)
        let lockedFor = try database.adminQuery(
            "SELECT extract(epoch FROM locked_until - now())::bigint FROM onions.vaults WHERE vault = $1",
            [.text(vault.value)]).integer(0, 0)
        XCTAssertGreaterThan(lockedFor ?? 0, 20)
    }

    func testTheThrottleDelayGrowsWithFurtherFailuresAfterItEnds() throws {
        let store = try database.clientStore()
        let (vault, key) = try makeVault(store)
        for _ in 0..<5 { XCTAssertThrowsError(try store.authorize(vault: vault, authKey: randomKey())) }
        let expire = "UPDATE onions.vaults SET locked_until = now() - interval '1 second' WHERE vault = $1"
        _ = try database.adminQuery(expire, [.text(vault.value)])
        XCTAssertThrowsError(try store.authorize(vault: vault, authKey: randomKey()))
        let lockedFor = try database.adminQuery(
            "SELECT extract(epoch FROM locked_until - now())::bigint FROM onions.vaults WHERE vault = $1",
            [.text(vault.value)]).integer(0, 0)
        XCTAssertGreaterThan(lockedFor ?? 0, 45)

        _ = try database.adminQuery(expire, [.text(vault.value)])
        XCTAssertNoThrow(try store.authorize(vault: vault, authKey: key))
        XCTAssertFalse(store.lastRefusalWasThrottle)
    }

    func testASuccessResetsTheFailureCount() throws {
        let store = try database.clientStore()
        let (vault, key) = try makeVault(store)
        for _ in 0..<4 { XCTAssertThrowsError(try store.authorize(vault: vault, authKey: randomKey())) }
        try store.authorize(vault: vault, authKey: key)
        for _ in 0..<4 { XCTAssertThrowsError(try store.authorize(vault: vault, authKey: randomKey())) }
        XCTAssertNoThrow(try store.authorize(vault: vault, authKey: key))
    }

    func testTheHeaderOfAnUnknownVaultIsNil() throws {
        let store = try database.clientStore()
        XCTAssertNil(try store.header(vault: randomVault()))
    }

    func testReplacingTheHeaderNeedsTheExpectedOneAndThenTheNewKey() throws {
        let store = try database.clientStore()
        let (vault, oldKey) = try makeVault(store)
        let old = try XCTUnwrap(try store.header(vault: vault))
        let newKey = randomKey()
        let new = makeHeader(for: newKey)

        var stale = old
        stale.wrappedKey = [9, 9, 9]
        XCTAssertThrowsError(try store.replaceHeader(vault, expected: stale, with: new)) {
            XCTAssertEqual($0 as? StoreError, .conflict(name: RecordName([]), current: 0))
        }
        try store.replaceHeader(vault, expected: old, with: new)

        XCTAssertThrowsError(try store.authorize(vault: vault, authKey: oldKey))
        try store.authorize(vault: vault, authKey: newKey)
        XCTAssertEqual(try store.header(vault: vault), new)
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

    func testDeletingAVaultRemovesItsHeaderAndEveryRecord() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        let name = randomName()
        try store.apply(vault: vault, writes: [put(name, 0), put(randomName(), 0)])
        try store.apply(vault: vault, writes: [.delete(name: name, expectedVersion: 1)])
        try store.deleteVault(vault)

        XCTAssertNil(try store.prelogin(vault: vault))
        let left = try database.adminQuery("SELECT count(*) FROM onions.records WHERE vault = $1",
                                           [.text(vault.value)]).integer(0, 0)
        XCTAssertEqual(left, 0)
        let key = randomKey()
        try store.createVault(vault, header: makeHeader(for: key))
        try store.authorize(vault: vault, authKey: key)
        XCTAssertEqual(try store.changes(vault: vault, since: 0), [])
    }

    func testDeletingAnUnknownVaultDoesNothing() throws {
        let store = try database.clientStore()
        XCTAssertNoThrow(try store.deleteVault(randomVault()))
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
        XCTAssertTrue(listener.pollNotifications(timeoutMs: 10_000))
        XCTAssertFalse(listener.pollNotifications(timeoutMs: 0))
    }

    func testAListeningStoreHearsNeitherItsOwnChangesNorOtherVaults() throws {
        let listener = try database.clientStore()
        let (vault, _) = try makeVault(listener)
        try listener.listen(vault: vault)
        try listener.apply(vault: vault, writes: [put(randomName(), 0)])

        let other = try database.clientStore()
        let (otherVault, _) = try makeVault(other)
        try other.apply(vault: otherVault, writes: [put(randomName(), 0)])
        XCTAssertFalse(listener.pollNotifications(timeoutMs: 300))
    }

    // MARK: Connections

    func testAnUnreachableServerIsUnavailable() {
        XCTAssertThrowsError(try PostgresStore(url: "postgresql://onions@127.0.0.1:1/onions?connect_timeout=5")) {
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
        XCTAssertTrue(store.pollNotifications(timeoutMs: 0), "a reconnect may have lost notifications")
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
        XCTAssertNil(try store.prelogin(vault: vault))
        let log = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(log.contains(vault.value), "the server log does not show call parameters")
    }
}

// MARK: - Helpers shared by the Postgres tests

/// A fresh database with the onions schema on the throwaway test server, plus login roles
/// that are members of onions_client only. `drop()` removes the database and the roles.
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

    init() throws {
        guard let url = ProcessInfo.processInfo.environment["ONIONS_TEST_PG_URL"], !url.isEmpty,
              let components = URLComponents(string: url) else {
            throw Unconfigured()
        }
        server = components
        name = "onions_test_" + Self.randomHex(8)
        adminURL = Self.url(components, database: name)
        _ = try PostgresConnection(url: url).query("CREATE DATABASE \(name)")
        try PostgresStore.installSchema(adminURL: adminURL)
    }

    /// A store connected as a new login role that is a member of onions_client only.
    func clientStore() throws -> PostgresStore {
        try PostgresStore(url: clientURL())
    }

    /// The URL of a new login role that is a member of onions_client only (or of nothing).
    func clientURL(member: Bool = true) throws -> String {
        let role = "onions_test_role_" + Self.randomHex(8)
        let password = Self.randomHex(16)
        _ = try adminQuery("CREATE ROLE \(role) LOGIN PASSWORD '\(password)'" + (member ? " IN ROLE onions_client" : ""))
        roles.append(role)
        var components = server
        components.user = role
        components.password = password
        return Self.url(components, database: name)
    }

    /// Another new database of the test server, without the schema.
    func makeBareDatabase() throws -> String {
        let bare = "onions_test_bare_" + Self.randomHex(8)
        _ = try PostgresConnection(url: server.string ?? "").query("CREATE DATABASE \(bare)")
        extraDatabases.append(bare)
        var components = server
        components.path = "/" + bare
        return components.string ?? ""
    }

    func adminQuery(_ sql: String, _ parameters: [PostgresValue] = []) throws -> PostgresRows {
        guard let admin else { throw Unconfigured() }
        return try admin.query(sql, parameters)
    }

    /// Ends every session of this test's login roles, as a server restart or network drop would.
    func terminateClientSessions() throws {
        _ = try adminQuery("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND usename LIKE 'onions_test_role_%'
            """)
    }

    func drop() {
        admin = nil
        guard let maintenance = try? PostgresConnection(url: server.string ?? "") else { return }
        for database in [name] + extraDatabases {
            _ = try? maintenance.query("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
        }
        for role in roles {
            _ = try? maintenance.query("DROP ROLE IF EXISTS \(role)")
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
        VaultHeaderBlob(parameters: randomBytes(48), wrappedKey: randomBytes(60),
                        verifier: key.withUnsafeBytes { SHA256.hash($0) })
    }

    /// Creates a vault in `store` and authorizes it; returns its id and auth key.
    func makeVault(_ store: PostgresStore) throws -> (VaultID, SecretBytes) {
        let vault = randomVault()
        let key = randomKey()
        try store.createVault(vault, header: makeHeader(for: key))
        try store.authorize(vault: vault, authKey: key)
        return (vault, key)
    }

    /// A put of a fresh random blob.
    func put(_ name: RecordName, _ expectedVersion: UInt64) -> RecordWrite {
        .put(name: name, blob: randomBytes(64), expectedVersion: expectedVersion)
    }
}
