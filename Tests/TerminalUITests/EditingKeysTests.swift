import TerminalUI
import XCTest

/// Word motions and deletions, line deletions, Ctrl-Home/End, undo and redo in both editors.
final class EditingKeysTests: XCTestCase {
    private func field(_ text: String, cursor: Int? = nil) -> TextField {
        var field = TextField(Array(text))
        if let cursor { field.setCursor(cursor) }
        return field
    }

    private func area(_ text: String, cursor: Int) -> TextArea {
        var area = TextArea(Array(text), width: 40, height: 5)
        area.setCursor(cursor)
        return area
    }

    func testCtrlWDeletesTheWordBeforeTheCursorAndTheSpacesAfterIt() {
        var f = field("buy red onions  ")
        XCTAssertEqual(f.handle(.ctrl("w")), .changed)
        XCTAssertEqual(String(f.characters), "buy red ")
        XCTAssertEqual(f.cursor, 8)
    }

    func testAltBackspaceDeletesTheWordBeforeToo() {
        var f = field("buy red onions", cursor: 7)
        XCTAssertEqual(f.handle(.altBackspace), .changed)
        XCTAssertEqual(String(f.characters), "buy  onions")
        XCTAssertEqual(f.cursor, 4)
    }

    func testWordsAreLettersAndDigitsAcrossScriptsAndGraphemes() {
        // "é" decomposed is one grapheme and a letter; "-" and "," separate words.
        var f = field("caf\u{65}\u{301}-2024, 家族")
        XCTAssertEqual(f.handle(.ctrl("w")), .changed)
        XCTAssertEqual(String(f.characters), "caf\u{65}\u{301}-2024, ")
        XCTAssertEqual(f.handle(.ctrl("w")), .changed)
        XCTAssertEqual(String(f.characters), "caf\u{65}\u{301}-")
        XCTAssertEqual(f.handle(.ctrl("w")), .changed)
        XCTAssertEqual(String(f.characters), "")
    }

    func testAltDDeletesTheWordAfterTheCursor() {
        var f = field("buy red onions", cursor: 3)
        XCTAssertEqual(f.handle(.alt("d")), .changed)
        XCTAssertEqual(String(f.characters), "buy onions")
        XCTAssertEqual(f.cursor, 3)
    }

    func testWordMotionsWithAltAndCtrlArrows() {
        var f = field("buy red onions")
        XCTAssertEqual(f.handle(.alt("b")), .moved)
        XCTAssertEqual(f.cursor, 8)
        XCTAssertEqual(f.handle(.ctrlLeft), .moved)
        XCTAssertEqual(f.cursor, 4)
        XCTAssertEqual(f.handle(.ctrlRight), .moved)
        XCTAssertEqual(f.cursor, 7)
        XCTAssertEqual(f.handle(.alt("f")), .moved)
        XCTAssertEqual(f.cursor, 14)
        XCTAssertEqual(f.handle(.alt("f")), .unchanged)
    }

    func testCtrlKAndCtrlUInAField() {
        var f = field("buy red onions", cursor: 7)
        XCTAssertEqual(f.handle(.ctrl("k")), .changed)
        XCTAssertEqual(String(f.characters), "buy red")
        _ = f.handle(.left)
        XCTAssertEqual(f.handle(.ctrl("u")), .changed)
        XCTAssertEqual(String(f.characters), "d")
        XCTAssertEqual(f.cursor, 0)
    }

    func testCtrlHomeAndCtrlEndInAField() {
        var f = field("onion", cursor: 2)
        XCTAssertEqual(f.handle(.ctrlHome), .moved)
        XCTAssertEqual(f.cursor, 0)
        XCTAssertEqual(f.handle(.ctrlEnd), .moved)
        XCTAssertEqual(f.cursor, 5)
    }

    func testCtrlKAndCtrlUWorkOnTheCursorsLineInTheInfo() {
        var a = area("first line\nsecond line\nthird", cursor: 18)
        XCTAssertEqual(a.handle(.ctrl("k")), .changed)
        XCTAssertEqual(String(a.characters), "first line\nsecond \nthird")
        XCTAssertEqual(a.handle(.ctrl("u")), .changed)
        XCTAssertEqual(String(a.characters), "first line\n\nthird")
        XCTAssertEqual(a.cursor, 11)
        // At the end of a line, Ctrl-K joins the next line.
        XCTAssertEqual(a.handle(.ctrl("k")), .changed)
        XCTAssertEqual(String(a.characters), "first line\nthird")
        XCTAssertEqual(a.wrappedLines, ["first line", "third"])
    }

    func testCtrlHomeAndCtrlEndGoToTheEndsOfTheWholeInfo() {
        var a = area("one\ntwo\nthree", cursor: 5)
        XCTAssertEqual(a.handle(.ctrlEnd), .moved)
        XCTAssertEqual(a.cursor, 13)
        XCTAssertEqual(a.handle(.ctrlHome), .moved)
        XCTAssertEqual(a.cursor, 0)
        // Home and End stay on the line.
        a.setCursor(5)
        XCTAssertEqual(a.handle(.home), .moved)
        XCTAssertEqual(a.cursor, 4)
    }

    func testWordKeysInTheInfoCrossLineBreaks() {
        var a = area("one two\nthree", cursor: 8)
        XCTAssertEqual(a.handle(.ctrl("w")), .changed)
        XCTAssertEqual(String(a.characters), "one three")
        XCTAssertEqual(a.wrappedLines, ["one three"])
        XCTAssertEqual(a.handle(.ctrlLeft), .moved)
        XCTAssertEqual(a.cursor, 0)
        XCTAssertEqual(a.handle(.alt("d")), .changed)
        XCTAssertEqual(String(a.characters), " three")
    }

    func testUndoRestoresTheTextBeforeCtrlWAndRedoDeletesAgain() {
        var f = field("buy red onions")
        _ = f.handle(.ctrl("w"))
        XCTAssertEqual(f.handle(.ctrl("_")), .changed)
        XCTAssertEqual(String(f.characters), "buy red onions")
        XCTAssertEqual(f.cursor, 14)
        XCTAssertEqual(f.handle(.alt("r")), .changed)
        XCTAssertEqual(String(f.characters), "buy red ")
        XCTAssertEqual(f.handle(.alt("r")), .unchanged)
    }

    func testTypingIsUndoneAWordAtATime() {
        var a = TextArea(width: 40, height: 5)
        for c in "buy red" { _ = a.handle(.character(c)) }
        XCTAssertEqual(a.handle(.alt("u")), .changed)
        XCTAssertEqual(String(a.characters), "buy")
        XCTAssertEqual(a.handle(.alt("u")), .changed)
        XCTAssertEqual(String(a.characters), "")
        XCTAssertEqual(a.handle(.alt("u")), .unchanged)
        XCTAssertEqual(a.handle(.alt("r")), .changed)
        XCTAssertEqual(a.handle(.alt("r")), .changed)
        XCTAssertEqual(String(a.characters), "buy red")
        XCTAssertEqual(a.wrappedLines, ["buy red"])
    }

    func testBackspacesInARowAreOneStepAndUndoPutsTheCursorBack() {
        var f = field("onions", cursor: 4)
        _ = f.handle(.backspace)
        _ = f.handle(.backspace)
        _ = f.handle(.delete)
        XCTAssertEqual(String(f.characters), "ons")
        XCTAssertEqual(f.handle(.ctrl("_")), .changed)
        XCTAssertEqual(String(f.characters), "onns")
        XCTAssertEqual(f.handle(.ctrl("_")), .changed)
        XCTAssertEqual(String(f.characters), "onions")
        XCTAssertEqual(f.cursor, 4)
    }

    func testAnEditAfterUndoDropsTheRedoSteps() {
        var f = field("ab")
        _ = f.handle(.backspace)
        _ = f.handle(.ctrl("_"))
        _ = f.handle(.character("c"))
        XCTAssertEqual(f.handle(.alt("r")), .unchanged)
        XCTAssertEqual(String(f.characters), "abc")
    }

    func testACombiningMarkTypedAfterALetterIsUndoneWithIt() {
        var f = TextField()
        _ = f.handle(.character("e"))
        _ = f.handle(.character("\u{301}"))
        XCTAssertEqual(f.count, 1)
        XCTAssertEqual(f.handle(.ctrl("_")), .changed)
        XCTAssertTrue(f.isEmpty)
        XCTAssertEqual(f.byteCount, 0)
    }

    func testUndoKeepsTheByteCountInStep() {
        var f = TextField(limit: 30, byteLimit: 12)
        for c in "家族 ok" { _ = f.handle(.character(c)) }
        _ = f.handle(.ctrl("u"))
        XCTAssertEqual(f.byteCount, 0)
        _ = f.handle(.ctrl("_"))
        XCTAssertEqual(f.byteCount, 9)
        XCTAssertEqual(f.handle(.character("x")), .changed)
        XCTAssertEqual(f.handle(.character("y")), .changed)
        XCTAssertEqual(f.handle(.character("z")), .changed)
        XCTAssertEqual(f.handle(.character("w")), .refused)
    }

    func testTheHistoryIsBounded() {
        var f = TextField()
        for _ in 0..<150 {
            _ = f.handle(.character("a"))
            _ = f.handle(.ctrl("w"))
        }
        var undone = 0
        while f.handle(.ctrl("_")) == .changed { undone += 1 }
        XCTAssertEqual(undone, 100)
    }

    func testWipeForgetsTheHistory() {
        var a = area("secret words", cursor: 12)
        _ = a.handle(.ctrl("w"))
        a.wipe()
        XCTAssertEqual(a.handle(.ctrl("_")), .unchanged)
        XCTAssertTrue(a.isEmpty)
    }

    func testTheWheelScrollsTheInfoAndCarriesTheCursor() {
        var a = TextArea(Array((1...20).map { "line \($0)" }.joined(separator: "\n")), width: 20, height: 5)
        XCTAssertEqual(a.scroll(by: 3), .moved)
        XCTAssertEqual(a.scroll, 3)
        XCTAssertEqual(a.cursorLocation.y, 3)
        XCTAssertEqual(a.scroll(by: -10), .moved)
        XCTAssertEqual(a.scroll, 0)
        XCTAssertEqual(a.scroll(by: -1), .unchanged)
    }
}
