// A server restored to before a password change: its copy has the older header and its role is
// named from the older key, so the machine that changed the password is refused. On request it
// re-registers the vault there with the older password, sending no key, and the sync joins the
// restored history. Needs ONIONS_TEST_PG_URL and ONIONS_TEST_PG_LOG.

import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

final class ReregisterTests: SyncTestCase {
    func testAServerRestoredToBeforeAPasswordChangeIsReregisteredFromTheMachineThatHoldsTheVault() throws {
        let log = try XCTUnwrap(ProcessInfo.processInfo.environment["ONIONS_TEST_PG_LOG"], "run through `make test`")
        let a = try machine("a"), b = try machine("b")
        let onA = try a.signUp("alice", "older password")
        try save(onA, "before", "1")
        let onB = try b.logIn("alice", "older password")
        XCTAssertEqual(titles(onB), ["before"])
        // The operator's dump of an hour ago: the vault's row, records and commits.
        try operatorKeep("dump")
        _ = try database.adminQuery("DROP TABLE IF EXISTS public.dump_vaults")
        _ = try database.adminQuery("CREATE TABLE public.dump_vaults AS SELECT * FROM onions.vaults")
        try save(onA, "between", "2")
        try onA.changePassword(to: secret("newer password"), kdf: ScryptParameters(logN: 10, r: 8, p: 1))
        try save(onA, "after", "3")
        let newerRole = try XCTUnwrap(try database.adminQuery("SELECT role FROM onions.vaults").text(0, 0))
        let olderRole = try XCTUnwrap(try database.adminQuery("SELECT role FROM public.dump_vaults").text(0, 0))
        XCTAssertNotEqual(newerRole, olderRole, "the role is named from the key")

        // The restore: the dump's rows, its role as it was, and no role of the newer password.
        try operatorServe("dump", commits: true)
        _ = try database.adminQuery("""
            UPDATE onions.vaults v SET parameters = d.parameters, wrapped_key = d.wrapped_key, role = d.role
              FROM public.dump_vaults d WHERE v.vault = d.vault
            """)
        _ = try database.adminQuery("DELETE FROM onions.retired_roles WHERE role = $1", [.text(olderRole)])
        _ = try database.adminQuery("ALTER ROLE \"\(olderRole)\" LOGIN")
        _ = try database.adminQuery("GRANT onions_client TO \"\(olderRole)\"")
        _ = try database.adminQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1",
                                    [.text(newerRole)])
        _ = try database.adminQuery("DROP ROLE \"\(newerRole)\"")

        // A sign-up tried with the newer key meanwhile (as a sync refused at log in tries one)
        // is answered as for a taken vault: it leaves a retired decoy role of that name.
        let signup = try PostgresStore(url: try database.clientURL())
        XCTAssertThrowsError(try signup.createVault(onA.vault, header: onA.header, authKey: onA.passwordKeys.authKey,
                                                    records: [])) { XCTAssertEqual($0 as? StoreError, .vaultExists) }
        XCTAssertEqual(try database.adminQuery("SELECT count(*) FROM pg_roles WHERE rolname = $1",
                                               [.text(newerRole)]).integer(0, 0), 1, "the decoy")
        // The newer role is gone: the server turns this machine away (a failed log in).
        let refused = try onA.syncNow()
        XCTAssertTrue((refused.refused ?? refused.offline ?? "").contains("password authentication failed")
                      || refused.refused?.contains("refused this vault's key") == true, "\(refused.lines)")
        XCTAssertThrowsError(try onA.reregisterOnServer(serverPassword: secret("not the older password"))) {
            XCTAssertEqual($0 as? VaultError, .wrongPassword)
        }
        let logStart = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: log)[.size] as? NSNumber).uint64Value
        guard case .moved(let report) = try onA.reregisterOnServer(serverPassword: secret("older password")) else {
            return XCTFail("the server's copy was not moved")
        }
        // The restored history lacks saves the server had accepted: named, then joined.
        let said = report.issues.map(\.description).joined(separator: "\n")
        XCTAssertTrue(said.contains("the server no longer has"), said)
        XCTAssertNil(report.refused)
        XCTAssertEqual(try database.adminQuery("SELECT parameters FROM onions.vaults").bytes(0, 0), onA.header.parameters)
        XCTAssertEqual(try onA.reregisterOnServer(serverPassword: secret("older password")), .alreadyCurrent)

        // No key and no password reached the server (its log shows every call's parameters).
        let logFile = try FileHandle(forReadingFrom: URL(fileURLWithPath: log))
        try logFile.seek(toOffset: logStart)
        let logged = try logFile.readToEnd() ?? Data()
        XCTAssertNotNil(logged.range(of: Data("replace_header".utf8)), "the control: the log shows the calls")
        let authKey = onA.passwordKeys.authKey.withUnsafeBytes { Hex.encode(Array($0)) }
        for secretText in ["older password", "newer password", authKey] {
            XCTAssertNil(logged.range(of: Data(secretText.utf8)), "the server's log holds a secret")
        }

        // Everything on every machine, under the newer password, with no more warnings.
        XCTAssertEqual(try onA.syncNow().issues, [])
        let onC = try machine("c").logIn("alice", "newer password")
        XCTAssertEqual(titles(onC), ["after", "before", "between"])
        XCTAssertEqual(onC.issues, [])
        // B's copy still opens with the older password here, but the server no longer takes it.
        let older = try b.logIn("alice", "older password")
        XCTAssertNotNil(older.lastSyncReport?.refused ?? older.lastSyncReport?.offline, "the older password syncs no more")
        older.lock()
        let again = try b.logIn("alice", "newer password")
        XCTAssertEqual(titles(again), ["after", "before", "between"])
        XCTAssertEqual(again.issues, [])
    }
}
