import OnionsApp
import OnionsCore
import OnionsCrypto
import TerminalUI
import XCTest

/// `/` filters the grid by recipient (never by the sealed description); `d` deletes after asking.
final class CardFilterAndDeleteTests: AppTestCase {
    func driverWithCards() -> AppDriver {
        let driver = signedUpDriver()
        for card in CardSamples.all.reversed() {
            driver.addCard(to: card.recipient, description: card.description, password: card.password)
        }
        driver.showCards()
        XCTAssertEqual(driver.visibleRecipients, CardSamples.all.map(\.recipient))
        return driver
    }

    func testSlashFiltersByRecipientAsYouType() {
        let driver = driverWithCards()
        driver.press(.character("/"))
        XCTAssertEqual(driver.cards?.filtering, true)
        driver.type("ro")
        XCTAssertEqual(driver.visibleRecipients, ["Grandma Rose"])
        XCTAssertTrue(driver.screenText.contains("1 of 5 cards"), driver.screenText)
        XCTAssertTrue(driver.screenText.contains("To: Grandma Rose"))
        XCTAssertFalse(driver.screenText.contains("To: Ann"))
        driver.press(.backspace)
        XCTAssertEqual(driver.visibleRecipients, ["Grandma Rose", "The neighbours at number 12"], "r is in two names")
        driver.press(.backspace)
        XCTAssertEqual(driver.visibleRecipients, CardSamples.all.map(\.recipient), "an empty filter shows all")
    }

    func testTheFilterIgnoresCaseAndMatchesWideCharacters() {
        let driver = driverWithCards()
        driver.press(.character("/"))
        driver.type("BOB")
        XCTAssertEqual(driver.visibleRecipients, ["Bob"])
        driver.press(.escape)
        driver.press(.character("/"))
        driver.type("花")
        XCTAssertEqual(driver.visibleRecipients, ["花子"])
    }

    func testTheFilterNeverLooksIntoDescriptions() {
        let driver = driverWithCards()
        driver.press(.character("/"))
        driver.type(CardSamples.bob.secretWord)
        XCTAssertEqual(driver.visibleRecipients, [])
        XCTAssertTrue(driver.screenText.contains("No card for that name."), driver.screenText)
    }

    func testEnterKeepsTheFilterAndEscapeClearsIt() {
        let driver = driverWithCards()
        driver.press(.character("/"))
        driver.type("an")
        XCTAssertEqual(driver.visibleRecipients, ["Ann", "Grandma Rose"])
        driver.press(.enter)
        XCTAssertEqual(driver.cards?.filtering, false)
        XCTAssertEqual(driver.visibleRecipients, ["Ann", "Grandma Rose"], "Enter keeps the filter")
        driver.press(.right)
        XCTAssertEqual(driver.cards?.selectedID, driver.cards?.visible.last?.id, "moving works in the filtered grid")
        driver.press(.escape)
        XCTAssertEqual(driver.visibleRecipients, CardSamples.all.map(\.recipient), "Esc clears the kept filter")
        XCTAssertEqual(driver.visibleRecipients[driver.cards?.selection ?? -1], "Grandma Rose", "the selection stays")
    }

    func testFilteringClosesAndWipesTheOpenCard() throws {
        let driver = driverWithCards()
        driver.openSelectedCard(password: CardSamples.ann.password)
        driver.finishAnimation()
        let open = try XCTUnwrap(driver.cards?.open)
        driver.press(.character("/"))
        driver.type("a")
        XCTAssertNil(driver.cards?.open)
        XCTAssertEqual(open.description.withWholeMappingForTesting { $0.filter { $0 != 0 }.count }, 0)
        XCTAssertFalse(driver.screenText.contains(CardSamples.ann.secretWord))
    }

    func testDeleteAsksAndNoKeepsTheCard() {
        let driver = driverWithCards()
        driver.press(.right)
        let bob = driver.cards?.selectedID
        driver.press(.character("d"))
        XCTAssertEqual(driver.state.overlay, bob.map { .confirmDeleteCard($0) })
        XCTAssertTrue(driver.screenText.contains("Delete the card to “Bob”?"), "the dialog names the card:\n\(driver.screenText)")
        XCTAssertEqual(driver.sessionRecipients.count, 5, "nothing deleted before the answer")
        driver.press(.character("n"))
        XCTAssertNil(driver.state.overlay)
        XCTAssertEqual(driver.sessionRecipients, CardSamples.all.map(\.recipient))
    }

    func testDeleteAsksAndYesDeletesTheSelectedCard() {
        let driver = driverWithCards()
        driver.press(.right)
        driver.press(.character("d"))
        driver.press(.character("y"))
        XCTAssertNil(driver.state.overlay)
        XCTAssertEqual(driver.sessionRecipients, ["Ann", "花子", "Grandma Rose", "The neighbours at number 12"])
        XCTAssertEqual(driver.visibleRecipients, driver.sessionRecipients)
        XCTAssertEqual(driver.state.notice?.text, "Card deleted.")
        XCTAssertTrue(driver.screenText.contains("4 cards"))
        XCTAssertFalse(driver.screenText.contains("To: Bob"))
    }

    func testDeletingTheOpenCardWipesIt() throws {
        let driver = driverWithCards()
        driver.openSelectedCard(password: CardSamples.ann.password)
        driver.finishAnimation()
        let open = try XCTUnwrap(driver.cards?.open)
        driver.press(.character("d"))
        driver.press(.character("y"))
        XCTAssertFalse(driver.sessionRecipients.contains("Ann"))
        XCTAssertNil(driver.cards?.open)
        XCTAssertEqual(open.description.withWholeMappingForTesting { $0.filter { $0 != 0 }.count }, 0)
        XCTAssertEqual(open.password.withWholeMappingForTesting { $0.filter { $0 != 0 }.count }, 0)
    }

    func testDeletedCardsStayDeletedAfterLoggingInAgain() {
        let driver = driverWithCards()
        driver.press(.character("d"))
        driver.press(.character("y"))
        driver.press(.character("q"))
        let again = makeDriver()
        again.logIn()
        again.showCards()
        XCTAssertEqual(again.visibleRecipients, ["Bob", "花子", "Grandma Rose", "The neighbours at number 12"])
    }
}
