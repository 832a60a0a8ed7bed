import OnionsCore
import OnionsCrypto
import XCTest

/// No vault key is derived from scrypt parameters below the floor, N = 2^15 and r = 8
/// (DESIGN.md section 3): not at sign up, not at a password change, and not when a store names
/// weaker parameters to a machine that never saw the vault (so it has no pin to hold them to).
/// Each test first puts the real floor back, which `VaultTestCase` lowers for other tests.
final class KDFFloorTests: VaultTestCase {
    private let floor = ScryptParameters(logN: 15, r: 8, p: 1)

    override func setUpWithError() throws {
        try super.setUpWithError()
        TestingKDFFloor.reset()
    }

    func testTheFloorIsTwoToTheFifteenWithBlockSizeEight() {
        XCTAssertEqual(Limits.vaultKDFFloor, floor)
        XCTAssertNil(Limits.kdfProblem(floor))
        XCTAssertEqual(Limits.kdfProblem(ScryptParameters(logN: 14, r: 8, p: 1)),
                       "its scrypt cost 2^14 is below the floor of 2^15")
        XCTAssertEqual(Limits.kdfProblem(ScryptParameters(logN: 17, r: 1, p: 1)),
                       "its scrypt block size r = 1 is below the floor of r = 8")
        XCTAssertEqual(Limits.kdfProblem(ScryptParameters(logN: 10, r: 1, p: 1)),
                       "its scrypt cost 2^10 is below the floor of 2^15")
        XCTAssertEqual(VaultParameters.minimumLogN, 15, "--kdf-cost and kdf_cost accept nothing cheaper")
    }

    func testSignUpBelowTheFloorIsRefusedAndNothingIsStored() {
        for weak in [ScryptParameters(logN: 14, r: 8, p: 1), ScryptParameters(logN: 16, r: 4, p: 1)] {
            assertThrows(.kdfRefused(Limits.kdfProblem(weak) ?? "")) {
                try Session.signUp(store: store, username: "alice", password: secret("correct horse"), kdf: weak,
                                   stateDirectory: stateDirectory)
            }
        }
        XCTAssertTrue(store.contents.headers.isEmpty)
        XCTAssertEqual(store.authorizations, 0)
    }

    func testAPasswordChangeBelowTheFloorIsRefusedAndTheHeaderIsKept() throws {
        let session = try Session.signUp(store: store, username: "alice", password: secret("correct horse"),
                                         kdf: floor, stateDirectory: stateDirectory)
        let header = store.contents.headers[session.vault]
        assertThrows(.kdfRefused("its scrypt cost 2^12 is below the floor of 2^15")) {
            try session.changePassword(to: secret("battery staple"), kdf: ScryptParameters(logN: 12, r: 8, p: 1))
        }
        XCTAssertEqual(store.contents.headers[session.vault], header)
    }

    /// A store rewrites the header to N = 2^10, r = 1 (a thousand times cheaper to guess). A
    /// machine with no pin for the vault (a new one) refuses it before deriving: the store is
    /// never shown a key, and the error says why.
    func testAStoreNamingWeakParametersToANewMachineGetsNothingDerived() throws {
        let vault = try Session.signUp(store: store, username: "alice", password: secret("correct horse"),
                                       kdf: floor, stateDirectory: stateDirectory).vault
        let presentedBefore = store.authorizations
        var parameters = try XCTUnwrap(store.contents.headers[vault]?.parameters)
        parameters[2] = 10
        parameters[3...6] = [0, 0, 0, 1]
        store.contents.headers[vault]?.parameters = parameters
        for machine in [stateDirectory + "-new", stateDirectory!] {
            assertThrows(.headerUnreadable("its scrypt cost 2^10 is below the floor of 2^15")) {
                try logIn(stateDirectory: machine)
            }
        }
        XCTAssertEqual(store.authorizations, presentedBefore, "a key was presented for weak parameters")
    }
}
