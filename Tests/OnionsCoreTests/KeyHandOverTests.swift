import OnionsCore
import OnionsCrypto
import XCTest

/// An open vault's password keys, handed to another process of the same user (the agent to the
/// interface), open that vault and no other.
final class KeyHandOverTests: VaultTestCase {
    func testHandedOverKeysOpenTheVaultWithItsTexts() throws {
        let agent = try signUp()
        try saveOnion(agent, title: "Groceries", info: "milk")
        let keys = try agent.handOverKeys()
        XCTAssertEqual(keys.count, Session.handOverKeyCount)
        let opened = try Session.logIn(store: store, username: "alice", handedOverKeys: keys,
                                       stateDirectory: stateDirectory)
        XCTAssertEqual(opened.onions.count, 1)
        XCTAssertEqual(keys.count, Session.handOverKeyCount, "the caller's copy is left for it to wipe")
        // The opened session holds its own keys: wiping the handed copy changes nothing.
        keys.wipe()
        try saveOnion(opened, title: "Bank", info: "1234")
        XCTAssertEqual(try logIn().onions.count, 2)
    }

    func testKeysOfAnotherVaultAreRefusedLikeAWrongPassword() throws {
        _ = try signUp("alice")
        let bob = try signUp("bob", password: "other horse")
        let keys = try bob.handOverKeys()
        defer { keys.wipe() }
        XCTAssertThrowsError(try Session.logIn(store: store, username: "alice", handedOverKeys: keys,
                                               stateDirectory: stateDirectory)) {
            XCTAssertEqual($0 as? VaultError, .wrongPassword)
        }
    }

    func testKeysFromBeforeAPasswordChangeNoLongerOpenTheVault() throws {
        let agent = try signUp()
        let keys = try agent.handOverKeys()
        defer { keys.wipe() }
        try logIn().changePassword(to: secret("new horse"))
        XCTAssertThrowsError(try Session.logIn(store: store, username: "alice", handedOverKeys: keys,
                                               stateDirectory: stateDirectory))
    }

    func testKeysOfTheWrongSizeAreRefused() throws {
        let agent = try signUp()
        let keys = try agent.handOverKeys()
        defer { keys.wipe() }
        let short = keys.copy(prefix: Session.handOverKeyCount - 1)
        defer { short.wipe() }
        XCTAssertThrowsError(try Session.logIn(store: store, username: "alice", handedOverKeys: short,
                                               stateDirectory: stateDirectory)) {
            XCTAssertEqual($0 as? VaultError, .wrongPassword)
        }
    }

    func testALockedSessionHandsOverNothing() throws {
        let agent = try signUp()
        agent.lock()
        XCTAssertThrowsError(try agent.handOverKeys()) { XCTAssertEqual($0 as? VaultError, .locked) }
    }
}
