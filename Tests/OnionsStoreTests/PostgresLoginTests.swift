// How a vault logs in to the server (SCRAM, one login role per vault): failed logins cost real
// time that no transaction undoes, no one else locks the owner out, `prelogin` tells no one which
// vaults exist, and a server upgraded from schema version 1 asks no key of its old vaults.
// Needs ONIONS_TEST_PG_URL
// and a server with auth_delay (scripts/pg-test-server.sh sets both up).

import Foundation
import OnionsCore
import OnionsCrypto
@testable import OnionsStore
import XCTest

final class PostgresLoginTests: PostgresTestCase {
    /// The server's auth_delay.milliseconds, as scripts/pg-test-server.sh sets it.
    private let authDelay = 1.0

    func testTwentyParallelWrongPasswordsEachWaitTheAuthDelayWhileTheOwnerLogsIn() throws {
        let store = try database.clientStore()
        let (vault, key) = try makeVault(store)
        let login = try PostgresVaultLogin(authKey: key)
        defer { login.wipe() }
        let url = try database.clientURL(), role = login.role
        let attempts = Attempts()
        let started = now()
        let threads = (0..<20).map { _ in
            Thread {
                let begin = now()
                let password = SecretBytes(copying: Array(PostgresTestDatabase.randomHex(32).utf8) + [0])
                let refused = (try? PostgresConnection(url: url, user: role, password: password)) == nil
                attempts.add(refused: refused, begin: begin, end: now())
            }
        }
        threads.forEach { $0.start() }
        let owner = try database.clientStore()
        try owner.authorize(vault: vault, authKey: key)
        let ownerDone = now()
        XCTAssertNotNil(try owner.header(vault: vault), "the owner is in")
        XCTAssertTrue(attempts.wait(count: 20, seconds: 30), "the attempts did not end")
        let wall = now() - started

        let results = attempts.results
        XCTAssertEqual(results.filter(\.refused).count, 20, "every wrong password is refused")
        for result in results {
            XCTAssertGreaterThanOrEqual(result.end - result.begin, authDelay, "a refusal came without the delay")
        }
        let total = results.reduce(0) { $0 + $1.end - $1.begin }
        XCTAssertGreaterThanOrEqual(total, 20 * authDelay)
        XCTAssertLessThan(ownerDone, results.map(\.end).min() ?? 0, "the owner logged in while they waited")
        print("20 parallel wrong passwords: \(String(format: "%.2f", total)) s summed, "
              + "\(String(format: "%.2f", wall)) s wall; the owner was in after "
              + "\(String(format: "%.2f", ownerDone - started)) s")
    }

    func testPreloginOfAnUnknownIdIsStableAndShapedLikeARealVaults() throws {
        let store = try database.clientStore()
        let key = randomKey()
        let real = VaultParameters(kdf: .default, salt: randomBytes(16), vaultUUID: randomBytes(16)).encoded
        try store.createVault(randomVault(), header: VaultHeaderBlob(parameters: real, wrappedKey: randomBytes(60),
                                                                     verifier: []), authKey: key, records: [])
        let unknown = randomVault()
        let answer = try XCTUnwrap(try store.prelogin(vault: unknown))
        XCTAssertEqual(try database.clientStore().prelogin(vault: unknown), answer, "the same every time")
        XCTAssertEqual(answer.count, real.count)
        let parsed = try VaultParameters(decoding: answer)
        XCTAssertEqual(parsed.kdf.r, try VaultParameters(decoding: real).kdf.r)
        XCTAssertEqual(Array(answer.prefix(2)), Array(real.prefix(2)))
        XCTAssertEqual(Array(answer[3..<11]), Array(real[3..<11]))
        XCTAssertNotEqual(try store.prelogin(vault: randomVault()), answer, "each id its own salt")
    }

    func testUpgradingAVersionOneServerKeepsItsVaultsAndNoCallCarriesTheirKey() throws {
        let old = try PostgresTestDatabase(schema: PostgresSchemaVersion1.sql)
        defer { old.drop() }
        let vault = randomVault(), key = randomKey(), name = randomName()
        let header = makeHeader(for: key)
        _ = try old.adminQuery("SELECT onions.signup($1, $2, $3, $4)",
                               [.text(vault.value), .bytes(header.parameters), .bytes(header.wrappedKey),
                                .bytes(header.verifier)])
        _ = try old.adminQuery("SELECT * FROM onions.apply($1, $2, $3, $4, $5, $6)",
                               [.text(vault.value), .secret(key), .byteaArray([name.bytes]), .byteaArray([[7, 7]]),
                                .int64Array([0]), .boolArray([false])])
        try PostgresStore.installSchema(adminURL: old.adminURL)
        try PostgresStore.installSchema(adminURL: old.adminURL)

        // The vault and its record stay; it has no login, and nothing moves it on a key.
        let store = try PostgresStore(url: old.clientURL())
        XCTAssertThrowsError(try store.authorize(vault: vault, authKey: key)) {
            XCTAssertEqual($0 as? StoreError, .unauthorized)
        }
        XCTAssertEqual(try old.adminQuery("SELECT count(*) FROM onions.records WHERE vault = $1",
                                          [.text(vault.value)]).integer(0, 0), 1)
        XCTAssertEqual(try old.adminQuery("SELECT role IS NULL FROM onions.vaults WHERE vault = $1",
                                          [.text(vault.value)]).bool(0, 0), true)
        for signature in ["authorize(text,bytea)", "get_header(text,bytea)", "get_all(text,bytea)",
                          "apply(text,bytea,bytea[],bytea[],bigint[],boolean[])", "delete_vault(text,bytea)",
                          "migrate(text,bytea,text,text)"] {
            XCTAssertEqual(try old.adminQuery("SELECT to_regprocedure($1) IS NULL", [.text("onions." + signature)])
                .bool(0, 0), true, signature)
        }
        // For clients of earlier installs: no vault awaits a move, so none sends its key.
        let signup = try old.connect(role: PostgresStore.signupRole, password: PostgresStore.signupPassword)
        XCTAssertEqual(try signup.query("SELECT onions.awaits_migration($1)", [.text(vault.value)]).bool(0, 0), false)
        // New vaults work on the upgraded server.
        let (fresh, freshKey) = try makeVault(store)
        XCTAssertNoThrow(try PostgresStore(url: old.clientURL()).authorize(vault: fresh, authKey: freshKey))
    }
}

private func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// The outcomes of login attempts made on other threads.
private final class Attempts: @unchecked Sendable {
    struct Result { let refused: Bool; let begin: Double; let end: Double }
    private let condition = NSCondition()
    private var done: [Result] = []

    func add(refused: Bool, begin: Double, end: Double) {
        condition.lock()
        done.append(Result(refused: refused, begin: begin, end: end))
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until `count` attempts ended; false after `seconds`.
    func wait(count: Int, seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while done.count < count {
            if !condition.wait(until: deadline) { return done.count >= count }
        }
        return true
    }

    var results: [Result] {
        condition.lock()
        defer { condition.unlock() }
        return done
    }
}
