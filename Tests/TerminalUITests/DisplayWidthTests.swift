import TerminalUI
import XCTest

final class DisplayWidthTests: XCTestCase {
    func testASCIILettersTakeOneCellEach() {
        XCTAssertEqual(DisplayWidth.of("a" as Character), 1)
        XCTAssertEqual(DisplayWidth.of("Hello, world"), 12)
    }

    func testCJKAndHangulAndFullwidthTakeTwoCells() {
        XCTAssertEqual(DisplayWidth.of("家" as Character), 2)
        XCTAssertEqual(DisplayWidth.of("한" as Character), 2)
        XCTAssertEqual(DisplayWidth.of("Ａ" as Character), 2)
        XCTAssertEqual(DisplayWidth.of("家族 ok"), 7)
    }

    func testDecomposedAccentIsOneCell() {
        let decomposed: Character = "e\u{301}"
        XCTAssertEqual(decomposed.unicodeScalars.count, 2)
        XCTAssertEqual(DisplayWidth.of(decomposed), 1)
        XCTAssertEqual(DisplayWidth.of("\u{301}" as Unicode.Scalar), 0)
    }

    func testEmojiWithSkinToneIsOneTwoCellCluster() {
        let thumbs: Character = "👍🏽"
        XCTAssertEqual(thumbs.unicodeScalars.count, 2)
        XCTAssertEqual(DisplayWidth.of(thumbs), 2)
    }

    func testZWJFamilyIsOneTwoCellCluster() {
        let family: Character = "👨\u{200D}👩\u{200D}👧"
        XCTAssertEqual(family.unicodeScalars.count, 5)
        XCTAssertEqual(DisplayWidth.of(family), 2)
        XCTAssertEqual(DisplayWidth.of("\u{200D}" as Unicode.Scalar), 0)
        XCTAssertEqual(DisplayWidth.of("\u{FE0F}" as Unicode.Scalar), 0)
    }

    func testControlScalarsHaveNoWidthButDrawAsOneReplacementCell() {
        for scalar in ["\u{0}", "\u{7}", "\u{1B}", "\u{7F}", "\u{85}"] as [Unicode.Scalar] {
            XCTAssertEqual(DisplayWidth.of(scalar), 0, "U+\(String(scalar.value, radix: 16))")
            XCTAssertTrue(DisplayWidth.isControl(Character(scalar)))
        }
        XCTAssertEqual(DisplayWidth.of("\t" as Character), 1)
        var canvas = Canvas(width: 5, height: 1)
        canvas.put("a\u{7}b\tc", x: 0, y: 0)
        assertScreen(canvas, ["a\u{FFFD}b\u{FFFD}c"])
    }

    func testWidthsMatchGlibcOnItsOwnBoundaries() {
        XCTAssertEqual(DisplayWidth.of("\u{1100}" as Unicode.Scalar), 2, "Hangul leading jamo")
        XCTAssertEqual(DisplayWidth.of("\u{1160}" as Unicode.Scalar), 0, "Hangul medial vowel")
        XCTAssertEqual(DisplayWidth.of("\u{AD}" as Unicode.Scalar), 1, "soft hyphen")
        XCTAssertEqual(DisplayWidth.of("\u{200B}" as Unicode.Scalar), 0, "zero width space")
        XCTAssertEqual(DisplayWidth.of("\u{2500}" as Unicode.Scalar), 1, "box drawing")
        XCTAssertEqual(DisplayWidth.of("\u{3000}" as Unicode.Scalar), 2, "ideographic space")
        XCTAssertEqual(DisplayWidth.of("\u{1F600}" as Unicode.Scalar), 2, "emoji")
        XCTAssertEqual(DisplayWidth.of("\u{20000}" as Unicode.Scalar), 2, "CJK extension B")
    }
}

/// Emoji sequences terminals measure differently are drawn in a form they all measure alike.
final class AgreedGraphemeTests: XCTestCase {
    func testSequencesAreDrawnAsTheirFirstScalarAndFlagsAsLetters() {
        XCTAssertEqual(DisplayWidth.agreed("👨\u{200D}👩\u{200D}👧"), .scalar("👨"))
        XCTAssertEqual(DisplayWidth.agreed("👍🏽"), .scalar("👍"))
        XCTAssertEqual(DisplayWidth.agreed("❤\u{FE0F}"), .scalar("❤"))
        XCTAssertEqual(DisplayWidth.agreed("1\u{FE0F}\u{20E3}"), .scalar("1"))
        XCTAssertEqual(DisplayWidth.agreed("🇫🇷"), .letters("F", "R"))
        XCTAssertEqual(DisplayWidth.agreed("\u{1F1EB}"), .scalar("F"))
        XCTAssertEqual(DisplayWidth.agreed("e\u{301}"), .asIs)
        XCTAssertEqual(DisplayWidth.agreed("家"), .asIs)
        XCTAssertEqual(DisplayWidth.agreed("👍"), .asIs)
    }

    func testWidthsAreThoseOfTheDrawnForm() {
        XCTAssertEqual(DisplayWidth.of("🇫🇷" as Character), 2)
        XCTAssertEqual(DisplayWidth.of("❤\u{FE0F}" as Character), 1)
        XCTAssertEqual(DisplayWidth.of("👨\u{200D}👩\u{200D}👧" as Character), 2)
    }

    func testTheCanvasStoresTheDrawnForm() {
        var canvas = Canvas(width: 12, height: 1)
        let used = canvas.put(Array("a🇫🇷b👨\u{200D}👩\u{200D}👧c👍🏽d"), x: 0, y: 0)
        XCTAssertEqual(used, 10)
        assertScreen(canvas, ["aFRb👨c👍d"])
        for x in 0..<12 {
            XCTAssertLessThanOrEqual(canvas[x: x, y: 0].character.unicodeScalars.count, 1, "cell \(x) holds one scalar")
        }
    }
}
