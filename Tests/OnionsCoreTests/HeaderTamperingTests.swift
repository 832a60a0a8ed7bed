import Foundation
import OnionsCore
import OnionsCrypto
import XCTest

/// A vault header altered by the store is refused at log in with a clear error, never a crash.
final class HeaderTamperingTests: VaultTestCase {
    private var vault: VaultID!

    override func setUpWithError() throws {
        try super.setUpWithError()
        let session = try signUp()
        try saveOnion(session, title: "Groceries")
        vault = session.vault
        session.lock()
    }

    private func alterHeader(_ change: (inout VaultHeaderBlob) -> Void) throws {
        var header = try XCTUnwrap(store.contents.headers[vault])
        change(&header)
        store.contents.headers[vault] = header
    }

    func testAFlippedByteInTheWrappedKeyIsReportedAsAnAlteredHeader() throws {
        let length = try XCTUnwrap(store.contents.headers[vault]).wrappedKey.count
        for index in [0, 11, 12, 30, length - 1] {
            let original = try XCTUnwrap(store.contents.headers[vault])
            try alterHeader { $0.wrappedKey[index] ^= 0x80 }
            assertThrows(.headerAltered) { try logIn() }
            store.contents.headers[vault] = original
        }
        XCTAssertEqual(titles(try logIn()), ["Groceries"])
    }

    func testAFlippedByteInTheSaltIsReportedAsAnAlteredHeader() throws {
        try alterHeader { $0.parameters[11] ^= 0x01 }
        assertThrows(.headerAltered) { try logIn() }
    }

    func testAChangedKDFCostIsReportedAsAnAlteredHeader() throws {
        try alterHeader { $0.parameters[2] = 11 }
        assertThrows(.headerAltered) { try logIn() }
    }

    func testAnAlteredSaltLooksLikeAWrongPasswordToAMachineThatNeverOpenedTheVault() throws {
        try alterHeader { $0.parameters[20] ^= 0x01 }
        assertThrows(.wrongPassword) { try logIn(stateDirectory: stateDirectory + "-elsewhere") }
    }

    func testAKeyWrappedForAnotherVaultDoesNotOpen() throws {
        let other = try signUp("bob", password: "correct horse")
        let bobVault = other.vault
        other.lock()
        // Bob's whole header (same password) copied over Alice's: the wrapped key names Bob's vault.
        store.contents.headers[vault] = store.contents.headers[bobVault]
        assertThrows(.headerAltered) { try logIn() }
    }

    func testUnreadableParametersAreRefusedByName() throws {
        let cases: [(String, (inout [UInt8]) -> Void)] = [
            ("unknown format version 9", { $0[0] = 9 }),
            ("unknown KDF 2", { $0[1] = 2 }),
            ("its scrypt cost 2^5 is below the floor of 2^10", { $0[2] = 5 }),
            ("its scrypt parameters (2^40, r = 8) need more than the limit of 1024 MiB of memory", { $0[2] = 40 }),
            ("its scrypt block size r = 0 is outside 1 to 32", { $0[3...6] = [0, 0, 0, 0] }),
            ("its scrypt parallelism p = 4294967295 is outside 1 to 16", { $0[7...10] = [0xff, 0xff, 0xff, 0xff] }),
            ("unexpected length", { $0.removeLast() }),
            ("unexpected length", { $0.append(0) }),
            ("unexpected length", { $0 = [] }),
        ]
        for (why, change) in cases {
            let original = try XCTUnwrap(store.contents.headers[vault])
            try alterHeader { change(&$0.parameters) }
            assertThrows(.headerUnreadable(why)) { try logIn() }
            store.contents.headers[vault] = original
        }
    }

    /// logN 22, r 32, p 16 asks for 16 GiB: refused by the memory limit before anything is derived.
    func testAHeaderAskingForSixteenGibibytesIsRefusedByTheMemoryLimit() throws {
        try alterHeader { $0.parameters[2] = 22; $0.parameters[3...6] = [0, 0, 0, 32]; $0.parameters[7...10] = [0, 0, 0, 16] }
        assertThrows(.headerUnreadable("its scrypt parameters (2^22, r = 32) need more than the limit of 1024 MiB of memory")) {
            try logIn()
        }
    }

    /// logN 20, r 8 fits in 1 GiB, but p 16 would take 128 times the default's time.
    func testAHeaderAskingForTooMuchTimeIsRefusedByTheTimeLimit() throws {
        try alterHeader { $0.parameters[2] = 20; $0.parameters[7...10] = [0, 0, 0, 16] }
        assertThrows(.headerUnreadable("its scrypt parameters (2^20, r = 8, p = 16) would take longer than the "
                                       + "limit of N·r·p = 2^24 (16 times the default)")) { try logIn() }
    }

    func testAnEmptyWrappedKeyIsAnAlteredHeaderNotACrash() throws {
        try alterHeader { $0.wrappedKey = [] }
        assertThrows(.headerAltered) { try logIn() }
    }
}
