import OnionsApp
import OnionsCrypto
import TerminalUI
import XCTest

/// Copying to the clipboard: the OSC 52 bytes the loop is asked to write, and when our copy
/// is taken back.
final class ClipboardStateTests: XCTestCase {
    func state(seconds: Double = 10, available: Bool = true) -> AppState {
        var state = AppState(size: Size(width: 80, height: 24), lockAfter: 300, now: 0)
        state.clipboard = ClipboardState(seconds: seconds, available: available)
        return state
    }

    /// The bytes of every `.writeTerminal` among `effects` (each wiped after reading).
    func written(_ effects: [AppEffect]) -> [[UInt8]] {
        effects.compactMap { effect in
            guard case .writeTerminal(let bytes) = effect else { return nil }
            defer { bytes.wipe() }
            return bytes.withUnsafeBytes { Array($0) }
        }
    }

    func osc52(_ base64: String) -> [UInt8] { Array("\u{1b}]52;c;\(base64)\u{07}".utf8) }

    func testCopyWritesTheTextAsOSC52AndSaysWhenItClears() {
        var s = state(seconds: 12)
        let text = SecretBytes(copying: Array("héllo 家".utf8))
        let effects = Clipboard.copy(text, &s, now: 100)
        XCTAssertEqual(written(effects), [osc52(Base64.encode(Array("héllo 家".utf8)))])
        XCTAssertEqual(s.clipboard.clearAt, 112)
        XCTAssertEqual(s.notice?.text, "Copied; the clipboard clears in 12 s.")
        XCTAssertEqual(text.count, Array("héllo 家".utf8).count, "the caller's text is left to the caller")
    }

    func testTicksBeforeTheDeadlineLeaveTheCopyAndTheFirstAfterItOverwritesItOnce() {
        var s = state(seconds: 10)
        _ = written(Clipboard.copy(SecretBytes(copying: Array("secret".utf8)), &s, now: 50))
        XCTAssertEqual(written(App.update(&s, .tick(now: 59.9))), [])
        XCTAssertEqual(written(App.update(&s, .tick(now: 60))), [osc52(Base64.encode([0x20]))])
        XCTAssertNil(s.clipboard.clearAt)
        XCTAssertEqual(written(App.update(&s, .tick(now: 70))), [], "cleared once only")
    }

    func testASecondCopyRestartsTheDeadline() {
        var s = state(seconds: 10)
        _ = written(Clipboard.copy(SecretBytes(copying: Array("one".utf8)), &s, now: 0))
        _ = written(Clipboard.copy(SecretBytes(copying: Array("two".utf8)), &s, now: 8))
        XCTAssertEqual(written(App.update(&s, .tick(now: 12))), [], "the first copy's deadline no longer counts")
        XCTAssertEqual(written(App.update(&s, .tick(now: 18))).count, 1)
    }

    func testNothingIsCopiedWithoutATerminal() {
        var s = state(available: false)
        let effects = Clipboard.copy(SecretBytes(copying: Array("x".utf8)), &s, now: 0)
        XCTAssertEqual(written(effects), [])
        XCTAssertNil(s.clipboard.clearAt)
        XCTAssertEqual(s.notice?.isError, true)
    }

    /// The effects' kinds in order: "write" for `.writeTerminal`, "delete" for `.deleteTmuxCopies`.
    func kinds(_ effects: [AppEffect]) -> [String] {
        effects.map { effect in
            switch effect {
            case .writeTerminal(let bytes): bytes.wipe(); return "write"
            case .deleteTmuxCopies: return "delete"
            default: return "other"
            }
        }
    }

    /// The clear also asks for tmux's buffers holding the copy to go; a second copy asks for
    /// the first one's to go before its own is written (so the new one is never deleted).
    func testTheClearAndASecondCopyDeleteTheEarlierCopyFromTmux() {
        var s = state(seconds: 10)
        XCTAssertEqual(kinds(Clipboard.copy(SecretBytes(copying: Array("one".utf8)), &s, now: 0)), ["write"])
        XCTAssertEqual(kinds(Clipboard.copy(SecretBytes(copying: Array("two".utf8)), &s, now: 1)), ["delete", "write"])
        XCTAssertEqual(kinds(App.update(&s, .tick(now: 11))), ["write", "delete"])
        XCTAssertNil(s.clipboard.copied)
        XCTAssertEqual(kinds(App.update(&s, .tick(now: 30))), [])
    }
}
