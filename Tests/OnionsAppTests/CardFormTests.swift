import OnionsApp
import OnionsCore
import OnionsCrypto
import TerminalUI
import XCTest

/// The card form: To, Description, Password, Repeat; the two passwords must match and should
/// not be the vault's own; a saved card opens with its password only.
final class CardFormTests: AppTestCase {
    func driverOnEmptyCards() -> AppDriver {
        let driver = signedUpDriver()
        driver.showCards()
        return driver
    }

    func formFocus(_ driver: AppDriver) -> CardForm.Focus? { driver.cards?.form?.focus }

    func testTabGoesToDescriptionPasswordAndRepeatInThatOrder() {
        let driver = driverOnEmptyCards()
        driver.press(.character("n"))
        XCTAssertEqual(formFocus(driver), .recipient, "the form starts on To")
        var order: [CardForm.Focus?] = []
        for _ in 0..<4 {
            driver.press(.tab)
            order.append(formFocus(driver))
        }
        XCTAssertEqual(order, [.description, .password, .repeatPassword, .recipient])
        driver.press(.backTab)
        XCTAssertEqual(formFocus(driver), .repeatPassword, "Shift-Tab goes back")
    }

    func testTheFormShowsToDescriptionPasswordRepeatFromTopToBottom() throws {
        let driver = driverOnEmptyCards()
        driver.press(.character("n"))
        let rows = driver.screen()
        func row(_ label: String) throws -> Int {
            try XCTUnwrap(rows.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }
                            ?? rows.firstIndex { $0.contains(label) }, "\(label) on screen:\n\(driver.screenText)")
        }
        let to = try row("To"), description = try row("Description"), password = try row("Password"),
            again = try row("Repeat")
        XCTAssertLessThan(to, description)
        XCTAssertLessThan(description, password)
        XCTAssertLessThan(password, again)
    }

    func testEnterOnToMovesOnAndEnterInTheDescriptionIsANewLine() throws {
        let driver = driverOnEmptyCards()
        driver.press(.character("n"))
        driver.type("Carol")
        driver.press(.enter)
        XCTAssertEqual(formFocus(driver), .description)
        driver.typeInfo("one\ntwo")
        XCTAssertEqual(formFocus(driver), .description)
        XCTAssertEqual(driver.cards?.form.map { String($0.description.characters) }, "one\ntwo")
        XCTAssertEqual(driver.cards?.form.map { String($0.recipient.characters) }, "Carol")
    }

    func testViewKeysTypedIntoTheFormAreText() {
        let driver = driverOnEmptyCards()
        driver.press(.character("n"))
        driver.type("q1 2 3?/")
        XCTAssertNotNil(driver.cards?.form, "still in the form")
        XCTAssertEqual(driver.cards?.form.map { String($0.recipient.characters) }, "q1 2 3?/")
        XCTAssertEqual(driver.quitCount, 0)
    }

    func testTheFormSavesACardThatOpensWithItsPasswordOnly() throws {
        let driver = driverOnEmptyCards()
        driver.createCardWithForm(to: "Carol", description: "The plums were delicious.\nThanks!",
                                  password: "plum-jam-7", repeat: "plum-jam-7")
        XCTAssertNil(driver.cards?.form, "the form closes")
        XCTAssertEqual(driver.sessionRecipients, ["Carol"])
        XCTAssertEqual(driver.state.notice?.text, "Card saved, face down.")
        XCTAssertNil(driver.cards?.open, "a saved card is face down")
        XCTAssertFalse(driver.screenText.contains("delicious"))

        driver.openSelectedCard(password: "plum-jam-8")
        XCTAssertNil(driver.cards?.open)
        driver.finishAnimation()
        driver.openSelectedCard(password: "plum-jam-7")
        let open = try XCTUnwrap(driver.cards?.open)
        XCTAssertEqual(open.description.withUnsafeBytes { String(decoding: $0, as: UTF8.self) },
                       "The plums were delicious.\nThanks!")
    }

    func testPasswordsThatDifferAreRefusedAndRepeatIsClearedForAnotherTry() throws {
        let driver = driverOnEmptyCards()
        driver.createCardWithForm(to: "Carol", description: "plums", password: "plum-jam-7", repeat: "plum-jam-8")
        let form = try XCTUnwrap(driver.cards?.form, "the form stays open")
        XCTAssertEqual(driver.sessionRecipients, [], "nothing saved")
        XCTAssertEqual(driver.state.notice?.isError, true)
        XCTAssertTrue(driver.state.notice?.text.contains("differ") == true, "\(String(describing: driver.state.notice))")
        XCTAssertEqual(form.focus, .repeatPassword)
        XCTAssertTrue(form.repeatPassword.isEmpty, "the repeat is cleared")
        XCTAssertEqual(String(form.recipient.characters), "Carol", "what was typed stays")

        driver.type("plum-jam-7")
        driver.press(.enter)
        XCTAssertNil(driver.cards?.form)
        XCTAssertEqual(driver.sessionRecipients, ["Carol"])
    }

    func testAnEmptyPasswordIsRefused() throws {
        let driver = driverOnEmptyCards()
        driver.createCardWithForm(to: "Carol", description: "plums", password: "", repeat: "")
        XCTAssertNotNil(driver.cards?.form)
        XCTAssertEqual(driver.cards?.form?.focus, .password)
        XCTAssertEqual(driver.sessionRecipients, [])
        XCTAssertEqual(driver.state.notice?.isError, true)
    }

    func testTheVaultPasswordAsCardPasswordAsksAndNoRefuses() throws {
        let driver = driverOnEmptyCards()
        driver.createCardWithForm(to: "Carol", description: "plums", password: "correct horse",
                                  repeat: "correct horse")
        XCTAssertEqual(driver.state.overlay, .confirmCardPasswordIsVaultPassword)
        XCTAssertEqual(driver.sessionRecipients, [], "nothing saved before the answer")
        XCTAssertTrue(driver.screenText.contains("vault password"), "the question is shown:\n\(driver.screenText)")
        let typed = try XCTUnwrap(driver.cards?.form?.password.bytes)

        driver.press(.character("n"))
        XCTAssertNil(driver.state.overlay)
        XCTAssertEqual(driver.sessionRecipients, [], "n saves nothing")
        let form = try XCTUnwrap(driver.cards?.form, "back in the form")
        XCTAssertEqual(form.focus, .password)
        XCTAssertTrue(form.password.isEmpty && form.repeatPassword.isEmpty, "both passwords cleared")
        XCTAssertEqual(typed.withWholeMappingForTesting { $0.filter { $0 != 0 }.count }, 0, "and wiped")
        XCTAssertEqual(String(form.recipient.characters), "Carol")
    }

    func testTheVaultPasswordAsCardPasswordAsksAndYesSaves() throws {
        let driver = driverOnEmptyCards()
        driver.createCardWithForm(to: "Carol", description: "plums", password: "correct horse",
                                  repeat: "correct horse")
        XCTAssertEqual(driver.state.overlay, .confirmCardPasswordIsVaultPassword)
        driver.press(.character("y"))
        XCTAssertNil(driver.state.overlay)
        XCTAssertNil(driver.cards?.form)
        XCTAssertEqual(driver.sessionRecipients, ["Carol"])
        driver.openSelectedCard(password: "correct horse")
        let open = try XCTUnwrap(driver.cards?.open, "the card opens with the password it was given")
        XCTAssertEqual(open.description.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }, "plums")
    }

    func testAnotherCardPasswordIsNotQuestioned() {
        let driver = driverOnEmptyCards()
        driver.createCardWithForm(to: "Carol", description: "plums", password: "correct horse!",
                                  repeat: "correct horse!")
        XCTAssertNil(driver.state.overlay)
        XCTAssertEqual(driver.sessionRecipients, ["Carol"])
    }

    func testEscapeAsksThenCancelsTheFormAndWipesThePasswords() throws {
        let driver = driverOnEmptyCards()
        driver.press(.character("n"))
        driver.type("Carol")
        driver.press(.tab, .tab)
        driver.type("plum-jam-7")
        let typed = try XCTUnwrap(driver.cards?.form?.password.bytes)
        driver.press(.escape)
        XCTAssertEqual(driver.state.overlay, .confirmDiscard, "typed text is not thrown away without asking")
        driver.press(.character("n"))
        XCTAssertEqual(driver.cards?.form?.recipient.characters, Array("Carol"), "n keeps the form")
        driver.press(.escape)
        driver.press(.character("y"))
        XCTAssertNil(driver.cards?.form)
        XCTAssertEqual(driver.state.notice?.text, "Changes discarded.")
        XCTAssertEqual(driver.sessionRecipients, [])
        XCTAssertEqual(typed.withWholeMappingForTesting { $0.filter { $0 != 0 }.count }, 0)
    }

    func testEscapeOnAnUntouchedFormLeavesWithoutAsking() {
        let driver = driverOnEmptyCards()
        driver.press(.character("n"))
        driver.press(.escape)
        XCTAssertNil(driver.state.overlay)
        XCTAssertNil(driver.cards?.form)
    }

    func testLockingMidFormWipesBothPasswordsAndSealsRecipientAndDescription() throws {
        let driver = driverOnEmptyCards()
        driver.press(.character("n"))
        driver.type("Carol")
        driver.press(.tab)
        driver.typeInfo("half a thank-you")
        driver.press(.tab)
        driver.type("plum-jam-7")
        driver.press(.tab)
        driver.type("plum-ja")
        let password = try XCTUnwrap(driver.cards?.form?.password.bytes)
        let again = try XCTUnwrap(driver.cards?.form?.repeatPassword.bytes)
        driver.press(.ctrl("l"))
        XCTAssertTrue(driver.isLocked)
        XCTAssertEqual(password.withWholeMappingForTesting { $0.filter { $0 != 0 }.count }, 0)
        XCTAssertEqual(again.withWholeMappingForTesting { $0.filter { $0 != 0 }.count }, 0)
        XCTAssertFalse(driver.screenText.contains("thank-you"))
        driver.type("correct horse")
        driver.press(.enter)
        let form = try XCTUnwrap(driver.cards?.form, "the unsaved card form is back")
        XCTAssertEqual(String(form.recipient.characters), "Carol")
        XCTAssertEqual(String(form.description.characters), "half a thank-you")
        XCTAssertTrue(form.password.isEmpty && form.repeatPassword.isEmpty, "card passwords are never sealed")
        XCTAssertEqual(driver.sessionRecipients, [])

        driver.press(.tab)
        driver.type("plum-jam-7")
        driver.press(.tab)
        driver.type("plum-jam-7")
        driver.press(.enter)
        XCTAssertEqual(driver.sessionRecipients, ["Carol"])
        XCTAssertNil(driver.session?.draft, "saving the card drops its draft")
    }

    func testEditingAnOpenCardKeepsItsPasswordWhenNoneIsTyped() throws {
        let driver = driverOnEmptyCards()
        driver.addCard(to: "Ann", description: "old words", password: "ann-pw")
        driver.showTasks()
        driver.showCards()
        driver.press(.character("e"))
        XCTAssertNil(driver.cards?.form, "a closed card is not edited")
        XCTAssertTrue(driver.state.notice?.text.contains("Open the card first") == true)

        driver.openSelectedCard(password: "ann-pw")
        driver.finishAnimation()
        driver.press(.character("e"))
        XCTAssertEqual(driver.cards?.form?.focus, .description)
        XCTAssertEqual(driver.cards?.form.map { String($0.description.characters) }, "old words")
        driver.press(.end)
        driver.type(", new words")
        driver.press(.ctrl("s"))
        XCTAssertNil(driver.cards?.form)
        XCTAssertNil(driver.cards?.open, "saved face down")
        XCTAssertEqual(driver.sessionRecipients, ["Ann"], "the same card, not a second one")

        driver.openSelectedCard(password: "ann-pw")
        let open = try XCTUnwrap(driver.cards?.open)
        XCTAssertEqual(open.description.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }, "old words, new words")
    }

    func testARecipientStopsAtThirtyCharacters() {
        let driver = driverOnEmptyCards()
        driver.press(.character("n"))
        driver.type(String(repeating: "a", count: 30))
        driver.type("b")
        XCTAssertEqual(driver.cards?.form?.recipient.characters.count, 30)
        XCTAssertEqual(driver.state.notice?.isError, true)
    }
}
