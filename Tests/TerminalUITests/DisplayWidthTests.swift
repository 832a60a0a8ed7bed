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
