// A log in on a machine with its own copy of the vault, against a server whose parameters name
// another vault. Needs ONIONS_TEST_PG_URL (see PostgresStoreTests.swift).

import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

final class SyncLogInParametersTests: SyncTestCase {
    /// A server makes parameters up for a vault it lacks (another vault UUID, a cost of up to
    /// 1 GiB of scrypt memory). A machine with its own copy derives nothing from parameters that
    /// name another vault: here 2^17 at r = 8, 128 MiB that the log in never reserves. The log
    /// in opens the copy here and syncs as usual.
    func testALogInWithACopyHereDerivesNothingFromParametersNamingAnotherVault() throws {
        let a = try machine("a")
        let alice = try a.signUp("alice", "pw")
        try save(alice, "Kept", "on both")
        alice.lock()
        try database.adminScript("""
            CREATE OR REPLACE FUNCTION onions.prelogin(p_vault text) RETURNS bytea
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = onions, pg_temp
            AS $$ SELECT '\\x0101110000000800000001'::bytea || '\\x00112233445566778899aabbccddeeff'::bytea
                         || '\\xffeeddccbbaa99887766554433221100'::bytea $$;
            """)
        let before = try Memory.resetPeak()
        let again = try a.logIn("alice", "pw")
        defer { again.lock() }
        let grown = try Memory.peak() - before
        XCTAssertLessThan(grown, 64 << 20, "the log in's peak memory grew by \(grown >> 20) MiB")
        XCTAssertEqual(titles(again), ["Kept"])
        XCTAssertNil(again.lastSyncReport?.refused)
        XCTAssertNil(again.lastSyncReport?.offline)
        try save(again, "Added after", "sent")
        XCTAssertFalse(again.hasPendingPush, "the server took the new save")
    }
}
