import TerminalUI
import XCTest

final class DialogTests: XCTestCase {
    func testConfirmationIsCentredWithItsKeys() {
        var canvas = Canvas(width: 30, height: 7)
        let dialog = Dialog(message: "Discard changes?", hints: [KeyHint("y", "yes"), KeyHint("n", "no")])
        let box = dialog.render(in: canvas.bounds, on: &canvas)
        XCTAssertEqual(box, Rect(x: 5, y: 1, width: 20, height: 5))
        assertScreen(canvas, [
            "",
            "     ┌──────────────────┐",
            "     │ Discard changes? │",
            "     │                  │",
            "     │   y yes  n no    │",
            "     └──────────────────┘",
            "",
        ])
    }

    func testLongMessagesWrapAndCoverTheScreenBehind() {
        var canvas = Canvas(width: 24, height: 6)
        canvas.fill(canvas.bounds, with: "x")
        Dialog(title: "Lock", message: "The vault is locked now.", maxTextWidth: 14)
            .render(in: canvas.bounds, on: &canvas)
        assertScreen(canvas, [
            "xxxxxxxxxxxxxxxxxxxxxxxx",
            "xxxx┌ Lock ────────┐xxxx",
            "xxxx│ The vault is │xxxx",
            "xxxx│ locked now.  │xxxx",
            "xxxx└──────────────┘xxxx",
            "xxxxxxxxxxxxxxxxxxxxxxxx",
        ])
    }
}
