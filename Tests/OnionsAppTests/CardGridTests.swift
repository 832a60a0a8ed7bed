@testable import OnionsApp
import OnionsCore
import OnionsCrypto
import TerminalUI
import XCTest

/// The card grid on the headless renderer at 80x24, 200x50 and 30x10, face down and with one
/// card face up, compared with the `cards-*` fixtures in Snapshots/.
final class CardGridTests: AppTestCase {
    static let sizes = [(80, 24), (200, 50), (40, 12), (30, 10)]

    /// Five cards of "alice", the first one (Ann's) selected; one recipient is in CJK and one
    /// is longer than a card is wide.
    func driverWithCards() -> AppDriver {
        let driver = signedUpDriver()
        for card in CardSamples.all.reversed() {
            driver.addCard(to: card.recipient, description: card.description, password: card.password)
        }
        driver.showCards()
        XCTAssertEqual(driver.visibleRecipients, CardSamples.all.map(\.recipient))
        XCTAssertEqual(driver.cards?.selection, 0)
        return driver
    }

    func assertEverySize(_ driver: AppDriver, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        for (width, height) in Self.sizes {
            assertScreen(driver, matches: name, width: width, height: height, file: file, line: line)
        }
    }

    func testGridFaceDown() {
        let driver = driverWithCards()
        assertEverySize(driver, "cards-grid")
        for card in CardSamples.all {
            XCTAssertFalse(driver.screenText.contains(card.secretWord), "\(card.recipient)'s description is hidden")
        }
    }

    func testGridWithTheSelectedCardFaceUp() {
        let driver = driverWithCards()
        driver.openSelectedCard(password: CardSamples.ann.password)
        driver.finishAnimation()
        XCTAssertNotNil(driver.cards?.open, "the right password opens the card")
        assertEverySize(driver, "cards-open")
    }

    func testGridWithACardFurtherDownFaceUp() {
        let driver = driverWithCards()
        driver.press(.end)
        XCTAssertEqual(driver.cards?.selection, CardSamples.all.count - 1)
        driver.openSelectedCard(password: CardSamples.neighbours.password)
        driver.finishAnimation()
        assertEverySize(driver, "cards-open-last")
    }

    /// A letter of several paragraphs, opened in the reader and scrolled down two lines (where
    /// it does not fit).
    func testReaderShowsALongCardLargeWithItsPosition() {
        let driver = driverWithCards()
        let letter = """
            Dear Zed,

            the keys to the allotment are in the tin on the top shelf of the shed, behind the seed \
            trays. The water tap sticks: turn it left twice before you pull. 🌱 Please pick the \
            beans every other day, or they go woody, and leave the courgettes for the neighbours.

            家の鍵は郵便受けの中です。

            The alarm code is 4417, then the hash key. If it beeps for longer than a minute, ring \
            Ann at home; she knows what to do and where the fuse box is.

            Thank you, and enjoy the plums.
            """
        driver.addCard(to: "Zed", description: letter, password: "zed-pw")
        driver.showTasks()
        driver.showCards()
        driver.openSelectedCard(password: "zed-pw")
        driver.finishAnimation()
        for (width, height) in Self.sizes {
            driver.resize(width: width, height: height)
            driver.press(.home, .down, .down)
            assertScreen(driver, matches: "cards-reader", width: width, height: height)
        }
    }

    func testEmptyGridSaysHowToMakeACard() {
        let driver = signedUpDriver()
        driver.showCards()
        assertScreen(driver, matches: "cards-empty", width: 80, height: 24)
    }

    func testPasswordPromptIsMasked() {
        let driver = driverWithCards()
        driver.press(.enter)
        driver.type("ann-")
        assertEverySize(driver, "cards-password")
        XCTAssertFalse(driver.screenText.contains("ann-"), "the typed password is not shown")
    }

    func testNewCardForm() {
        let driver = driverWithCards()
        driver.press(.character("n"))
        driver.type("Carol")
        driver.press(.tab)
        driver.typeInfo("Thank you for the plums.\nThey were delicious.")
        driver.press(.tab)
        driver.type("plum")
        assertScreen(driver, matches: "cards-form", width: 80, height: 24)
    }
}

/// The cards the card tests put into a vault, in the order the grid lists them.
struct CardSamples {
    let recipient: String
    let description: String
    let password: String
    /// A word of the description found nowhere else (to tell whether the face shows).
    let secretWord: String

    static let ann = CardSamples(recipient: "Ann",
                                 description: "Happy birthday! The spare key is under the blue flowerpot.",
                                 password: "ann-tulip-4", secretWord: "flowerpot")
    static let bob = CardSamples(recipient: "Bob", description: "The boat code is 7741-heron. Bring rope.",
                                 password: "bob-anchor-9", secretWord: "heron")
    static let hanako = CardSamples(recipient: "花子", description: "お誕生日おめでとう! Cake at 3 in the garden.",
                                    password: "hanako-sakura", secretWord: "garden")
    static let rose = CardSamples(recipient: "Grandma Rose", description: "Your recipe box is in the attic, left shelf.",
                                  password: "rose-thimble", secretWord: "attic")
    static let neighbours = CardSamples(recipient: "The neighbours at number 12",
                                        description: "Please water the ferns on Tuesday and Friday. Thanks!",
                                        password: "ferns-on-tuesday", secretWord: "ferns")
    static let all = [ann, bob, hanako, rose, neighbours]
}

/// An error seen on the runner's thread, for the test to check.
final class FailureBox: @unchecked Sendable {
    var error: (any Error)?
}

// MARK: Card and task journeys shared by the Card*Tests and Task*Tests files

extension AppDriver {
    /// The cost of the card passwords tests put in directly (the form uses the real one).
    static let cheapCardKDF = ScryptParameters(logN: 10, r: 8, p: 1)

    var cards: CardsState? {
        if case .cards(let cards) = state.screen { return cards }
        return nil
    }

    var tasks: TasksState? {
        if case .tasks(let tasks) = state.screen { return tasks }
        return nil
    }

    /// Recipients of the cards the grid shows, in order.
    var visibleRecipients: [String] {
        guard let vault = state.vault, let cards else { return [] }
        return cards.visible.map { vault.texts.string($0.recipient) }
    }

    /// Recipients of every card of the open session, in its order.
    var sessionRecipients: [String] {
        guard let session else { return [] }
        return session.cards.map { session.texts.string($0.recipient) }
    }

    /// Texts of the tasks the list shows, in order, each with its id and done mark.
    var visibleTasks: [String] {
        guard let vault = state.vault, let tasks else { return [] }
        return tasks.visible.map { "\($0.id) \($0.done ? "[x]" : "[ ]") \(vault.texts.string($0.text))" }
    }

    /// Every task of the open session, in the same form as `visibleTasks`.
    var sessionTasks: [String] {
        guard let session else { return [] }
        return session.tasks.map { "\($0.id) \($0.done ? "[x]" : "[ ]") \(session.texts.string($0.text))" }
    }

    /// Saves a card straight through the runner's session with a cheap key derivation (not
    /// the form), as another machine would; the interface takes the new snapshot.
    func addCard(to recipient: String, description: String, password: String,
                 file: StaticString = #filePath, line: UInt = #line) {
        guard session != nil else {
            XCTFail("no open session to add a card to", file: file, line: line)
            return
        }
        let secrets = [recipient, description, password].map { SecretBytes(copying: Array($0.utf8)) }
        let failure = FailureBox()
        loop.runner.changeSessionForTesting { session in
            defer { secrets.forEach { $0.wipe() } }
            do {
                try session.saveCard(id: nil, recipient: secrets[0], description: secrets[1],
                                     cardPassword: secrets[2], kdf: Self.cheapCardKDF)
            } catch {
                failure.error = error
            }
        }
        settle()
        XCTAssertNil(failure.error, file: file, line: line)
    }

    /// Shows the card grid (key 2) from wherever the vault is open.
    func showCards(file: StaticString = #filePath, line: UInt = #line) {
        press(.character("2"))
        XCTAssertNotNil(cards, "key 2 shows the cards", file: file, line: line)
    }

    /// Shows the task list (key 3).
    func showTasks(file: StaticString = #filePath, line: UInt = #line) {
        press(.character("3"))
        XCTAssertNotNil(tasks, "key 3 shows the tasks", file: file, line: line)
    }

    /// Enter, the password, Enter: on the selected card.
    func openSelectedCard(password: String) {
        press(.enter)
        type(password)
        press(.enter)
    }

    /// Sends ticks until the running flip or shake is over (at most 50).
    func finishAnimation(file: StaticString = #filePath, line: UInt = #line) {
        for _ in 0..<50 where cards?.animation != nil { send(.tick(now: BootClock.now())) }
        XCTAssertNil(cards?.animation, "the animation ends", file: file, line: line)
    }

    /// `n`, then each field of the card form in Tab order, then Enter on Repeat.
    func createCardWithForm(to recipient: String, description: String, password: String, repeat again: String) {
        press(.character("n"))
        type(recipient)
        press(.tab)
        typeInfo(description)
        press(.tab)
        type(password)
        press(.tab)
        type(again)
        press(.enter)
    }
}
