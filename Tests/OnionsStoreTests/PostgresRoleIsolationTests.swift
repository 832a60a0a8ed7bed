// What a login role in onions_client can do with direct SQL: only call the schema's functions,
// and only with a vault's own auth key. Needs ONIONS_TEST_PG_URL (see PostgresStoreTests.swift).

import OnionsCore
import OnionsCrypto
@testable import OnionsStore
import XCTest

final class PostgresRoleIsolationTests: PostgresTestCase {
    private let insufficientPrivilege = "42501"

    func testTheClientRoleCannotTouchAnyTableOrTheSequence() throws {
        let client = try PostgresConnection(url: database.clientURL())
        for sql in [
            "SELECT * FROM onions.vaults",
            "SELECT * FROM onions.records",
            "SELECT nextval('onions.changes')",
            "UPDATE onions.vaults SET failed_attempts = 0, locked_until = NULL",
            "DELETE FROM onions.records",
            "INSERT INTO onions.vaults (vault, parameters, wrapped_key, verifier) VALUES ('x', '', '', '')",
            "TRUNCATE onions.vaults",
        ] {
            assertRefused(client, sql)
        }
    }

    func testTheClientRoleCannotCallTheInternalCheckOrChangeTheSchema() throws {
        let client = try PostgresConnection(url: database.clientURL())
        for sql in [
            "SELECT onions.check_key('v', '\\x00'::bytea)",
            "CREATE TABLE onions.copy (a int)",
            "CREATE FUNCTION onions.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "ALTER FUNCTION onions.prelogin(text) SECURITY INVOKER",
            "DROP FUNCTION onions.prelogin(text)",
        ] {
            assertRefused(client, sql)
        }
    }

    func testARoleOutsideOnionsClientCannotCallTheFunctions() throws {
        let outsider = try PostgresConnection(url: database.clientURL(member: false))
        assertRefused(outsider, "SELECT onions.prelogin('v')")
        assertRefused(outsider, "SELECT onions.signup('v', '', '', sha256(''))")
        XCTAssertThrowsError(try PostgresStore(url: database.clientURL(member: false)))
    }

    func testEveryFunctionRunningAsItsOwnerPinsItsSearchPath() throws {
        let rows = try database.adminQuery("""
            SELECT p.proname, p.prosecdef,
                   coalesce(array_to_string(p.proconfig, ' ') LIKE '%search_path=onions, pg_temp%', false)
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'onions' ORDER BY p.proname
            """)
        var definers: [String] = []
        for row in 0..<rows.count {
            let name = rows.text(row, 0) ?? "?"
            XCTAssertEqual(rows.bool(row, 2), true, "\(name) does not pin its search_path")
            if rows.bool(row, 1) == true { definers.append(name) }
        }
        XCTAssertEqual(Set(definers), ["prelogin", "signup", "authorize", "get_header", "replace_header",
                                       "get", "get_all", "pull", "apply", "delete_vault"])
    }

    func testAnotherUserWithAVaultOfTheirOwnCannotReadChangeOrDeleteTheFirstUsersVault() throws {
        let first = try database.clientStore()
        let (victim, _) = try makeVault(first)
        let name = randomName()
        try first.apply(vault: victim, writes: [put(name, 0)])
        let headerBefore = try victimHeader(victim)
        let recordsBefore = try victimRecords(victim)

        let second = try database.clientStore()
        let (own, ownKey) = try makeVault(second)
        XCTAssertThrowsError(try second.authorize(vault: victim, authKey: ownKey)) {
            XCTAssertEqual($0 as? StoreError, .unauthorized)
        }

        let attacker = try PostgresConnection(url: database.clientURL())
        let key = PostgresValue.secret(ownKey)
        let vault = PostgresValue.text(victim.value)
        let calls: [(String, [PostgresValue])] = [
            ("SELECT * FROM onions.get_header($1, $2)", [vault, key]),
            ("SELECT * FROM onions.get($1, $2, $3)", [vault, key, .bytes(name.bytes)]),
            ("SELECT * FROM onions.get_all($1, $2)", [vault, key]),
            ("SELECT * FROM onions.pull($1, $2, $3)", [vault, key, .int64(0)]),
            ("SELECT * FROM onions.apply($1, $2, $3, $4, $5, $6)",
             [vault, key, .byteaArray([name.bytes]), .byteaArray([[1, 2, 3]]), .int64Array([1]), .boolArray([false])]),
            ("SELECT onions.replace_header($1, $2, $3, $4, $5, $6, $7)",
             [vault, key, .bytes(headerBefore.parameters), .bytes(headerBefore.wrappedKey), .bytes([1]), .bytes([2]),
              .bytes(headerBefore.verifier)]),
            ("SELECT onions.delete_vault($1, $2)", [vault, key]),
        ]
        for (sql, parameters) in calls {
            let rows = try attacker.query(sql, parameters)
            XCTAssertEqual(rows.count, 1, sql)
            XCTAssertTrue(["unauthorized", "throttled"].contains(rows.text(0, 0) ?? ""), sql)
            for column in 1..<6 { XCTAssertNil(rows.bytes(0, column), "\(sql) gave column \(column)") }
        }
        let signupAgain = "SELECT onions.signup($1, $2, $3, $4)"
        XCTAssertThrowsError(try attacker.query(signupAgain, [vault, .bytes([1]), .bytes([2]), .bytes(headerBefore.verifier)])) {
            XCTAssertEqual(($0 as? PostgresFailure)?.sqlState, PostgresFailure.State.vaultExists)
        }

        XCTAssertEqual(try victimHeader(victim), headerBefore)
        XCTAssertEqual(try victimRecords(victim), recordsBefore)
        XCTAssertNotNil(try second.header(vault: own), "the attacker's own vault still works")
    }

    // MARK: Helpers

    private func assertRefused(_ connection: PostgresConnection, _ sql: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try connection.query(sql), sql, file: file, line: line) {
            XCTAssertEqual(($0 as? PostgresFailure)?.sqlState, insufficientPrivilege, sql, file: file, line: line)
        }
    }

    /// The victim's stored header, read as the superuser.
    private func victimHeader(_ vault: VaultID) throws -> VaultHeaderBlob {
        let rows = try database.adminQuery("SELECT parameters, wrapped_key, verifier FROM onions.vaults WHERE vault = $1",
                                           [.text(vault.value)])
        return VaultHeaderBlob(parameters: try XCTUnwrap(rows.bytes(0, 0)), wrappedKey: try XCTUnwrap(rows.bytes(0, 1)),
                               verifier: try XCTUnwrap(rows.bytes(0, 2)))
    }

    /// The victim's stored records as (name, version, blob), read as the superuser.
    private func victimRecords(_ vault: VaultID) throws -> [[UInt8]] {
        let rows = try database.adminQuery("""
            SELECT name || int8send(version) || blob FROM onions.records WHERE vault = $1 ORDER BY name
            """, [.text(vault.value)])
        return (0..<rows.count).compactMap { rows.bytes($0, 0) }
    }
}
