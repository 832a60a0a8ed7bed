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

    /// A replaced pull() that answers 40 rows of 32 MiB (each within the per-record cap, 1.3 GB
    /// together) is refused within seconds, naming the server, and the client's memory grows
    /// by no more than the manifest budget and the rows libpq holds whole; the next call works.
    func testAPullOfFortyRowsOfThirtyTwoMebibytesIsRefusedWithinSecondsAndBoundedMemory() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        // Plain SQL without SECURITY DEFINER: PostgreSQL inlines it and sends each row as it is
        // made (a set-returning function otherwise makes all 1.3 GB first, at the server). A
        // short pause between rows keeps libpq from reading the next row ahead into its input
        // buffer, which would add up to one more row to what is measured, as chance has it
        // (docs/SECURITY.md): this test measures what the client keeps.
        try database.adminScript("""
            CREATE OR REPLACE FUNCTION onions.pull(p_since bigint)
            RETURNS TABLE (name bytea, version bigint, blob bytea, deleted boolean, seq bigint)
            LANGUAGE sql STABLE
            AS $$ SELECT int8send(i), 1::bigint, convert_to(repeat('x', 33554432), 'UTF8'), pg_sleep(0.1) IS NULL, i
                  FROM generate_series(1, 40) AS i $$;
            """)
        let before = try Memory.resetPeak()
        let started = Date()
        XCTAssertThrowsError(try store.changes(vault: vault, since: 0)) { error in
            guard case .damaged(let sentence)? = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertTrue(sentence.hasPrefix("the server 127.0.0.1:") || sentence.hasPrefix("the server localhost:"),
                          sentence)
            XCTAssertTrue(sentence.contains("more than a vault can hold"), sentence)
        }
        let seconds = Date().timeIntervalSince(started)
        let grown = try Memory.peak() - before
        XCTAssertLessThan(seconds, 10, "the refusal took \(seconds) s")
        // The ceiling: the round's budget for manifest-sized rows (64 MiB, which counts the copy
        // libpq holds while a row is copied), the one row libpq reads whole into its input
        // buffer, which it sizes to a power of two (64 MiB for a row of 32 MiB, touched as far
        // as chance and its reallocation have it: 95 to 127 MiB were measured in all), and 12
        // MiB for everything else. That answers share the round's budget is
        // `testManyAnswersEachUnderTheBudgetShareTheRoundsBudget`'s to show.
        let ceiling = (64 + 64 + 12) << 20
        XCTAssertLessThan(grown, ceiling, "the client's peak memory grew by \(grown >> 20) MiB")
        print("40 x 32 MiB pull: refused after \(String(format: "%.2f", seconds)) s, peak memory +\(grown >> 20) MiB")
        XCTAssertEqual(try store.records(vault: vault).count, 0, "the store goes on working")
    }

    /// A server that answers many calls, each under what one answer may hold (a replaced get()
    /// and get_many() giving 32 MiB for every name, get_many's rows paced as above), cannot grow
    /// the client past the round's budget: reading ten records by name is refused, naming the
    /// server, with the memory bounded as above; the next round reads again.
    func testManyAnswersEachUnderTheBudgetShareTheRoundsBudget() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        try database.adminScript("""
            CREATE OR REPLACE FUNCTION onions.get(p_name bytea)
            RETURNS TABLE (version bigint, blob bytea, deleted boolean, seq bigint)
            LANGUAGE sql STABLE
            AS $$ SELECT 1::bigint, convert_to(repeat('z', 33554432), 'UTF8'), false, 1::bigint $$;
            CREATE OR REPLACE FUNCTION onions.get_many(p_names bytea[])
            RETURNS TABLE (name bytea, version bigint, blob bytea, deleted boolean, seq bigint)
            LANGUAGE sql STABLE
            AS $$ SELECT n, 1::bigint, convert_to(repeat('z', 33554432), 'UTF8'), NOT (pg_sleep(0.1) IS NULL),
                         1::bigint FROM unnest(p_names) AS n $$;
            """)
        let names = (0..<10).map { RecordName([UInt8](repeating: UInt8($0), count: 32)) }
        store.beginRound()
        let before = try Memory.resetPeak()
        XCTAssertThrowsError(try store.records(vault: vault, names: names)) { error in
            guard case .damaged(let sentence)? = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertTrue(sentence.hasPrefix("the server 127.0.0.1:") || sentence.hasPrefix("the server localhost:"),
                          sentence)
            XCTAssertTrue(sentence.contains("in one sync"), sentence)
        }
        // The same ceiling as the 40 x 32 MiB pull's (libpq's input buffer for one 32 MiB row is
        // up to 64 MiB, the row's copy 64 more as chance has it, 12 for the rest): ten answers
        // read in full would be over 320 MiB.
        let grown = try Memory.peak() - before
        XCTAssertLessThan(grown, (64 + 64 + 12) << 20, "the client's peak memory grew by \(grown >> 20) MiB")
        store.beginRound()
        XCTAssertEqual(try store.records(vault: vault, names: [names[0]]).count, 1, "a new round reads again")
    }

    /// Many rows just under the per-record cap but over the large class are refused once their
    /// sum passes the budget, whichever function answers.
    func testEveryReadingCallRefusesAnAnswerOverTheBudget() throws {
        let store = try database.clientStore()
        let (vault, _) = try makeVault(store)
        try database.adminScript("""
            CREATE OR REPLACE FUNCTION onions.get_all()
            RETURNS TABLE (name bytea, version bigint, blob bytea, deleted boolean, seq bigint)
            LANGUAGE sql SECURITY DEFINER SET search_path = onions, pg_temp
            AS $$ SELECT int8send(i), 1::bigint, convert_to(repeat('y', 20000000), 'UTF8'), false, i
                  FROM generate_series(1, 5) AS i $$;
            """)
        XCTAssertThrowsError(try store.records(vault: vault)) {
            XCTAssertTrue("\($0)".contains("more than a vault can hold"), "\($0)")
        }
    }
}

/// This process's peak resident memory (VmHWM), which Linux lets a process reset.
enum Memory {
    /// Resets the peak to the current resident size and returns it, in bytes.
    static func resetPeak() throws -> Int {
        try "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        return try peak()
    }

    static func peak() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        let kilobytes = try XCTUnwrap(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        return kilobytes * 1024
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
