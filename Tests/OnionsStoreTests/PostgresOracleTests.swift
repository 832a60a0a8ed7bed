// Whether a username has a vault on a server, for someone without its password: prelogin's
// answers for unknown ids look like real vaults' (whatever their cost), a sign-up costs the
// auth_delay before it looks, the sign-up login cannot take every connection, and no vault's
// role nor the sign-up login sees who is online. Needs ONIONS_TEST_PG_URL (auth_delay on).

import Foundation
import OnionsCore
import OnionsCrypto
@testable import OnionsStore
import XCTest

final class PostgresOracleTests: PostgresTestCase {
    /// The server's auth_delay.milliseconds, as scripts/pg-test-server.sh sets it.
    private let authDelay = 1.0

    private func signupConnection() throws -> PostgresConnection {
        try database.connect(role: PostgresStore.signupRole, password: PostgresStore.signupPassword)
    }

    /// Real vaults made with costs 2^15, 2^16 and the default: unknown ids get each of those
    /// costs too, each id always the same answer, in the same layout.
    func testPreloginAnswersUnknownIdsWithTheCostsRealVaultsHave() throws {
        let store = try database.clientStore()
        var real: [[UInt8]] = []
        for logN: UInt8 in [15, 16, 17] {
            let kdf = ScryptParameters(logN: logN, r: 8, p: 1)
            let parameters = VaultParameters(kdf: kdf, salt: randomBytes(16), vaultUUID: randomBytes(16)).encoded
            let vault = randomVault()
            try store.createVault(vault, header: VaultHeaderBlob(parameters: parameters, wrappedKey: randomBytes(60),
                                                                 verifier: []), authKey: randomKey(), records: [])
            XCTAssertEqual(try store.prelogin(vault: vault), parameters)
            real.append(parameters)
        }
        var costs: [UInt8: Int] = [:]
        for _ in 0..<200 {
            let id = randomVault()
            let answer = try XCTUnwrap(try store.prelogin(vault: id))
            XCTAssertEqual(try store.prelogin(vault: id), answer, "stable per id")
            XCTAssertEqual(answer.count, real[0].count)
            let parsed = try VaultParameters(decoding: answer)
            XCTAssertEqual(parsed.kdf.r, 8)
            XCTAssertEqual(parsed.kdf.p, 1)
            costs[parsed.kdf.logN, default: 0] += 1
        }
        for logN: UInt8 in [15, 16, 17] {
            XCTAssertGreaterThan(costs[logN] ?? 0, 0, "no unknown id answered with cost 2^\(logN): \(costs)")
        }
        XCTAssertGreaterThan(costs[17] ?? 0, 60, "the default is the most common answer: \(costs)")
    }

    /// Signs up `vault` on `signup` with a fresh key: the SQLSTATE it failed with (nil when it
    /// answered), how long it took, and the role it named.
    private func attempt(_ signup: PostgresConnection, _ vault: VaultID) throws -> (String?, Double, String) {
        let login = try PostgresVaultLogin(authKey: randomKey())
        defer { login.wipe() }
        let verifier = try login.verifier()
        let started = Date()
        do {
            _ = try signup.query("SELECT onions.signup($1, $2, $3, $4, $5)", [
                .text(vault.value), .text(login.role), .text(verifier), .bytes(randomBytes(43)), .bytes(randomBytes(60)),
            ])
            return (nil, Date().timeIntervalSince(started), login.role)
        } catch {
            return ((error as? PostgresFailure)?.sqlState ?? "\(error)", Date().timeIntervalSince(started), login.role)
        }
    }

    /// A sign-up for a taken id and for a free one both wait the auth_delay first and answer
    /// alike; a statement timeout shorter than it ends both before they looked (the free one
    /// creates nothing); the store still tells its caller that the id was taken.
    func testASignUpWaitsTheAuthDelayBeforeItLooksAndATimeoutLearnsNothing() throws {
        let store = try database.clientStore()
        let (taken, _) = try makeVault(store)
        let signup = try signupConnection()
        let (takenState, takenTime, _) = try attempt(signup, taken)
        let (freeState, freeTime, _) = try attempt(signup, randomVault())
        XCTAssertEqual(takenState, freeState, "a taken id and a free one answer alike")
        XCTAssertGreaterThanOrEqual(takenTime, authDelay, "a taken id was answered without the delay")
        XCTAssertGreaterThanOrEqual(freeTime, authDelay, "a free id was answered without the delay")

        try signup.run(script: "SET statement_timeout = '200ms'")
        let free = randomVault()
        XCTAssertEqual(try attempt(signup, free).0, "57014", "cancelled by the timeout")
        XCTAssertEqual(try attempt(signup, taken).0, "57014", "cancelled by the timeout, the same answer")
        XCTAssertEqual(try database.adminQuery("SELECT count(*) FROM onions.vaults WHERE vault = $1",
                                               [.text(free.value)]).integer(0, 0), 0)

        XCTAssertThrowsError(try store.createVault(taken, header: makeHeader(for: randomKey()), authKey: randomKey(),
                                                   records: [])) {
            XCTAssertEqual($0 as? StoreError, .vaultExists)
        }
    }

    /// In a transaction that is then rolled back, a sign-up for a taken id and one for a free
    /// id leave the same traces: no error, a role of the same kind, prelogin's made-up answer
    /// for both ids, and no second sign-up.
    func testASignUpTellsNothingInATransactionThatIsRolledBack() throws {
        let store = try database.clientStore()
        let (taken, _) = try makeVault(store)
        let real = try XCTUnwrap(store.prelogin(vault: taken))
        let signup = try signupConnection()
        var seen: [[String]] = []
        for vault in [taken, randomVault()] {
            let fake = try XCTUnwrap(signup.query("SELECT onions.prelogin($1)", [.text(vault.value)]).bytes(0, 0))
            try signup.run(script: "BEGIN")
            let (state, _, role) = try attempt(signup, vault)
            let roleRow = try signup.query("""
                SELECT r.rolcanlogin, r.rolconnlimit, r.rolvaliduntil IS NULL, array_agg(g.rolname ORDER BY g.rolname)
                FROM pg_roles r LEFT JOIN pg_auth_members m ON m.member = r.oid LEFT JOIN pg_roles g ON g.oid = m.roleid
                WHERE r.rolname = $1 GROUP BY 1, 2, 3
                """, [.text(role)])
            let answer = try XCTUnwrap(signup.query("SELECT onions.prelogin($1)", [.text(vault.value)]).bytes(0, 0))
            let again = try attempt(signup, randomVault()).0
            try signup.run(script: "ROLLBACK")
            if vault == taken {
                XCTAssertEqual(fake, real, "the control: outside the transaction prelogin gives the real parameters")
            }
            XCTAssertNotEqual(answer, real, "prelogin gave a vault's real parameters after a sign-up")
            seen.append([state ?? "answered", "\(roleRow.count)", "\(roleRow.bool(0, 0) ?? false)",
                         "\(roleRow.integer(0, 1) ?? 0)", "\(roleRow.bool(0, 2) ?? false)", roleRow.text(0, 3) ?? "",
                         "\(answer.count)", again ?? "answered"])
        }
        XCTAssertEqual(seen[0], seen[1], "a taken id and a free one left different traces")
        XCTAssertEqual(seen[0][0], "answered")
        XCTAssertEqual(seen[0][7], PostgresFailure.State.invalidArgument, "a second sign-up in one transaction")
    }

    /// Two sessions signing up one id at once: the second waits for the first's transaction
    /// whether the id is taken or free, so the wait tells nothing before both roll back.
    func testTwoSignUpsOfOneIdWaitAlikeWhetherItIsTakenOrFree() throws {
        let store = try database.clientStore()
        let (taken, _) = try makeVault(store)
        var outcomes: [String] = []
        for vault in [taken, randomVault()] {
            let first = try signupConnection()
            let second = try signupConnection()
            try first.run(script: "BEGIN")
            XCTAssertNil(try attempt(first, vault).0)
            // Long enough for the second's auth_delay and its look, not for the first to end.
            try second.run(script: "SET statement_timeout = '\(Int(authDelay * 1000) + 1500)ms'")
            let (state, _, _) = try attempt(second, vault)
            try first.run(script: "ROLLBACK")
            outcomes.append(state ?? "answered")
        }
        XCTAssertEqual(outcomes[0], outcomes[1], "a second sign-up of a taken id and of a free one differ")
        XCTAssertEqual(outcomes[0], "57014", "the second sign-up waits for the first, taken or free")
    }

    /// While a vault's role is connected, neither the sign-up login nor another vault's role
    /// can list the sessions or ask who runs one.
    func testNeitherTheSignupLoginNorAVaultsRoleSeesWhoIsOnline() throws {
        let owner = try database.clientStore()
        let (vault, _) = try makeVault(owner)
        XCTAssertNotNil(try owner.header(vault: vault), "the owner is online")
        let (_, otherKey) = try makeVault(try database.clientStore())
        for connection in [try signupConnection(), try database.connect(authKey: otherKey)] {
            for sql in ["SELECT usename FROM pg_stat_activity",
                        "SELECT pg_stat_get_backend_userid(s) FROM pg_stat_get_backend_idset() s",
                        "SELECT * FROM pg_stat_get_activity(NULL)"] {
                XCTAssertThrowsError(try connection.query(sql), sql) {
                    XCTAssertEqual(($0 as? PostgresFailure)?.sqlState, PostgresFailure.State.insufficientPrivilege, sql)
                }
            }
        }
    }

    /// The public sign-up login may hold at most half of the server's connections.
    func testTheSignupLoginLeavesRoomForLogIns() throws {
        let limit = try XCTUnwrap(database.adminQuery(
            "SELECT rolconnlimit FROM pg_roles WHERE rolname = 'onions_signup'").integer(0, 0))
        let maximum = try XCTUnwrap(Int64(XCTUnwrap(database.adminQuery("SHOW max_connections").text(0, 0))))
        XCTAssertGreaterThan(limit, 0, "no limit")
        XCTAssertLessThanOrEqual(limit, maximum / 2)
    }
}
