import OnionsCore
import OnionsCrypto
import XCTest

/// Cards show their recipient; their description opens only with the card's own password.
final class CardTests: VaultTestCase {
    func testTheRightCardPasswordOpensTheDescriptionAfterLogIn() throws {
        let session = try signUp()
        let id = try saveCard(session, to: "Alice", description: "a scarf \u{1F9E3}", password: "snow")
        let reopened = try logIn()
        XCTAssertEqual(recipients(reopened), ["Alice"])
        XCTAssertEqual(reopened.cards.first?.id, id)
        XCTAssertEqual(text(try reopened.openCard(id, password: secret("snow"))), "a scarf \u{1F9E3}")
    }

    func testAWrongCardPasswordIsRefusedAndRevealsNothing() throws {
        let session = try signUp()
        let id = try saveCard(session, to: "Alice", description: "a scarf", password: "snow")
        var opened: SecretBytes?
        XCTAssertThrowsError(opened = try session.openCard(id, password: secret("Snow"))) { error in
            XCTAssertEqual(error as? VaultError, .cardWrongPassword)
            XCTAssertFalse("\(error)".contains("scarf"))
        }
        XCTAssertNil(opened)
        XCTAssertTrue(session.issues.isEmpty, "a wrong card password is not tampering")
    }

    func testTheVaultPasswordDoesNotOpenACard() throws {
        let session = try signUp(password: "correct horse")
        let id = try saveCard(session, to: "Alice", description: "a scarf", password: "snow")
        assertThrows(.cardWrongPassword) { try session.openCard(id, password: secret("correct horse")) }
        XCTAssertTrue(try session.isVaultPassword(secret("correct horse")))
        XCTAssertFalse(try session.isVaultPassword(secret("snow")))
    }

    func testACardPasswordTypedDecomposedOpensACardSealedComposed() throws {
        let session = try signUp()
        let id = try saveCard(session, to: "Z\u{F6}e", description: "gift", password: "No\u{EB}l")
        XCTAssertEqual(text(try session.openCard(id, password: secret("Noe\u{0308}l"))), "gift")
    }

    func testEditingACardKeepsItsIdAndTakesTheNewPassword() throws {
        let session = try signUp()
        let id = try saveCard(session, to: "Alice", description: "a scarf", password: "snow")
        try saveCard(session, id: id, to: "Alicia", description: "a hat", password: "ice")
        let reopened = try logIn()
        XCTAssertEqual(reopened.cards.map(\.id), [id])
        XCTAssertEqual(recipients(reopened), ["Alicia"])
        assertThrows(.cardWrongPassword) { try reopened.openCard(id, password: secret("snow")) }
        XCTAssertEqual(text(try reopened.openCard(id, password: secret("ice"))), "a hat")
    }

    func testEachCardHasItsOwnPassword() throws {
        let session = try signUp()
        let a = try saveCard(session, to: "Alice", description: "for Alice", password: "one")
        let b = try saveCard(session, to: "Bob", description: "for Bob", password: "two")
        assertThrows(.cardWrongPassword) { try session.openCard(a, password: secret("two")) }
        assertThrows(.cardWrongPassword) { try session.openCard(b, password: secret("one")) }
        XCTAssertEqual(text(try session.openCard(b, password: secret("two"))), "for Bob")
        XCTAssertEqual(recipients(session), ["Bob", "Alice"], "most recently created first")
    }

    func testAnEmptyCardPasswordIsRefused() throws {
        let session = try signUp()
        let before = store.contents
        assertThrows(.emptyPassword) { try saveCard(session, to: "Alice", description: "x", password: "") }
        XCTAssertEqual(store.contents, before)
    }

    func testACardPasswordThatIsNotUTF8IsRefusedWhenSavingAndOpening() throws {
        let session = try signUp()
        let invalid = Array("snow".utf8) + [0xFF, 0xFE]
        assertThrows(.passwordNotUTF8) {
            try session.saveCard(id: nil, recipient: secret("Alice"), description: secret("x"),
                                 cardPassword: secret(bytes: invalid), kdf: cheap)
        }
        XCTAssertTrue(session.cards.isEmpty)
        let id = try saveCard(session, to: "Bob", description: "a hat", password: "snow\u{FFFD}")
        assertThrows(.passwordNotUTF8) { try session.openCard(id, password: secret(bytes: invalid)) }
    }

    func testADeletedCardIsGoneAfterLogIn() throws {
        let session = try signUp()
        let gone = try saveCard(session, to: "Alice", description: "x", password: "one")
        try saveCard(session, to: "Bob", description: "y", password: "two")
        try session.deleteCard(gone)
        let reopened = try logIn()
        XCTAssertEqual(recipients(reopened), ["Bob"])
        assertThrows(.noSuchItem("card with that id")) { try reopened.openCard(gone, password: secret("one")) }
        XCTAssertTrue(reopened.issues.isEmpty, "\(reopened.issues)")
    }
}
