import OnionsCore
import OnionsCrypto
import XCTest

/// A store that names cheaper scrypt parameters than this machine has seen the vault open with
/// gets nothing derived from them: the log in is refused before the KDF runs.
final class KDFPinTests: VaultTestCase {
    private func signUp(logN: UInt8) throws -> Session {
        try Session.signUp(store: store, username: "alice", password: secret("correct horse"),
                           kdf: ScryptParameters(logN: logN, r: 8, p: 1), stateDirectory: stateDirectory)
    }

    private func weakerMessage(_ found: UInt8, _ pinned: UInt8) -> VaultError {
        .headerUnreadable("its scrypt parameters (2^\(found), r = 8, p = 1) are weaker than the 2^\(pinned), r = 8, "
                          + "p = 1 this machine saw the vault open with; nothing was derived from them")
    }

    func testAHeaderLoweredBelowWhatThisMachineSawIsRefusedBeforeDeriving() throws {
        let vault = try signUp(logN: 12).vault
        store.contents.headers[vault]?.parameters[2] = 11
        assertThrows(weakerMessage(11, 12)) { try logIn() }
    }

    func testAMachineThatNeverOpenedTheVaultHasNoPin() throws {
        let vault = try signUp(logN: 12).vault
        store.contents.headers[vault]?.parameters[2] = 11
        assertThrows(.wrongPassword) { try logIn(stateDirectory: stateDirectory + "-elsewhere") }
    }

    func testAPasswordChangeOnThisMachineMayLowerTheCost() throws {
        let session = try signUp(logN: 12)
        try session.changePassword(to: secret("battery staple"), kdf: cheap)
        XCTAssertNoThrow(try logIn(password: "battery staple"))
    }

    /// Another machine raised the cost; this one sees it at its next log in and keeps it.
    func testALogInWithStrongerParametersRaisesThePin() throws {
        let vault = try signUp(logN: 10).vault
        let oldHeader = try XCTUnwrap(store.contents.headers[vault])
        let elsewhere = try logIn(stateDirectory: stateDirectory + "-elsewhere")
        try elsewhere.changePassword(to: secret("correct horse"), kdf: ScryptParameters(logN: 12, r: 8, p: 1))
        XCTAssertNoThrow(try logIn())
        store.contents.headers[vault] = oldHeader
        assertThrows(weakerMessage(10, 12)) { try logIn() }
    }
}
