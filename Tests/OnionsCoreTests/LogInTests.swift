import Foundation
@testable import OnionsCore
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

    /// A sign-up whose first manifest cannot be written leaves no vault at all (header and manifest
    /// are one transaction), so signing up again works; a header without a manifest is never
    /// taken for a new vault (FirstLogInTests).
    func testASignUpCutOffBeforeItsFirstManifestLeavesNoVault() throws {
        final class RefusingStore: Store {
            let inner = MemoryStore()
            var refuse = true
            func createVault(_ vault: VaultID, header: VaultHeaderBlob, authKey: SecretBytes,
                             records: [RecordWrite]) throws {
                let before = inner.contents
                try inner.createVault(vault, header: header)
                if refuse { inner.contents = before; throw StoreError.unavailable("the disk is full") }
                try inner.authorize(vault: vault, authKey: authKey)
                try inner.apply(vault: vault, writes: records)
            }
            func prelogin(vault: VaultID) throws -> [UInt8]? { try inner.prelogin(vault: vault) }
            func authorize(vault: VaultID, authKey: SecretBytes) throws { try inner.authorize(vault: vault, authKey: authKey) }
            func header(vault: VaultID) throws -> VaultHeaderBlob? { try inner.header(vault: vault) }
            func createVault(_ vault: VaultID, header: VaultHeaderBlob) throws { try inner.createVault(vault, header: header) }
            func replaceHeader(_ vault: VaultID, expected: VaultHeaderBlob, with new: VaultHeaderBlob) throws {
                try inner.replaceHeader(vault, expected: expected, with: new)
            }
            func deleteVault(_ vault: VaultID) throws { try inner.deleteVault(vault) }
            func record(vault: VaultID, name: RecordName) throws -> StoredRecord? { try inner.record(vault: vault, name: name) }
            func records(vault: VaultID) throws -> [StoredRecord] { try inner.records(vault: vault) }
            func apply(vault: VaultID, writes: [RecordWrite]) throws -> Int64 { try inner.apply(vault: vault, writes: writes) }
            func changes(vault: VaultID, since: Int64) throws -> [StoredRecord] { try inner.changes(vault: vault, since: since) }
        }
        let store = RefusingStore()
        XCTAssertThrowsError(try signUp(in: store))
        XCTAssertNil(try store.prelogin(vault: VaultID(CredentialStretching.stretch("alice"))), "no vault left behind")
        store.refuse = false
        let session = try signUp(in: store)
        try saveOnion(session, title: "first")
        session.lock()
        let again = try logIn(in: store)
        XCTAssertEqual(again.issues, [])
        XCTAssertEqual(titles(again), ["first"])
    }

    /// Once this machine has seen the vault's manifest, a missing one is reported.
    func testAManifestThatVanishesAfterThisMachineSawItIsReported() throws {
        let session = try signUp()
        let vault = session.vault
        let root = session.keys.name(.manifest)
        session.lock()
        let manifest = try XCTUnwrap(store.records(vault: vault).first { $0.name == root })
        XCTAssertEqual(try store.records(vault: vault).count, 2 + SaveShape.smallPuts + SaveShape.largePuts + 1,
                       "a new vault holds its manifest (the root and part 0), the fillers and the task counter")
        store.erase(vault: vault, name: manifest.name)
        let again = try logIn()
        XCTAssertTrue(again.issues.map(\.kind).contains(.manifest), "\(again.issues)")
    }
}
