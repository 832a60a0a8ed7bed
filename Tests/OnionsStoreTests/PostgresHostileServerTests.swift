// What an operator who replaces the schema's functions (a superuser may) can get from the
// client: no key, nothing replayable to log in, no unbounded memory. Needs ONIONS_TEST_PG_URL
// and ONIONS_TEST_PG_LOG (see PostgresStoreTests.swift).

import Foundation
import OnionsCore
import OnionsCrypto
@testable import OnionsStore
import XCTest

final class PostgresHostileServerTests: PostgresTestCase {
    /// A server that changes a vault's login password and claims every vault awaits the move
    /// from schema version 1 (the old client then sent its auth key) receives no key: no
    /// function is called with it, and the statement log holds no form of it.
    func testAServerClaimingEveryVaultAwaitsMigrationGetsNoKey() throws {
        let log = try serverLog()
        let (vault, key) = try makeVault(try database.clientStore())
        let login = try PostgresVaultLogin(authKey: key)
        defer { login.wipe() }
        try database.adminScript("""
            CREATE TABLE public.captured (args text);
            GRANT INSERT ON public.captured TO PUBLIC;
            DROP FUNCTION IF EXISTS onions.awaits_migration(text);
            DROP FUNCTION IF EXISTS onions.migrate(text, bytea, text, text);
            CREATE OR REPLACE FUNCTION onions.awaits_migration(p text) RETURNS boolean
            LANGUAGE sql AS $$ SELECT true $$;
            CREATE OR REPLACE FUNCTION onions.migrate(p_vault text, p_auth bytea, p_role text, p_verifier text)
            RETURNS text LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO public.captured VALUES (encode(p_auth, 'hex'));
                RETURN 'ok';
            END $$;
            GRANT EXECUTE ON FUNCTION onions.awaits_migration(text), onions.migrate(text, bytea, text, text)
                TO onions_signup;
            ALTER ROLE \(login.role) PASSWORD 'chosen-by-the-operator';
            """)
        let logStart = try log.size()

        let store = try database.clientStore()
        XCTAssertThrowsError(try store.authorize(vault: vault, authKey: key)) {
            XCTAssertEqual($0 as? StoreError, .unauthorized)
        }
        XCTAssertThrowsError(try store.authorize(vault: vault, authKey: key), "nor on a second try")

        XCTAssertEqual(try database.adminQuery("SELECT count(*) FROM public.captured").integer(0, 0), 0,
                       "the replaced migrate() was called")
        let logged = try log.read(from: logStart)
        let bytes = key.withUnsafeBytes { Array($0) }
        let forms = [Hex.encode(bytes), Base64.encode(bytes), Hex.encode(SHA256.hash(bytes))]
        XCTAssertEqual(forms.filter { logged.range(of: Data($0.utf8)) != nil }, [],
                       "a form of the auth key reached the server's statement log")
    }
}

/// The test server's log file, read from an offset.
struct ServerLog {
    let path: String

    func size() throws -> UInt64 {
        try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber).uint64Value
    }

    func read(from offset: UInt64) throws -> Data {
        let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? file.close() }
        try file.seek(toOffset: offset)
        return try file.readToEnd() ?? Data()
    }
}

extension PostgresTestCase {
    func serverLog() throws -> ServerLog {
        guard let path = ProcessInfo.processInfo.environment["ONIONS_TEST_PG_LOG"], !path.isEmpty else {
            throw PostgresTestDatabase.Unconfigured()
        }
        return ServerLog(path: path)
    }
}

extension PostgresTestDatabase {
    /// Runs a script as the superuser on this database (an operator replacing functions).
    func adminScript(_ script: String) throws {
        try PostgresConnection(url: adminURL).run(script: script)
    }
}
