import TerminalUI
import XCTest

final class TextFieldTests: XCTestCase {
    func testTitleStopsAcceptingCharactersAtThirty() {
        var title = TextField(limit: 30)
        for _ in 0..<28 { XCTAssertEqual(title.insert("a"), .changed) }
        XCTAssertEqual(title.insert("家"), .changed)
        XCTAssertEqual(title.insert("👍🏽"), .changed)
        XCTAssertEqual(title.count, 30)
        XCTAssertEqual(title.insert("b"), .refused)
        XCTAssertEqual(title.insert("👨\u{200D}👩\u{200D}👧"), .refused)
        XCTAssertEqual(title.count, 30)
        XCTAssertEqual(title.characters.last, "👍🏽")
        XCTAssertEqual(title.backspace(), .changed)
        XCTAssertEqual(title.insert("é"), .changed)
        XCTAssertEqual(title.count, 30)
    }

    func testRefusalInTheMiddleLeavesTextAndCursorAlone() {
        var field = TextField(Array("abc"), limit: 3)
        _ = field.moveLeft()
        XCTAssertEqual(field.insert("x"), .refused)
        XCTAssertEqual(String(field.characters), "abc")
        XCTAssertEqual(field.cursor, 2)
    }

    func testScalarsTypedOneByOneJoinIntoOneGrapheme() {
        var field = TextField(limit: 2)
        XCTAssertEqual(field.insert("e"), .changed)
        XCTAssertEqual(field.insert("\u{301}"), .changed)
        XCTAssertEqual(field.insert("👍"), .changed)
        XCTAssertEqual(field.count, 2)
        XCTAssertEqual(field.insert("🏽"), .changed, "a skin tone joins the emoji even at the limit")
        XCTAssertEqual(field.characters, ["e\u{301}", "👍🏽"])
        XCTAssertEqual(field.insert("x"), .refused)
    }

    func testPasteThatWouldPassTheLimitIsRefusedWhole() {
        var field = TextField(Array("ab"), limit: 5)
        XCTAssertEqual(field.insert(contentsOf: Array("cdef")), .refused)
        XCTAssertEqual(String(field.characters), "ab")
        XCTAssertEqual(field.cursor, 2)
        XCTAssertEqual(field.insert(contentsOf: Array("cde")), .changed)
        XCTAssertEqual(String(field.characters), "abcde")
    }

    func testControlCharactersAreNotAccepted() {
        var field = TextField()
        XCTAssertEqual(field.insert("\n"), .unchanged)
        XCTAssertEqual(field.insert("\t"), .unchanged)
        XCTAssertTrue(field.isEmpty)
    }

    func testEditingKeysMoveAndDelete() {
        var field = TextField(Array("onion"))
        XCTAssertEqual(field.handle(.home), .moved)
        XCTAssertEqual(field.handle(.delete), .changed)
        XCTAssertEqual(field.handle(.right), .moved)
        XCTAssertEqual(field.handle(.backspace), .changed)
        XCTAssertEqual(field.handle(.character("X")), .changed)
        XCTAssertEqual(String(field.characters), "Xion")
        XCTAssertEqual(field.cursor, 1)
        XCTAssertEqual(field.handle(.left), .moved)
        XCTAssertEqual(field.handle(.left), .unchanged)
        XCTAssertEqual(field.handle(.tab), .ignored)
    }

    func testMaskedFieldDrawsOneBulletPerGrapheme() {
        var field = TextField(Array("pä家👍🏽"), mask: "•")
        var canvas = Canvas(width: 10, height: 1)
        let cursor = field.render(in: canvas.bounds, on: &canvas)
        assertScreen(canvas, ["••••"])
        XCTAssertEqual(cursor, Point(x: 4, y: 0))
        field.mask = "*"
        field.render(in: canvas.bounds, on: &canvas)
        assertScreen(canvas, ["****"])
    }

    func testMaskedDrawingFromACountAlone() {
        var canvas = Canvas(width: 6, height: 1)
        let cursor = TextField.drawMasked(count: 8, cursor: 8, in: canvas.bounds, on: &canvas)
        assertScreen(canvas, ["•••••"])
        XCTAssertEqual(cursor, Point(x: 5, y: 0))
    }

    func testLongTextScrollsToKeepTheCursorVisible() {
        var field = TextField(Array("abcdefgh"))
        field.visibleWidth = 5
        var canvas = Canvas(width: 7, height: 1)
        let area = Rect(x: 1, y: 0, width: 5, height: 1)
        XCTAssertEqual(field.render(in: area, on: &canvas), Point(x: 5, y: 0))
        assertScreen(canvas, [" efgh"])
        _ = field.moveToStart()
        XCTAssertEqual(field.render(in: area, on: &canvas), Point(x: 1, y: 0))
        assertScreen(canvas, [" abcde"])
    }

    func testScrollingCountsWideCharactersAsTwoCells() {
        let field = TextField(Array("家族と一緒"))
        var canvas = Canvas(width: 6, height: 1)
        XCTAssertEqual(field.render(in: canvas.bounds, on: &canvas), Point(x: 4, y: 0))
        assertScreen(canvas, ["一緒"])
    }

    func testWipeEmptiesTheField() {
        var field = TextField(Array("hunter2"), limit: 64)
        field.wipe()
        XCTAssertTrue(field.isEmpty)
        XCTAssertEqual(field.cursor, 0)
    }

    func testTheSkinToneOfARefusedEmojiIsRefusedToo() {
        var field = TextField(Array(repeating: Character("👍🏽"), count: 2), limit: 2)
        XCTAssertEqual(field.insert("👍"), .refused)
        XCTAssertEqual(field.insert("\u{1F3FD}"), .refused, "the tone belongs to the refused thumb")
        XCTAssertEqual(String(field.characters), "👍🏽👍🏽")
    }

    func testASkinToneStillJoinsAnAcceptedEmoji() {
        var field = TextField(limit: 2)
        XCTAssertEqual(field.insert("👍"), .changed)
        XCTAssertEqual(field.insert("\u{1F3FD}"), .changed)
        XCTAssertEqual(String(field.characters), "👍🏽")
        XCTAssertEqual(field.count, 1)
    }

    func testByteLimitRefusesWhatWouldPassItAndDeletingMakesRoom() {
        var field = TextField(limit: 30, byteLimit: 8)
        XCTAssertEqual(field.insert("👍"), .changed)
        XCTAssertEqual(field.insert("\u{1F3FD}"), .changed)
        XCTAssertEqual(field.byteCount, 8)
        XCTAssertEqual(field.insert("a"), .refused)
        XCTAssertEqual(field.count, 1)
        _ = field.handle(.backspace)
        XCTAssertEqual(field.byteCount, 0)
        XCTAssertEqual(field.insert("a"), .changed)
        XCTAssertEqual(field.byteCount, 1)
    }
}
