import Foundation
import OnionsCore
import OnionsCrypto
import XCTest

/// Signing up and logging in: each refusal has its own error, and passwords are compared
/// after Unicode NFC normalisation.
final class LogInTests: VaultTestCase {
    func testTheRightPasswordOpensTheVaultWithItsOnions() throws {
        let session = try signUp()
        try saveOnion(session, title: "Groceries", info: "milk")
        session.lock()
        let reopened = try logIn()
        XCTAssertEqual(titles(reopened), ["Groceries"])
        XCTAssertEqual(reopened.username, "alice")
        XCTAssertTrue(reopened.issues.isEmpty, "\(reopened.issues)")
    }

    func testAWrongPasswordIsRefusedAsWrongPassword() throws {
        _ = try signUp(password: "correct horse")
        assertThrows(.wrongPassword) { try logIn(password: "correct horsf") }
        assertThrows(.wrongPassword) { try logIn(password: "Correct horse") }
    }

    func testAWrongPasswordIsRefusedOnAMachineThatNeverOpenedTheVault() throws {
        _ = try signUp(password: "correct horse")
        assertThrows(.wrongPassword) {
            try logIn(password: "battery staple", stateDirectory: stateDirectory + "-elsewhere")
        }
    }

    func testAnEmptyPasswordIsRefusedBeforeAnyKeyIsDerived() throws {
        assertThrows(.emptyPassword) { try signUp(password: "") }
        XCTAssertEqual(store.contents, MemoryStore.Contents(), "sign up with no password stored something")
        _ = try signUp()
        assertThrows(.emptyPassword) { try logIn(password: "") }
    }

    func testPasswordsThatDifferOnlyInBytesThatAreNotUTF8AreRefused() throws {
        let first = Array("secret".utf8) + [0xE9, 0xE8], second = Array("secret".utf8) + [0xFF, 0xFE]
        for bytes in [first, second] {
            assertThrows(.passwordNotUTF8) {
                try Session.signUp(store: store, username: "alice", password: secret(bytes: bytes),
                                   kdf: cheap, stateDirectory: stateDirectory)
            }
        }
        XCTAssertEqual(store.contents, MemoryStore.Contents(), "a refused sign up stored something")
        let session = try signUp()
        for bytes in [first, second] {
            assertThrows(.passwordNotUTF8) {
                try Session.logIn(store: store, username: "alice", password: secret(bytes: bytes),
                                  stateDirectory: stateDirectory)
            }
            assertThrows(.passwordNotUTF8) { try session.changePassword(to: secret(bytes: bytes), kdf: cheap) }
        }
        XCTAssertEqual(titles(try logIn()), [], "the old password still opens the vault")
    }

    func testAnEmptyUsernameIsRefused() throws {
        assertThrows(.emptyUsername) { try signUp("") }
        assertThrows(.emptyUsername) { try logIn("") }
    }

    func testAnUnknownUserHasNoVault() throws {
        _ = try signUp("alice")
        assertThrows(.noSuchVault) { try logIn("bob") }
        assertThrows(.noSuchVault) { try logIn("Alice") }
    }

    func testSigningUpTwiceIsRefusedAndLeavesTheFirstVaultAsItWas() throws {
        let session = try signUp("alice", password: "first")
        try saveOnion(session, title: "mine")
        let before = store.contents
        assertThrows(.vaultExists) { try signUp("alice", password: "second") }
        XCTAssertEqual(store.contents, before)
        assertThrows(.wrongPassword) { try logIn("alice", password: "second") }
        XCTAssertEqual(titles(try logIn("alice", password: "first")), ["mine"])
    }

    func testTwoUsersOfOneStoreHaveSeparateVaults() throws {
        let alice = try signUp("alice", password: "same password")
        let bob = try signUp("bob", password: "same password")
        try saveOnion(alice, title: "alice's")
        try saveOnion(bob, title: "bob's")
        XCTAssertEqual(titles(try logIn("alice", password: "same password")), ["alice's"])
        XCTAssertEqual(titles(try logIn("bob", password: "same password")), ["bob's"])
    }

    func testTheVaultIdIsTheStretchedUsernameNotTheUsername() throws {
        let session = try signUp("alice")
        XCTAssertEqual(session.vault, VaultID(CredentialStretching.stretch("alice")))
        XCTAssertEqual(Array(store.contents.headers.keys), [session.vault])
        XCTAssertFalse(session.vault.value.contains("alice"))
    }

    func testAPasswordTypedDecomposedOpensAVaultMadeWithTheComposedForm() throws {
        let composed = "caf\u{E9} cr\u{E8}me"
        let decomposed = "cafe\u{0301} cre\u{0300}me"
        XCTAssertNotEqual(Array(composed.utf8), Array(decomposed.utf8))
        let session = try signUp(password: composed)
        try saveOnion(session, title: "accents")
        XCTAssertEqual(titles(try logIn(password: decomposed)), ["accents"])
    }

    func testAPasswordMadeDecomposedOpensWithTheComposedForm() throws {
        _ = try signUp(password: "e\u{0301}t\u{E9}")
        XCTAssertNoThrow(try logIn(password: "\u{E9}te\u{0301}"))
        assertThrows(.wrongPassword) { try logIn(password: "ete") }
    }

    func testTheVaultOpensOnAnotherMachineWithNoLocalState() throws {
        let session = try signUp()
        try saveOnion(session, title: "portable")
        let elsewhere = try logIn(stateDirectory: stateDirectory + "-elsewhere")
        defer { try? FileManager.default.removeItem(atPath: stateDirectory + "-elsewhere") }
        XCTAssertEqual(titles(elsewhere), ["portable"])
        XCTAssertTrue(elsewhere.issues.isEmpty, "\(elsewhere.issues)")
    }

    /// A sign-up killed between writing its header and its first manifest leaves an empty vault
    /// that opens cleanly, not a "tampered" one.
    func testASignUpCutOffBeforeItsFirstManifestOpensAsAnEmptyVault() throws {
        let finished = MemoryStore()
        let full = try signUp(in: finished)
        let vault = full.vault
        full.lock()
        let cutOff = MemoryStore()
        try cutOff.createVault(vault, header: try XCTUnwrap(try finished.header(vault: vault)))
        let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("onions-state-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: fresh) }

        let session = try logIn(in: cutOff, stateDirectory: fresh)
        XCTAssertEqual(session.issues, [])
        XCTAssertTrue(session.onions.isEmpty)
        try saveOnion(session, title: "first")
        session.lock()
        let again = try logIn(in: cutOff, stateDirectory: fresh)
        XCTAssertEqual(again.issues, [])
        XCTAssertEqual(titles(again), ["first"])
    }

    /// Once this machine has seen the vault's manifest, a missing one is reported.
    func testAManifestThatVanishesAfterThisMachineSawItIsReported() throws {
        let session = try signUp()
        let vault = session.vault
        session.lock()
        let manifest = try XCTUnwrap(store.records(vault: vault).first)
        XCTAssertEqual(try store.records(vault: vault).count, 1, "a new vault holds only its manifest")
        store.erase(vault: vault, name: manifest.name)
        let again = try logIn()
        XCTAssertTrue(again.issues.map(\.kind).contains(.manifest), "\(again.issues)")
    }
}
