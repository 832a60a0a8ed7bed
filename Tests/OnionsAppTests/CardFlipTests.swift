import OnionsApp
import OnionsCore
import TerminalUI
import XCTest

/// The flip after the right password and the shake after a wrong one, rendered tick by tick.
final class CardFlipTests: AppTestCase {
    /// What one rendered frame shows of the selected card (the one with the double border).
    struct CardFrame {
        /// Columns from the left corner to the right corner, both included.
        let width: Int
        /// Column of the left corner.
        let x: Int
        /// Every cell inside the border below the "To:" row, row after row.
        let interior: [Character]
        let screen: String
    }

    /// Ann's card selected in a grid of five, on an 80x24 terminal.
    func driverOnAnnsCard() -> AppDriver {
        let driver = signedUpDriver()
        for card in CardSamples.all.reversed() {
            driver.addCard(to: card.recipient, description: card.description, password: card.password)
        }
        driver.showCards()
        XCTAssertEqual(driver.visibleRecipients.first, CardSamples.ann.recipient)
        return driver
    }

    /// Finds the selected card in the top grid row of the current screen.
    func selectedCard(_ driver: AppDriver, file: StaticString = #filePath, line: UInt = #line) -> CardFrame? {
        let lines = driver.screen().map { Array($0) }
        let top = 2, bottom = top + CardArt.height - 1
        guard lines.count > bottom, let left = lines[top].firstIndex(of: "╔"),
              let right = lines[top].firstIndex(of: "╗"), right > left else {
            XCTFail("no selected card on the screen:\n\(driver.screenText)", file: file, line: line)
            return nil
        }
        XCTAssertEqual(lines[bottom].firstIndex(of: "╚"), left, "bottom left corner", file: file, line: line)
        XCTAssertEqual(lines[bottom].firstIndex(of: "╝"), right, "bottom right corner", file: file, line: line)
        var interior: [Character] = []
        for row in (top + 2)..<bottom {
            for column in (left + 1)..<right {
                interior.append(column < lines[row].count ? lines[row][column] : " ")
            }
        }
        return CardFrame(width: right - left + 1, x: left, interior: interior, screen: driver.screenText)
    }

    func isBackPattern(_ cells: [Character]) -> Bool { cells.allSatisfy { $0 == "✦" || $0 == "·" } }

    func testFlipNarrowsToAnEdgeThenWidensWithTheFaceOnlyAfterTheNarrowestFrame() throws {
        let driver = driverOnAnnsCard()
        let ann = CardSamples.ann
        driver.press(.enter)
        driver.type(ann.password)
        let beforeEnter = try XCTUnwrap(selectedCard(driver))
        XCTAssertNil(driver.cards?.open, "nothing is opened while the password is typed")
        XCTAssertTrue(isBackPattern(beforeEnter.interior), "face down while the password is typed")
        XCTAssertFalse(beforeEnter.screen.contains(ann.secretWord))

        driver.press(.enter)
        XCTAssertNotNil(driver.cards?.open, "the password was verified before the flip starts")
        XCTAssertEqual(driver.cards?.animation?.kind, .flip)
        var frames: [CardFrame] = []
        for _ in 0..<20 where driver.cards?.animation != nil {
            frames.append(try XCTUnwrap(selectedCard(driver)))
            driver.send(.tick(now: BootClock.now()))
        }
        XCTAssertNil(driver.cards?.animation, "the flip ends")
        let widths = frames.map(\.width)
        let narrowest = try XCTUnwrap(widths.indices.min { widths[$0] < widths[$1] })

        XCTAssertGreaterThanOrEqual(frames.count, 5, "a flip takes several frames: \(widths)")
        XCTAssertEqual(widths.first, CardArt.width, "it starts at full width: \(widths)")
        XCTAssertEqual(widths.last, CardArt.width, "it ends at full width: \(widths)")
        XCTAssertLessThanOrEqual(widths[narrowest], 4, "it narrows to an edge: \(widths)")
        for i in 1...narrowest {
            XCTAssertLessThan(widths[i], widths[i - 1], "narrowing up to the edge: \(widths)")
        }
        for i in (narrowest + 1)..<widths.count - 1 {
            XCTAssertGreaterThan(widths[i], widths[i - 1], "widening after the edge: \(widths)")
        }
        for (i, frame) in frames.enumerated() {
            XCTAssertEqual(frame.x + frame.width / 2, 1 + CardArt.width / 2, "frame \(i) stays centred in its slot")
            if i <= narrowest {
                XCTAssertTrue(isBackPattern(frame.interior), "frame \(i) (width \(frame.width)) is the back:\n"
                              + frame.screen)
                XCTAssertFalse(frame.screen.contains(ann.secretWord), "frame \(i) shows no description")
            } else {
                XCTAssertFalse(frame.interior.contains("✦"), "frame \(i) (width \(frame.width)) is the face:\n"
                               + frame.screen)
                let letters = frame.interior.filter { $0 != " " }
                XCTAssertFalse(letters.isEmpty, "frame \(i) shows some of the description")
                XCTAssertTrue(letters.allSatisfy { ann.description.contains($0) || $0 == "▾" },
                              "frame \(i) shows only the description's characters: \(String(letters))")
            }
        }
        XCTAssertTrue(try XCTUnwrap(frames.last).screen.contains(ann.secretWord), "the open face shows the description")
        XCTAssertTrue(driver.screen().contains { $0.contains("╭ To: Ann ─") }, "after the flip the reader shows the card:\n"
                      + driver.screenText)
        XCTAssertTrue(driver.screenText.contains(ann.secretWord))
    }

    func testWrongPasswordShakesTheCardSidewaysFaceDownAndShowsNoDescriptionInAnyFrame() throws {
        let driver = driverOnAnnsCard()
        driver.openSelectedCard(password: CardSamples.bob.password)
        XCTAssertEqual(driver.cards?.animation?.kind, .shake)
        XCTAssertNil(driver.cards?.open)
        XCTAssertEqual(driver.state.notice, Notice("wrong password", isError: true))
        var frames: [CardFrame] = []
        for _ in 0..<20 where driver.cards?.animation != nil {
            frames.append(try XCTUnwrap(selectedCard(driver)))
            driver.send(.tick(now: BootClock.now()))
        }
        XCTAssertNil(driver.cards?.animation, "the shake ends")
        XCTAssertGreaterThan(Set(frames.map(\.x)).count, 1, "the card moves sideways: \(frames.map(\.x))")
        XCTAssertEqual(frames.last?.x, 1, "and comes back to its place")
        for (i, frame) in frames.enumerated() {
            XCTAssertEqual(frame.width, CardArt.width, "frame \(i) keeps the card's width")
            XCTAssertTrue(isBackPattern(frame.interior), "frame \(i) is the back:\n\(frame.screen)")
            for card in CardSamples.all {
                XCTAssertFalse(frame.screen.contains(card.secretWord), "frame \(i) shows no description")
            }
        }
        XCTAssertNil(driver.cards?.open, "the state holds no description after the shake")
    }

    func testTicksWithoutAnAnimationLeaveTheGridAlone() throws {
        let driver = driverOnAnnsCard()
        let before = driver.screen()
        for _ in 0..<5 { driver.send(.tick(now: BootClock.now())) }
        XCTAssertEqual(driver.screen(), before)
    }
}
