// What the sign-up login and a vault's login role can do with direct SQL: only call the schema's
// functions granted to them, and a vault's role only on its own vault. Needs ONIONS_TEST_PG_URL
// (see PostgresStoreTests.swift).

import OnionsCore
import OnionsCrypto
@testable import OnionsStore
import XCTest

final class PostgresRoleIsolationTests: PostgresTestCase {
    private let insufficientPrivilege = "42501"

    func testNeitherTheSignupLoginNorAVaultsRoleCanTouchAnyTableOrTheSequence() throws {
        let (_, key) = try makeVault(try database.clientStore())
        let logins = [try signupConnection(), try database.connect(authKey: key)]
        for client in logins {
            for sql in [
                "SELECT * FROM onions.vaults",
                "SELECT * FROM onions.records",
                "SELECT * FROM onions.install_secret",
                "SELECT * FROM onions.retired_roles",
                "SELECT nextval('onions.changes')",
                "UPDATE onions.vaults SET role = NULL",
                "DELETE FROM onions.records",
                "INSERT INTO onions.vaults (vault, parameters, wrapped_key, channel) VALUES ('x', '', '', 'c')",
                "TRUNCATE onions.vaults",
                "CREATE TABLE onions.copy (a int)",
                "CREATE FUNCTION onions.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
                "ALTER FUNCTION onions.prelogin(text) SECURITY INVOKER",
                "DROP FUNCTION onions.prelogin(text)",
                "SELECT onions.my_vault(false)",
                "SELECT onions.create_login('onions_v_00000000000000000000000000000000', 'x')",
                "SELECT onions.retire_login('onions_signup')",
            ] {
                assertRefused(client, sql)
            }
        }
    }

    func testTheSignupLoginCannotCallAVaultsFunctionsNorAVaultsRoleSignUp() throws {
        let (_, key) = try makeVault(try database.clientStore())
        let signup = try signupConnection()
        for sql in ["SELECT * FROM onions.header()", "SELECT onions.channel()", "SELECT * FROM onions.get_all()",
                    "SELECT onions.delete_vault()"] {
            assertRefused(signup, sql)
        }
        let vaultRole = try database.connect(authKey: key)
        for sql in ["SELECT onions.prelogin('v')",
                    "SELECT onions.signup('v', 'onions_v_00000000000000000000000000000000', 'x', '', '')"] {
            assertRefused(vaultRole, sql)
        }
    }

    func testARoleOutsideTheSchemasRolesCannotCallTheFunctions() throws {
        let outsider = try database.makeRole()
        let connection = try database.connect(role: outsider.role, password: outsider.password)
        assertRefused(connection, "SELECT onions.prelogin('v')")
        assertRefused(connection, "SELECT * FROM onions.header()")
    }

    func testASignupWithAMalformedRoleOrVerifierIsRefusedAndCreatesNothing() throws {
        let signup = try signupConnection()
        let good = "SCRAM-SHA-256$4096:c2FsdA==$" + String(repeating: "A", count: 43) + "=:" + String(repeating: "B", count: 43) + "="
        for (role, verifier) in [("onions_owner", good), ("onions_v_x\"; DROP ROLE x; --", good),
                                 ("onions_v_00000000000000000000000000000000", "plain password"),
                                 ("onions_v_00000000000000000000000000000000", good.replacingOccurrences(of: "4096", with: "1000"))] {
            XCTAssertThrowsError(try signup.query("SELECT onions.signup($1, $2, $3, '\\x00', '\\x00')",
                                                  [.text("vault-" + PostgresTestDatabase.randomHex(4)), .text(role), .text(verifier)])) {
                XCTAssertEqual(($0 as? PostgresFailure)?.sqlState, PostgresFailure.State.invalidArgument, role)
            }
        }
        XCTAssertEqual(try database.adminQuery("SELECT count(*) FROM onions.vaults").integer(0, 0), 0)
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
        XCTAssertEqual(Set(definers), ["prelogin", "signup", "vault_id", "channel", "header", "replace_header",
                                       "take_turn", "get", "get_all", "pull", "pull_versions", "get_many", "apply",
                                       "delete_vault",
                                       "add_commits", "pull_commits", "get_head", "held_commits",
                                       "pull_history", "exclude_from_history", "purge_history",
                                       "add_history", "remove_records"])
    }

    func testAnotherVaultsRoleCannotReadChangeOrDeleteTheVaultNorHearItsChanges() throws {
        let first = try database.clientStore()
        let (victim, victimKey) = try makeVault(first)
        let name = randomName()
        try first.apply(vault: victim, writes: [put(name, 0)])
        let headerBefore = try storedHeader(victim)
        let recordsBefore = try storedRecords(victim)
        let victimChannel = try XCTUnwrap(
            try database.adminQuery("SELECT channel FROM onions.vaults WHERE vault = $1", [.text(victim.value)]).text(0, 0))

        let second = try database.clientStore()
        let (own, ownKey) = try makeVault(second)
        XCTAssertThrowsError(try second.authorize(vault: victim, authKey: ownKey)) {
            XCTAssertEqual($0 as? StoreError, .unauthorized)
        }

        let attacker = try database.connect(authKey: ownKey)
        XCTAssertEqual(try attacker.query("SELECT * FROM onions.get($1)", [.bytes(name.bytes)]).count, 0)
        XCTAssertEqual(try attacker.query("SELECT * FROM onions.get_all()").count, 0)
        XCTAssertEqual(try attacker.query("SELECT * FROM onions.pull(0)").count, 0)
        XCTAssertEqual(try attacker.query("SELECT * FROM onions.pull_versions(0)").count, 0)
        XCTAssertEqual(try attacker.query("SELECT * FROM onions.get_many($1)", [.byteaArray([name.bytes])]).count, 0)
        let ownChannel = try attacker.query("SELECT onions.channel()").text(0, 0)
        XCTAssertNotEqual(ownChannel, victimChannel, "a role learns its own channel only")
        XCTAssertEqual(try attacker.query("SELECT onions.replace_header($1, $2, $3, $4, $5, $6)", [
            .bytes(headerBefore.parameters), .bytes(headerBefore.wrappedKey), .bytes([1]), .bytes([2]),
            .text("onions_v_" + PostgresTestDatabase.randomHex(16)), .text("x"),
        ]).text(0, 0), "changed")
        XCTAssertThrowsError(try attacker.query("SELECT onions.signup($1, $2, $3, '\\x00', '\\x00')",
                                                [.text(victim.value), .text("onions_v_" + PostgresTestDatabase.randomHex(16)),
                                                 .text("x")]))

        // The names it could guess: version 1's digest of the vault id, and its own channel.
        let oldName = try database.adminQuery("SELECT 'onions_' || md5($1)", [.text(victim.value)]).text(0, 0)
        try attacker.listen(channel: try XCTUnwrap(oldName))
        try attacker.listen(channel: ownChannel ?? "")
        let owner = try database.clientStore()
        try owner.authorize(vault: victim, authKey: victimKey)
        try owner.listen(vault: victim)
        try first.apply(vault: victim, writes: [put(name, 1)])
        XCTAssertTrue(owner.pollNotifications(timeoutMs: 5000, after: 0), "the vault's own role hears the save")
        XCTAssertEqual(attacker.notifications(timeoutMs: 300, after: 0), [], "another role hears nothing")

        // Writes and the delete reach the attacker's own vault only.
        _ = try attacker.query("SELECT onions.apply($1, $2, $3, $4, $5)",
                               [.byteaArray([name.bytes]), .byteaArray([[1, 2, 3]]), .int64Array([0]), .int64Array([1]),
                                .boolArray([false])])
        _ = try attacker.query("SELECT onions.delete_vault()")
        XCTAssertEqual(try storedHeader(victim), headerBefore)
        XCTAssertEqual(try storedRecords(victim).count, recordsBefore.count)
        XCTAssertEqual(try first.record(vault: victim, name: name)?.version, 2)
        XCTAssertThrowsError(try second.header(vault: own), "the attacker deleted its own vault only")
    }

    // MARK: Helpers

    private func signupConnection() throws -> PostgresConnection {
        try database.connect(role: PostgresStore.signupRole, password: PostgresStore.signupPassword)
    }

    private func assertRefused(_ connection: PostgresConnection, _ sql: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try connection.query(sql), sql, file: file, line: line) {
            XCTAssertEqual(($0 as? PostgresFailure)?.sqlState, insufficientPrivilege, sql, file: file, line: line)
        }
    }

    /// A vault's stored header, read as the superuser (its verifier: the login role).
    private func storedHeader(_ vault: VaultID) throws -> VaultHeaderBlob {
        let rows = try database.adminQuery("SELECT parameters, wrapped_key, convert_to(role, 'UTF8') FROM onions.vaults WHERE vault = $1",
                                           [.text(vault.value)])
        return VaultHeaderBlob(parameters: try XCTUnwrap(rows.bytes(0, 0)), wrappedKey: try XCTUnwrap(rows.bytes(0, 1)),
                               verifier: try XCTUnwrap(rows.bytes(0, 2)))
    }

    /// A vault's stored records as (name, version, blob), read as the superuser.
    private func storedRecords(_ vault: VaultID) throws -> [[UInt8]] {
        let rows = try database.adminQuery("""
            SELECT name || int8send(version) || blob FROM onions.records WHERE vault = $1 ORDER BY name
            """, [.text(vault.value)])
        return (0..<rows.count).compactMap { rows.bytes($0, 0) }
    }
}
