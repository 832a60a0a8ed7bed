// A server that names weaker scrypt parameters than the floor gets nothing derived from them.
// Needs ONIONS_TEST_PG_URL and ONIONS_TEST_PG_LOG (see PostgresStoreTests.swift).

import Foundation
import OnionsCrypto
@testable import OnionsCore
@testable import OnionsStore
import XCTest

/// The server rewrites a vault's parameters to N = 2^10, r = 1 (about a thousand times cheaper to
/// guess than the floor). Neither the machine that synced the vault nor a new machine derives a
/// key from them: both refuse with the floor's sentence, and the server's log (every statement
/// and every connection attempt) holds neither the auth key those parameters give nor the login
/// role named after it. This test runs with the real floor (`TestingKDFFloor` reset).
final class ServerKDFFloorTests: SyncTestCase {
    private let floor = ScryptParameters(logN: 15, r: 8, p: 1)

    func testWeakParametersFromTheServerGetNothingDerivedOnASyncedMachineOrANewOne() throws {
        TestingKDFFloor.reset()
        guard let log = ProcessInfo.processInfo.environment["ONIONS_TEST_PG_LOG"], !log.isEmpty else {
            return XCTFail("ONIONS_TEST_PG_LOG is not set: run the tests through `make test`")
        }
        let synced = try machine("synced"), fresh = try machine("fresh")
        let session = try Session.signUp(store: synced.store, remote: synced.remote(), username: "alice",
                                         password: secret("correct horse"), kdf: floor,
                                         stateDirectory: synced.stateDirectory)
        _ = try save(session, "Groceries", "milk")
        try session.syncNow()
        session.lock()
        let logStart = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: log)[.size] as? NSNumber).uint64Value

        var weak = try XCTUnwrap(database.adminQuery("SELECT parameters FROM onions.vaults").bytes(0, 0))
        weak[2] = 10
        weak[3...6] = [0, 0, 0, 1]
        _ = try database.adminQuery("UPDATE onions.vaults SET parameters = $1", [.bytes(weak)])

        for machine in [synced, fresh] {
            XCTAssertThrowsError(try machine.logIn("alice", "correct horse")) { error in
                XCTAssertEqual("\(error)", "the vault header is unreadable: its scrypt cost 2^10 is below the floor of 2^15")
            }
        }

        // What a client that took the parameters would have derived, and the login it names.
        let password = secret("correct horse")
        let master = try Scrypt.derive(password: password, salt: Array(weak[11..<27]),
                                       parameters: ScryptParameters(logN: 10, r: 1, p: 1), count: 32)
        let authKey = try HKDF.sha256(key: master, salt: Array(weak[27..<43]), info: Array("onions/v1/auth".utf8), count: 32)
        let login = try PostgresVaultLogin(authKey: authKey)
        defer { password.wipe(); master.wipe(); authKey.wipe(); login.wipe() }
        let key = authKey.withUnsafeBytes { Array($0) }

        let logFile = try FileHandle(forReadingFrom: URL(fileURLWithPath: log))
        try logFile.seek(toOffset: logStart)
        let logged = try logFile.readToEnd() ?? Data()
        func inLog(_ text: String) -> Bool { logged.range(of: Data(text.utf8)) != nil }
        XCTAssertTrue(inLog(session.vault.value), "the control: the server logged the log ins' calls")
        let derived = [Hex.encode(key), Base64.encode(key), login.role]
        XCTAssertEqual(derived.filter(inLog), [], "a key derived from the weak parameters reached the server")
    }

    /// A refused log in (a wrong password, or a server that fails SCRAM on purpose) does not
    /// send the key it tried anywhere: the key goes to the server only to move a vault the server
    /// says is of schema version 1.
    func testAWrongPasswordSendsNoKey() throws {
        guard let log = ProcessInfo.processInfo.environment["ONIONS_TEST_PG_LOG"], !log.isEmpty else {
            return XCTFail("ONIONS_TEST_PG_LOG is not set: run the tests through `make test`")
        }
        let a = try machine("a"), b = try machine("b")
        let session = try a.signUp("alice", "correct horse")
        session.lock()
        let logStart = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: log)[.size] as? NSNumber).uint64Value
        XCTAssertThrowsError(try b.logIn("alice", "correct horsf"))
        let header = try XCTUnwrap(database.adminQuery("SELECT parameters FROM onions.vaults").bytes(0, 0))
        let keys = try PasswordKeys(typed: secret("correct horsf"), parameters: VaultParameters(decoding: header))
        defer { keys.wipe() }
        let key = keys.authKey.withUnsafeBytes { Array($0) }
        let logFile = try FileHandle(forReadingFrom: URL(fileURLWithPath: log))
        try logFile.seek(toOffset: logStart)
        let logged = try logFile.readToEnd() ?? Data()
        XCTAssertNotNil(logged.range(of: Data(session.vault.value.utf8)), "the control: the log in's calls were logged")
        for text in [Hex.encode(key), Base64.encode(key)] {
            XCTAssertNil(logged.range(of: Data(text.utf8)), "the tried key reached the server's log")
        }
    }
}
